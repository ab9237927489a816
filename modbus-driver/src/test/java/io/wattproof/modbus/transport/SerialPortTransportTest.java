package io.wattproof.modbus.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalState;
import io.wattproof.modbus.ModbusIoException;
import io.wattproof.modbus.testing.MockPi4j;
import io.wattproof.modbus.transport.SerialLineConfig.Direction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link SerialPortTransport}'s own logic over a scripted line: timeouts built from blocking slices
 * and polling, error reporting, and the direction pin (Pi4J mock GPIO) around every write.
 */
@Timeout(20)
class SerialPortTransportTest {
    private static final Duration LONG = Duration.ofSeconds(5);
    private static final String PORT = "/dev/ttyAMA0";

    private Context pi4j;
    private final ScriptedSerialLine line = new ScriptedSerialLine(20);

    @BeforeEach
    void startPi4j() {
        pi4j = MockPi4j.context();
    }

    @AfterEach
    void stopPi4j() {
        pi4j.shutdown();
    }

    private static SerialLineConfig config(Direction direction) {
        // 1 Mbd keeps the minimum hold time of the pin (count x character time) tiny.
        return SerialLineConfig.builder(PORT).lineSettings("1000000 8E1").direction(direction).build();
    }

    private SerialPortTransport plain() {
        return new SerialPortTransport(config(new Direction.None()), line, null);
    }

    @Test
    void writePassesTheBytesToTheLine() throws Exception {
        SerialPortTransport t = plain();
        t.write(new byte[] {1, 2, 3});
        t.write(new byte[0]);
        t.write(new byte[] {4});
        assertArrayEquals(new byte[] {1, 2, 3, 4}, line.written());
    }

    @Test
    void gpioPinIsInTransmitExactlyWhileTheLineWrites() throws Exception {
        Direction.GpioPin pin = new Direction.GpioPin(18, true);
        Pi4jDirectionControl control = Pi4jDirectionControl.create(pi4j, pin);
        List<DigitalState> transitions = new CopyOnWriteArrayList<>();
        control.output().addListener(event -> transitions.add(event.state()));
        line.observeDuringWrite(() -> control.output().state());
        SerialPortTransport t = new SerialPortTransport(config(pin), line, control);

        assertEquals(DigitalState.LOW, control.output().state());
        t.write(new byte[] {0x11, 0x03});
        t.write(new byte[] {0x11, 0x04});
        assertEquals(List.of(DigitalState.HIGH, DigitalState.HIGH), line.observedDuringWrites());
        assertEquals(List.of(DigitalState.HIGH, DigitalState.LOW, DigitalState.HIGH, DigitalState.LOW), transitions);
        assertEquals(DigitalState.LOW, control.output().state());
    }

    @Test
    void activeLowPinIsLowWhileWriting() throws Exception {
        Direction.GpioPin pin = new Direction.GpioPin(18, false);
        Pi4jDirectionControl control = Pi4jDirectionControl.create(pi4j, pin);
        line.observeDuringWrite(() -> control.output().state());
        SerialPortTransport t = new SerialPortTransport(config(pin), line, control);

        assertEquals(DigitalState.HIGH, control.output().state());
        t.write(new byte[] {1});
        assertEquals(List.of(DigitalState.LOW), line.observedDuringWrites());
        assertEquals(DigitalState.HIGH, control.output().state());
    }

    @Test
    void shortWriteFailsWithTheErrnoAndReleasesThePin() throws Exception {
        Direction.GpioPin pin = new Direction.GpioPin(18, true);
        Pi4jDirectionControl control = Pi4jDirectionControl.create(pi4j, pin);
        line.observeDuringWrite(() -> control.output().state());
        SerialPortTransport t = new SerialPortTransport(config(pin), line, control);
        line.failWrites(3, Errno.EIO);

        ModbusIoException e = assertThrows(ModbusIoException.class, () -> t.write(new byte[8]));
        assertEquals("serial port /dev/ttyAMA0 1000000 8E1: write failed after 3 of 8 bytes (errno 5, input/output error)",
                e.getMessage());
        assertEquals(List.of(DigitalState.HIGH), line.observedDuringWrites());
        assertEquals(DigitalState.LOW, control.output().state());
    }

    @Test
    void writeThatThrowsStillReleasesThePin() throws Exception {
        Direction.GpioPin pin = new Direction.GpioPin(18, true);
        Pi4jDirectionControl control = Pi4jDirectionControl.create(pi4j, pin);
        SerialPortTransport t = new SerialPortTransport(config(pin), line, control);
        IllegalStateException boom = new IllegalStateException("native failure");
        line.throwOnWrite(boom);

        assertSame(boom, assertThrows(IllegalStateException.class, () -> t.write(new byte[] {1})));
        assertEquals(DigitalState.LOW, control.output().state());
    }

