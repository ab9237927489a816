package io.wattproof.agent.cli;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.i2c.I2CProvider;
import io.wattproof.crypto.atecc608.Atecc608Driver;
import io.wattproof.crypto.atecc608.Atecc608Failure;
import io.wattproof.crypto.atecc608.Pause;
import io.wattproof.crypto.atecc608.Pi4jI2cBus;

/**
 * The real I2C path of {@code keys --store atecc608}: a Pi4J context with whatever providers are
 * on the class path (pi4j-plugin-linuxfs: {@code /dev/i2c-N}), the bus, the driver. The command
 * runs once and the process ends, which releases the bus; the context is not shut down earlier
 * because the returned key signs through it.
 */
final class Atecc608OnPi4j {
    private Atecc608OnPi4j() {}

    static Atecc608Driver open(int bus, int address) throws Atecc608Failure {
        Context context;
        try {
            context = Pi4J.newAutoContext();
        } catch (RuntimeException e) {
            throw new Atecc608Failure.BusUnavailable("i2c bus " + bus + ": pi4j could not start: " + e.getMessage(), e);
        }
        if (!context.hasProvider(I2CProvider.class)) {
            context.shutdown();
            throw new Atecc608Failure.BusUnavailable("i2c bus " + bus + ": no i2c provider is available (expected"
                    + " pi4j-plugin-linuxfs in lib/, found pi4j providers " + context.providers().all().keySet() + ")", null);
        }
        return new Atecc608Driver(Pi4jI2cBus.open(context, bus), address, Pause.THREAD);
    }
}
