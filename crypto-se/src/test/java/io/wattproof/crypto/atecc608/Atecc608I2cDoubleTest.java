package io.wattproof.crypto.atecc608;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The double itself, driven byte by byte as the data sheet describes the bus, without the driver. */
class Atecc608I2cDoubleTest {
    private static final int ADDRESS = 0x60;
    private final Atecc608I2cDouble chip = Atecc608I2cDouble.personalised();

    private void wake() {
        chip.wakePulse();
        chip.advance(Duration.ofNanos(1_500_000));
        assertArrayEquals(Atecc608Driver.WAKE_RESPONSE, chip.read(ADDRESS, 4).orElseThrow());
    }

    private byte[] readPacket() {
        int count = chip.read(ADDRESS, 1).orElseThrow()[0] & 0xff;
        byte[] rest = chip.read(ADDRESS, count - 1).orElseThrow();
        byte[] packet = new byte[count];
        packet[0] = (byte) count;
        System.arraycopy(rest, 0, packet, 1, rest.length);
        assertTrue(PacketCrc.isValid(packet));
        return packet;
    }

    @Test
    void anAsleepChipAcknowledgesNothingUntilTheWakeToken() {
        assertEquals(Atecc608I2cDouble.Power.SLEEP, chip.power());
        assertFalse(chip.write(ADDRESS, new Command(Opcode.INFO, 0, 0, new byte[0], 4).i2cWrite()));
        assertTrue(chip.read(ADDRESS, 4).isEmpty());
        chip.wakePulse();
        assertTrue(chip.read(ADDRESS, 4).isEmpty(), "readable only after t_WHI");
        chip.advance(Duration.ofNanos(1_500_000));
        assertArrayEquals(HexFormat.of().parseHex("04113343"), chip.read(ADDRESS, 4).orElseThrow());
    }

    @Test
    void otherAddressesAreNotAcknowledged() {
        wake();
        assertFalse(chip.write(0x61, new byte[] {0x02}));
        assertTrue(chip.read(0x35, 1).isEmpty());
    }

    @Test
    void aCommandIsNackedUntilItsExecutionTimeHasPassed() {
        wake();
        assertTrue(chip.write(ADDRESS, new Command(Opcode.GENKEY, 0x04, 0, new byte[0], 64).i2cWrite()));
        assertTrue(chip.read(ADDRESS, 1).isEmpty());
        assertFalse(chip.write(ADDRESS, new byte[] {0x02}), "busy: no acknowledge");
        chip.advance(Opcode.GENKEY.maxExecutionTime());
        assertEquals(67, readPacket().length);
    }

    @Test
    void theWatchdogSendsTheChipToSleep() {
        wake();
        chip.advance(Atecc608I2cDouble.WATCHDOG);
        assertEquals(Atecc608I2cDouble.Power.SLEEP, chip.power());
        assertFalse(chip.write(ADDRESS, new Command(Opcode.INFO, 0, 0, new byte[0], 4).i2cWrite()));
    }

    @Test
    void aCommandThatWouldOutliveTheWatchdogIsAnsweredEe() {
        wake();
        chip.advance(Atecc608I2cDouble.WATCHDOG.minus(Duration.ofMillis(100)));
        assertTrue(chip.write(ADDRESS, new Command(Opcode.SIGN, 0x80, 0, new byte[0], 64).i2cWrite()));
        chip.advance(Duration.ofMillis(1));
        assertArrayEquals(status(0xEE), readPacket());
    }

    @Test
    void aBadCrcIsAnsweredFfAndABadCountO3() {
        wake();
        byte[] write = new Command(Opcode.INFO, 0, 0, new byte[0], 4).i2cWrite();
        write[write.length - 1] ^= 0x01;
        assertTrue(chip.write(ADDRESS, write));
        chip.advance(Duration.ofMillis(1));
        assertArrayEquals(status(0xFF), readPacket());

        byte[] shortCount = {0x03, 0x05, 0x30, 0x00, 0x00, 0x00};
        assertTrue(chip.write(ADDRESS, shortCount));
        chip.advance(Duration.ofMillis(1));
        assertArrayEquals(status(0x03), readPacket());

        byte[] truncated = new Command(Opcode.INFO, 0, 0, new byte[0], 4).i2cWrite();
        assertTrue(chip.write(ADDRESS, java.util.Arrays.copyOf(truncated, 6)));
        chip.advance(Duration.ofMillis(1));
        assertArrayEquals(status(0xFF), readPacket(), "fewer bytes than the count: the chip's crc check fails");
    }