    @Test
    void failureToReleaseTheBusIsReportedAndKeptWithTheWriteFailure() throws Exception {
        RecordingControl control = new RecordingControl();
        control.failReceive = true;
        SerialPortTransport t = new SerialPortTransport(config(new Direction.GpioPin(5, true)), line, control);

        ModbusIoException release = assertThrows(ModbusIoException.class, () -> t.write(new byte[] {1}));
        assertEquals("receive failed", release.getMessage());
        assertArrayEquals(new byte[] {1}, line.written());

        line.failWrites(0, Errno.EIO);
        ModbusIoException write = assertThrows(ModbusIoException.class, () -> t.write(new byte[] {2}));
        assertTrue(write.getMessage().contains("write failed after 0 of 1 bytes"), write.getMessage());
        assertEquals(1, write.getSuppressed().length);
        assertEquals("receive failed", write.getSuppressed()[0].getMessage());
        assertEquals(List.of("transmit", "receive", "transmit", "receive"), control.calls);
    }

    @Test
    void failureToTakeTheBusWritesNothingAndReleasesIt() throws Exception {
        RecordingControl control = new RecordingControl();
        control.failTransmit = true;
        SerialPortTransport t = new SerialPortTransport(config(new Direction.GpioPin(5, true)), line, control);

        assertEquals("transmit failed", assertThrows(ModbusIoException.class, () -> t.write(new byte[] {1})).getMessage());
        assertArrayEquals(new byte[0], line.written());
        assertEquals(List.of("transmit", "receive"), control.calls);
    }

    @Test
    void availableBytesAreReturnedAtOnceAndNeverMoreThanAsked() throws Exception {
        SerialPortTransport t = plain();
        line.receive(1, 2, 3, 4, 5);
        byte[] buffer = new byte[8];
        assertEquals(3, t.read(buffer, 2, 3, LONG));
        assertArrayEquals(new byte[] {0, 0, 1, 2, 3, 0, 0, 0}, buffer);
        assertEquals(2, t.read(buffer, 0, 8, Duration.ZERO));
        assertEquals(4, buffer[0]);
        assertEquals(5, buffer[1]);
    }

    @Test
    void readReturnsZeroWhenNothingArrives() throws Exception {
        SerialPortTransport t = plain();
        byte[] buffer = new byte[4];
        assertEquals(0, t.read(buffer, 0, 4, Duration.ZERO));
        assertEquals(0, t.read(buffer, 0, 4, Duration.ofMillis(5))); // below the 20 ms slice: polled
        assertEquals(0, t.read(buffer, 0, 4, Duration.ofMillis(70))); // slices, then polling
        assertEquals(0, t.read(buffer, 0, 0, LONG)); // nothing asked, nothing waited for
    }

