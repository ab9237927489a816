package io.wattproof.modbus.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalState;
import io.wattproof.modbus.ModbusIoException;
import io.wattproof.modbus.testing.MockPi4j;
import io.wattproof.modbus.testing.SocatPtyPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link SerialPortTransport} on both ends of a socat pseudo-terminal pair: real jSerialComm, real
 * termios, real kernel tty buffers; only the wire is missing (see {@link SocatPtyPair}).
 */
@Timeout(60)
class SerialPortTransportIT {
    private static final Duration PATIENCE = Duration.ofSeconds(5);

    private SocatPtyPair pty;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void startSocat() throws Exception {
        pty = SocatPtyPair.start();
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
        pty.close();
    }

    /** 8N1: a pty drops PARENB, and glibc's tcsetattr reports that as EINVAL (see SocatPtyPair). */
    private static SerialLineConfig config(Path end) {
        return SerialLineConfig.builder(end.toString()).lineSettings("9600 8N1").build();
    }

    private SerialPortTransport open(Path end) throws ModbusIoException {
        SerialPortTransport t = SerialPortTransport.open(config(end));
        toClose.add(t);
        return t;
    }

    @Test
    void everyByteValuePassesAloneInBothDirections() throws Exception {
        SerialPortTransport a = open(pty.a());
        SerialPortTransport b = open(pty.b());
        // Includes what a cooked tty would eat or rewrite: NUL, ^C, ^D, LF, CR, XON, XOFF, DEL, 0xff.
        for (int value = 0; value < 256; value++) {
            assertEquals(value, roundTripOne(a, b, value), "a -> b, byte " + value);
            assertEquals(value, roundTripOne(b, a, value), "b -> a, byte " + value);
        }
    }

    private static int roundTripOne(SerialPortTransport from, SerialPortTransport to, int value) throws Exception {
        from.write(new byte[] {(byte) value});
        byte[] one = new byte[1];
        assertEquals(1, to.read(one, 0, 1, PATIENCE), "no byte within " + PATIENCE);
        return one[0] & 0xFF;
    }

    @Test
    void frameOf256BytesPassesIntactInBothDirections() throws Exception {
        SerialPortTransport a = open(pty.a());
        SerialPortTransport b = open(pty.b());
        byte[] frame = new byte[256];
        for (int i = 0; i < frame.length; i++) {
            frame[i] = (byte) (255 - i);
        }
        a.write(frame);
        assertArrayEquals(frame, readExactly(b, frame.length));
        b.write(frame);
        assertArrayEquals(frame, readExactly(a, frame.length));
        // Nothing more than the frame arrived.
        assertEquals(0, a.read(new byte[16], 0, 16, Duration.ofMillis(50)));
        assertEquals(0, b.read(new byte[16], 0, 16, Duration.ofMillis(50)));
    }

    @Test
    void readLandsAtTheOffsetAndNeverPastTheLength() throws Exception {
        SerialPortTransport a = open(pty.a());
        SerialPortTransport b = open(pty.b());
        a.write(new byte[] {1, 2, 3, 4, 5, 6});
        awaitAvailable(b, 6);
        byte[] buffer = new byte[10];
        assertEquals(4, b.read(buffer, 3, 4, PATIENCE));
        assertArrayEquals(new byte[] {0, 0, 0, 1, 2, 3, 4, 0, 0, 0}, buffer);
        assertEquals(2, b.read(buffer, 0, 10, PATIENCE));
        assertEquals(5, buffer[0]);
        assertEquals(6, buffer[1]);
    }

    @Test
    void readReturnsZeroWhenNothingArrivesWithinTheTimeout() throws Exception {
        SerialPortTransport a = open(pty.a());
        SerialPortTransport b = open(pty.b());
        byte[] buffer = new byte[8];
        assertEquals(0, b.read(buffer, 0, 8, Duration.ZERO));
        assertEquals(0, b.read(buffer, 0, 8, Duration.ofMillis(30))); // shorter than a 100 ms slice: polled
        assertEquals(0, b.read(buffer, 0, 8, Duration.ofMillis(250))); // blocking slices, then polling
        // The line still works after timeouts.
        a.write(new byte[] {0x11});
        assertEquals(1, b.read(buffer, 0, 8, PATIENCE));
        assertEquals(0x11, buffer[0]);
    }

