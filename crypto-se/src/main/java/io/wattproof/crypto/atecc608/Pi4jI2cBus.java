package io.wattproof.crypto.atecc608;

import com.pi4j.context.Context;
import com.pi4j.io.i2c.I2C;
import com.pi4j.io.i2c.I2CProvider;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@link I2cBus} on a Pi4J 3 I2C provider (on Linux, Pi4J's linuxfs plugin: the kernel's
 * {@code /dev/i2c-N}). Pi4J opens one handle per device address; this adapter keeps them and
 * closes them with itself. Pi4J reports a NACK as an exception (the kernel answers the transfer
 * with an I/O error), which this adapter turns into a refused write or an empty read.
 */
public final class Pi4jI2cBus implements I2cBus {
    static final int GENERAL_CALL_ADDRESS = 0x00;

    private final Context context;
    private final I2CProvider provider;
    private final int bus;
    private final Map<Integer, I2C> devices = new HashMap<>();

    private Pi4jI2cBus(Context context, I2CProvider provider, int bus) {
        this.context = context;
        this.provider = provider;
        this.bus = bus;
    }

    /**
     * Binds to I2C bus {@code bus} (for Linux, {@code /dev/i2c-<bus>}) through the context's I2C
     * provider, and opens the general-call handle the wake token needs right away, so a missing bus
     * is reported here and not later as a chip that never answers.
     *
     * @throws Atecc608Failure.BusUnavailable if the context has no I2C provider or the bus cannot be opened
     */
    public static Pi4jI2cBus open(Context context, int bus) throws Atecc608Failure {
        if (bus < 0) {
            throw new IllegalArgumentException("i2c bus: expected a bus number ≥ 0, got " + bus);
        }
        I2CProvider provider;
        try {
            provider = context.provider(I2CProvider.class);
        } catch (RuntimeException e) {
            throw new Atecc608Failure.BusUnavailable("i2c bus " + bus + ": expected a pi4j i2c provider (pi4j-plugin-linuxfs on"
                    + " linux), found none: " + e.getMessage(), e);
        }
        Pi4jI2cBus opened = new Pi4jI2cBus(context, provider, bus);
        try {
            opened.device(GENERAL_CALL_ADDRESS);
        } catch (RuntimeException e) {
            throw new Atecc608Failure.BusUnavailable("i2c bus " + bus + ": expected " + provider.id()
                    + " to open it (/dev/i2c-" + bus + " on linux), it cannot: " + e.getMessage(), e);
        }
        return opened;
    }

    @Override
    public boolean write(int address, byte[] bytes) {
        try {
            return device(address).write(bytes, 0, bytes.length) == bytes.length;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public Optional<byte[]> read(int address, int length) {
        byte[] buffer = new byte[length];
        try {
            int read = device(address).read(buffer, 0, length);
            return read == length ? Optional.of(buffer) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public void wakePulse() {
        // Nobody is expected to acknowledge the general call here; the low SDA is all that counts.
        write(GENERAL_CALL_ADDRESS, new byte[] {0x00});
    }

    private I2C device(int address) {
        return devices.computeIfAbsent(address, a -> provider.create(I2C.newConfigBuilder(context)
                .id("wattproof-i2c-" + bus + "-0x" + Integer.toHexString(a))
                .bus(bus)
                .device(a)
                .build()));
    }

    @Override
    public void close() {
        for (I2C device : devices.values()) {
            try {
                device.close();
            } catch (RuntimeException e) {
                // Closing a handle of a bus we no longer use: nothing to report to the caller.
            }
        }
        devices.clear();
    }

    @Override
    public String toString() {
        return "Pi4jI2cBus[bus=" + bus + ", provider=" + provider.id() + "]";
    }
}