    @Test
    void bytesArrivingDuringAWaitEndIt() throws Exception {
        SerialPortTransport t = plain();
        for (Duration timeout : List.of(LONG, Duration.ofMillis(2_000))) {
            Thread sender = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                line.receive(0x7e);
            });
            byte[] one = new byte[1];
            assertEquals(1, t.read(one, 0, 1, timeout));
            assertEquals(0x7e, one[0]);
            sender.join();
        }
    }

    @Test
    void interruptEndsAWaitAndStaysSet() {
        SerialPortTransport t = plain();
        Thread.currentThread().interrupt();
        try {
            ModbusIoException e = assertThrows(ModbusIoException.class, () -> t.read(new byte[1], 0, 1, LONG));
            assertEquals("serial port /dev/ttyAMA0 1000000 8E1: read interrupted", e.getMessage());
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void readFailureCarriesTheErrno() {
        SerialPortTransport t = plain();
        line.failReads(Errno.EIO);
        ModbusIoException e = assertThrows(ModbusIoException.class, () -> t.read(new byte[1], 0, 1, LONG));
        assertEquals("serial port /dev/ttyAMA0 1000000 8E1: read failed (errno 5, input/output error)", e.getMessage());
    }

    @Test
    void readArgumentsAreChecked() {
        SerialPortTransport t = plain();
        assertThrows(IndexOutOfBoundsException.class, () -> t.read(new byte[4], 2, 3, LONG));
        assertThrows(IndexOutOfBoundsException.class, () -> t.read(new byte[4], -1, 1, LONG));
        assertEquals("timeout: expected >= 0, actual PT-0.001S", assertThrows(IllegalArgumentException.class,
                () -> t.read(new byte[4], 0, 1, Duration.ofMillis(-1))).getMessage());
    }

    @Test
    void discardInputDropsQueuedBytes() throws Exception {
        SerialPortTransport t = plain();
        line.receive(9, 9, 9);
        t.discardInput();
        assertEquals(0, t.read(new byte[4], 0, 4, Duration.ZERO));
        line.failDiscard(Errno.EIO);
        assertEquals("serial port /dev/ttyAMA0 1000000 8E1: discarding received bytes failed (errno 5, input/output error)",
                assertThrows(ModbusIoException.class, t::discardInput).getMessage());
    }

    @Test
    void closeReleasesLineAndPinAndLaterCallsFail() throws Exception {
        Direction.GpioPin pin = new Direction.GpioPin(18, true);
        Pi4jDirectionControl control = Pi4jDirectionControl.create(pi4j, pin);
        SerialPortTransport t = new SerialPortTransport(config(pin), line, control);
        t.close();
        t.close();
        assertTrue(line.isClosed());
        assertFalse(pi4j.registry().exists("rs485-de-18"));
        String closed = "serial port /dev/ttyAMA0 1000000 8E1 is closed";
        assertEquals(closed, assertThrows(ModbusIoException.class, () -> t.write(new byte[] {1})).getMessage());
        assertEquals(closed, assertThrows(ModbusIoException.class, () -> t.read(new byte[1], 0, 1, LONG)).getMessage());
        assertEquals(closed, assertThrows(ModbusIoException.class, t::discardInput).getMessage());
    }

    @Test
    void closeFromAnotherThreadEndsAWait() throws Exception {
        SerialPortTransport t = plain();
        Thread closer = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            t.close();
        });
        ModbusIoException e = assertThrows(ModbusIoException.class, () -> t.read(new byte[1], 0, 1, LONG));
        assertEquals("serial port /dev/ttyAMA0 1000000 8E1 is closed", e.getMessage());
        closer.join();
    }

    @Test
    void describeIsThePortAndLineSettings() {
        assertEquals("/dev/ttyAMA0 1000000 8E1", plain().describe());
    }

    @Test
    void openChecksThatDirectionControlMatchesTheConfig() throws Exception {
        IllegalArgumentException gpioWithoutControl = assertThrows(IllegalArgumentException.class,
                () -> SerialPortTransport.open(config(new Direction.GpioPin(17, true))));
        assertEquals("direction: gpio pin 17 needs a DirectionControl (e.g. Pi4jDirectionControl.create): "
                + "use open(config, control)", gpioWithoutControl.getMessage());

        RecordingControl control = new RecordingControl();
        IllegalArgumentException controlWithoutGpio = assertThrows(IllegalArgumentException.class,
                () -> SerialPortTransport.open(config(new Direction.None()), control));
        assertEquals("direction: a DirectionControl is only used with a gpio pin, actual None[]",
                controlWithoutGpio.getMessage());
        assertTrue(control.closed);
    }

    @Test
    void missingDeviceIsReportedBeforeJSerialCommIsAsked() throws Exception {
        RecordingControl control = new RecordingControl();
        ModbusIoException e = assertThrows(ModbusIoException.class, () -> SerialPortTransport.open(
                SerialLineConfig.builder("/dev/ttyUSB-missing").direction(new Direction.GpioPin(4, true)).build(),
                control));
        assertEquals("serial port /dev/ttyUSB-missing: no such device (is the adapter plugged in? "
                + "ls /dev/serial/by-id lists the connected ones)", e.getMessage());
        assertEquals(List.of("receive"), control.calls);
        assertTrue(control.closed, "the control is released when opening fails");

        ModbusIoException relative = assertThrows(ModbusIoException.class,
                () -> SerialPortTransport.open(SerialLineConfig.builder("null").build()));
        assertEquals("serial port null: no such device (did you mean /dev/null?)", relative.getMessage());
    }

    /** A direction control that records calls and can fail to release the bus. */
    private static final class RecordingControl implements DirectionControl {
        final List<String> calls = new ArrayList<>();
        boolean failTransmit;
        boolean failReceive;
        boolean closed;

        @Override
        public void transmit() throws ModbusIoException {
            calls.add("transmit");
            if (failTransmit) {
                throw new ModbusIoException("transmit failed");
            }
        }

        @Override
        public void receive() throws ModbusIoException {
            calls.add("receive");
            if (failReceive) {
                throw new ModbusIoException("receive failed");
            }
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