    @Test
    void blockedReadWakesForBytesSentWhileItWaits() throws Exception {
        SerialPortTransport a = open(pty.a());
        SerialPortTransport b = open(pty.b());
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(150);
                a.write(new byte[] {0x55});
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        byte[] buffer = new byte[4];
        assertEquals(1, b.read(buffer, 0, 4, PATIENCE));
        assertEquals(0x55, buffer[0]);
        writer.join();
    }

    @Test
    void discardInputDropsPendingBytesOnly() throws Exception {
        SerialPortTransport a = open(pty.a());
        SerialPortTransport b = open(pty.b());
        a.write(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        awaitAvailable(b, 10);
        b.discardInput();
        assertEquals(0, b.available());
        assertEquals(0, b.read(new byte[16], 0, 16, Duration.ofMillis(50)));
        a.write(new byte[] {42});
        byte[] one = new byte[16];
        assertEquals(1, b.read(one, 0, 16, PATIENCE));
        assertEquals(42, one[0]);
    }

    @Test
    void everyOperationFailsAfterClose() throws Exception {
        SerialPortTransport a = open(pty.a());
        a.close();
        a.close(); // idempotent
        String closed = "serial port " + pty.a() + " 9600 8N1 is closed";
        assertEquals(closed, assertThrows(ModbusIoException.class, () -> a.write(new byte[] {1})).getMessage());
        assertEquals(closed, assertThrows(ModbusIoException.class,
                () -> a.read(new byte[1], 0, 1, Duration.ofMillis(10))).getMessage());
        assertEquals(closed, assertThrows(ModbusIoException.class, a::discardInput).getMessage());
        // The port is free again.
        open(pty.a()).write(new byte[] {7});
    }

    @Test
    void closeFromAnotherThreadEndsABlockedRead() throws Exception {
        SerialPortTransport b = open(pty.b());
        Thread closer = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            b.close();
        });
        ModbusIoException e = assertThrows(ModbusIoException.class,
                () -> b.read(new byte[4], 0, 4, Duration.ofSeconds(30)));
        assertTrue(e.getMessage().endsWith("is closed"), e.getMessage());
        closer.join();
    }

    @Test
    void missingPortIsNamedWithTheReason() {
        Path missing = pty.a().resolveSibling("ttyUSB9");
        ModbusIoException e = assertThrows(ModbusIoException.class,
                () -> SerialPortTransport.open(config(missing)));
        assertTrue(e.getMessage().startsWith("serial port " + missing + ": no such device"), e.getMessage());
    }

    @Test
    void fileThatIsNotATerminalIsRefused() throws Exception {
        Path file = Files.writeString(pty.a().resolveSibling("not-a-tty"), "x");
        ModbusIoException e = assertThrows(ModbusIoException.class,
                () -> SerialPortTransport.open(config(file)));
        assertEquals("serial port " + file + " 9600 8N1: cannot open: errno 25, not a terminal device "
                + "(the path is not a serial port)", e.getMessage());
    }

    @Test
    void portOpenInThisProcessIsRefused() throws Exception {
        open(pty.a());
        ModbusIoException e = assertThrows(ModbusIoException.class, () -> open(pty.a()));
        assertEquals("serial port " + pty.a() + " 9600 8N1: cannot open: already open in this process",
                e.getMessage());
    }

    @Test
    void portLockedByAnotherProcessIsRefused() throws Exception {
        // util-linux flock(1) takes the same exclusive flock(2) that jSerialComm takes on open.
        Process holder;
        try {
            holder = new ProcessBuilder("flock", "--exclusive", pty.a().toString(), "sleep", "30")
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            fail("flock(1) is missing: apt-get install util-linux (" + e.getMessage() + ")");
            return;
        }
        try {
            ModbusIoException e = awaitLockRefusal(pty.a());
            assertEquals("serial port " + pty.a() + " 9600 8N1: cannot open: errno 11, resource temporarily "
                    + "unavailable (another process has it open and locked)", e.getMessage());
        } finally {
            holder.destroy();
            holder.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** flock(1) takes the lock shortly after it starts: retry until the open is refused. */
    private ModbusIoException awaitLockRefusal(Path end) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            try {
                SerialPortTransport t = SerialPortTransport.open(config(end));
                t.close();
            } catch (ModbusIoException e) {
                return e;
            }
            if (System.nanoTime() > deadline) {
                fail("open of " + end + " was never refused while flock(1) held it");
            }
            Thread.sleep(20);
        }
    }

    @Test
    void writeFailsWhenTheLineHangsUp() throws Exception {
        SerialPortTransport a = open(pty.a());
        pty.kill(); // the pty master closes: writes on the slave fail with EIO
        ModbusIoException e = assertThrows(ModbusIoException.class, () -> a.write(new byte[] {1, 2, 3}));
        assertTrue(e.getMessage().startsWith("serial port " + pty.a() + " 9600 8N1: write failed after 0 of 3 bytes"),
                e.getMessage());
    }

    @Test
    void gpioDirectionPinIsInTransmitExactlyWhileTheFrameIsWritten() throws Exception {
        Context pi4j = MockPi4j.context();
        toClose.add(pi4j::shutdown);
        SerialLineConfig.Direction.GpioPin pin = new SerialLineConfig.Direction.GpioPin(17, true);
        // 115200 baud keeps holdUntilSent short; the pty ignores the rate anyway.
        SerialLineConfig config = SerialLineConfig.builder(pty.a().toString()).lineSettings("115200 8N1")
                .direction(pin).build();
        Pi4jDirectionControl control = Pi4jDirectionControl.create(pi4j, pin);
        SerialPortTransport a = SerialPortTransport.open(config, control);
        toClose.add(a);
        SerialPortTransport b = open(pty.b());
        assertEquals(DigitalState.LOW, control.output().state());

        byte[] frame = {0x11, 0x04, 0x00, 0x00, 0x00, 0x4c, (byte) 0xf3, 0x6f};
        List<String> transitions = new CopyOnWriteArrayList<>();
        control.output().addListener(event -> {
            // Runs in the writing thread, before state(...) returns.
            try {
                int arrived = event.state() == DigitalState.LOW ? awaitAvailable(b, frame.length) : b.available();
                transitions.add(event.state() + " with " + arrived + " bytes at the peer");
            } catch (Exception e) {
                transitions.add(event.state() + " failed: " + e);
            }
        });

        a.write(frame);
        assertEquals(List.of("HIGH with 0 bytes at the peer", "LOW with 8 bytes at the peer"), transitions);
        assertArrayEquals(frame, readExactly(b, frame.length));

        // A failing write releases the bus too.
        transitions.clear();
        pty.kill();
        assertThrows(ModbusIoException.class, () -> a.write(frame));
        assertEquals(2, transitions.size(), transitions.toString());
        assertTrue(transitions.get(0).startsWith("HIGH"), transitions.toString());
        assertTrue(transitions.get(1).startsWith("LOW"), transitions.toString());
        assertEquals(DigitalState.LOW, control.output().state());
    }

    @Test
    void portRs485ModeIsIgnoredWhereTheDriverLacksIt() throws Exception {
        // A pty has no TIOCSRS485; jSerialComm does not report the refusal, and the line works as is.
        SerialLineConfig config = SerialLineConfig.builder(pty.a().toString()).lineSettings("19200 8N1")
                .direction(new SerialLineConfig.Direction.PortRs485(true, 1, 2)).build();
        SerialPortTransport a = SerialPortTransport.open(config);
        toClose.add(a);
        SerialPortTransport b = open(pty.b());
        a.write(new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, readExactly(b, 3));
    }

    /** Waits until {@code count} bytes are queued at {@code t}; returns how many are, then. */
    private static int awaitAvailable(SerialPortTransport t, int count) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        int available;
        while ((available = t.available()) < count && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        return available;
    }

    private static byte[] readExactly(SerialPortTransport t, int length) throws Exception {
        byte[] buffer = new byte[length];
        int filled = 0;
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (filled < length) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                fail("only " + filled + " of " + length + " bytes within " + PATIENCE);
            }
            filled += t.read(buffer, filled, length - filled, Duration.ofNanos(remaining));
        }
        assertFalse(filled > length);
        return buffer;
    }
}