    @Test
    void anIllegalParameterIsAParseError() {
        wake();
        assertTrue(chip.write(ADDRESS, new Command(Opcode.READ, 0x00, 0x40, new byte[0], 4).i2cWrite()));
        chip.advance(Duration.ofMillis(1));
        assertArrayEquals(status(0x03), readPacket());
    }

    @Test
    void counterAnswersFourBytesLeastSignificantFirst() {
        chip.presetCounter(1, 0x010203);
        wake();
        assertTrue(chip.write(ADDRESS, new Command(Opcode.COUNTER, 0x01, 0x0001, new byte[0], 4).i2cWrite()));
        assertTrue(chip.read(ADDRESS, 1).isEmpty(), "busy while counting");
        chip.advance(Opcode.COUNTER.maxExecutionTime());
        byte[] expected = {0x07, 0x04, 0x02, 0x01, 0x00, 0, 0};
        PacketCrc.append(expected, 5);
        assertArrayEquals(expected, readPacket());
    }

    @Test
    void counterRefusesAnotherKeyIdModeOrDataAndCountsNoFurtherThanTheMaximum() {
        wake();
        for (Command illegal : new Command[] {new Command(Opcode.COUNTER, 0x00, 0x0002, new byte[0], 4),
                new Command(Opcode.COUNTER, 0x02, 0x0000, new byte[0], 4), new Command(Opcode.COUNTER, 0x01, 0x0000, new byte[4], 4)}) {
            assertTrue(chip.write(ADDRESS, illegal.i2cWrite()));
            chip.advance(Duration.ofMillis(1));
            assertArrayEquals(status(0x03), readPacket(), illegal.toString());
        }
        assertEquals(0, chip.counter(0));
        chip.presetCounter(0, 2_097_151);
        assertTrue(chip.write(ADDRESS, new Command(Opcode.COUNTER, 0x01, 0x0000, new byte[0], 4).i2cWrite()));
        chip.advance(Duration.ofMillis(1));
        assertArrayEquals(status(0x0F), readPacket());
        assertEquals(2_097_151, chip.counter(0));
    }

    @Test
    void idleKeepsTempKeyAndSleepClearsIt() {
        Atecc608Driver driver = new Atecc608Driver(chip, ADDRESS, chip.pause());
        byte[] digest = new byte[32];
        wake();
        chip.write(ADDRESS, new Command(Opcode.NONCE, 0x03, 0, digest, 1).i2cWrite());
        chip.advance(Opcode.NONCE.maxExecutionTime());
        readPacket();
        chip.write(ADDRESS, new Command(Opcode.GENKEY, 0x04, 0, new byte[0], 64).i2cWrite());
        chip.advance(Opcode.GENKEY.maxExecutionTime());
        readPacket();
        chip.write(ADDRESS, new Command(Opcode.NONCE, 0x03, 0, digest, 1).i2cWrite());
        chip.advance(Opcode.NONCE.maxExecutionTime());
        readPacket();
        driver.idle();
        assertEquals(Atecc608I2cDouble.Power.IDLE, chip.power());
        wake();
        chip.write(ADDRESS, new Command(Opcode.SIGN, 0x80, 0, new byte[0], 64).i2cWrite());
        chip.advance(Opcode.SIGN.maxExecutionTime());
        assertEquals(67, readPacket().length, "tempkey survived idle");

        chip.write(ADDRESS, new Command(Opcode.NONCE, 0x03, 0, digest, 1).i2cWrite());
        chip.advance(Opcode.NONCE.maxExecutionTime());
        readPacket();
        driver.sleep();
        wake();
        chip.write(ADDRESS, new Command(Opcode.SIGN, 0x80, 0, new byte[0], 64).i2cWrite());
        chip.advance(Opcode.SIGN.maxExecutionTime());
        assertArrayEquals(status(0x0F), readPacket(), "tempkey lost in sleep");
    }

    @Test
    void unmodelledCommandsAreRefusedLoudly() {
        wake();
        byte[] packet = {0x07, 0x17, 0x00, 0x00, 0x00, 0, 0}; // Lock, mode 0
        PacketCrc.append(packet, 5);
        byte[] write = new byte[8];
        write[0] = 0x03;
        System.arraycopy(packet, 0, write, 1, 7);
        assertThrows(UnsupportedOperationException.class, () -> chip.write(ADDRESS, write));
    }

    private static byte[] status(int code) {
        byte[] p = {0x04, (byte) code, 0, 0};
        PacketCrc.append(p, 2);
        return p;
    }
}
