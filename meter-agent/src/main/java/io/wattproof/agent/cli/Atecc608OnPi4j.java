package io.wattproof.agent.cli;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.plugin.linuxfs.provider.i2c.LinuxFsI2CProvider;
import io.wattproof.crypto.atecc608.Atecc608Driver;
import io.wattproof.crypto.atecc608.Atecc608Failure;
import io.wattproof.crypto.atecc608.Pause;
import io.wattproof.crypto.atecc608.Pi4jI2cBus;

/**
 * The real I2C path of {@code keys --store atecc608}: a Pi4J context with exactly one provider,
 * pi4j-plugin-linuxfs's I2C ({@code /dev/i2c-N}), the bus, the driver. Named, not discovered: an
 * auto context takes every plugin on the class path, Pi4J's mock included, and would then sign on
 * a mock bus. The command runs once and the process ends, which releases the bus; the context is
 * not shut down earlier because the returned key signs through it.
 */
final class Atecc608OnPi4j {
    private Atecc608OnPi4j() {}

    static Atecc608Driver open(int bus, int address) throws Atecc608Failure {
        Context context;
        try {
            context = Pi4J.newContextBuilder().add(LinuxFsI2CProvider.newInstance()).build();
        } catch (RuntimeException e) {
            throw new Atecc608Failure.BusUnavailable("i2c bus " + bus + ": pi4j could not start: " + e.getMessage(), e);
        }
        return new Atecc608Driver(Pi4jI2cBus.open(context, bus), address, Pause.THREAD);
    }
}
