package io.wattproof.crypto.atecc608;

import java.util.Optional;

/**
 * The few I2C operations the ATECC608 protocol needs, addressed by 7-bit device address. An
 * adapter only moves bytes: a device that does not acknowledge (asleep, still executing, absent)
 * is a {@code false} write or an empty read, never an exception, because the protocol polls
 * through such NACKs (data sheet, "I2C Interface": the device NACKs its address while busy).
 */
public interface I2cBus extends AutoCloseable {

    /** Writes {@code bytes} to the device in one transaction; false if it did not acknowledge. */
    boolean write(int address, byte[] bytes);

    /** Reads exactly {@code length} bytes in one transaction, or nothing if the device NACKed. */
    Optional<byte[]> read(int address, int length);

    /**
     * Holds SDA low for at least t_WLO = 60 µs, the ATECC608's wake token ("Wake Condition"): a
     * write to the general-call address 0x00 does it at 100 kHz or slower (the address byte is eight
     * zero bits of 10 µs each). Nobody needs to acknowledge it.
     */
    void wakePulse();

    @Override
    void close();
}
