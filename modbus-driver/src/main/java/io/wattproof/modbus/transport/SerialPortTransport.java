package io.wattproof.modbus.transport;

import com.fazecast.jSerialComm.SerialPort;
import com.fazecast.jSerialComm.SerialPortInvalidPortException;
import io.wattproof.modbus.ModbusIoException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@link ByteTransport} over a local serial port through jSerialComm: raw 8-bit (or 7-bit) characters,
 * no flow control, no echo, no character translation.
 *
 * <p><b>Reading.</b> jSerialComm applies a read timeout by reconfiguring the whole port (two
 * tcsetattr calls plus the serial and RS-485 ioctls, about 10 system calls) and rounds it up to
 * whole 100 ms, the unit of termios VTIME. So the port is configured once, semi-blocking with a
 * 100 ms slice (VMIN 0, VTIME 1: the kernel wakes the reader on the first byte), and {@link #read}
 * builds the caller's timeout from that: bytes already queued are returned at once; while at least
 * one slice remains the reader blocks in the kernel; the rest, and any timeout under 100 ms, is
 * waited out by looking at the receive queue (FIONREAD, under 1 us) with pauses growing from 50 us
 * to about one character time (0.25..2 ms). Measured through socat ptys with an echoing peer
 * (SerialRoundTripBenchmark, 8-byte frames, 2-core machine under load): with a 1 s timeout the
 * round trip is the same as setting the timeout before every read (median 150..220 us both) at
 * ~10 us less CPU per read; a 50 ms timeout, which jSerialComm alone cannot express, costs about
 * twice the CPU per round trip, and waiting out a short timeout on a silent line ~4% of a core at
 * 9600 Bd (~11% at 115200 Bd). So wait for a response with its full remaining timeout, not in
 * short steps.
 *
 * <p><b>Writing.</b> {@link #write} returns after tcdrain, when the driver reports the last
 * character sent. With a GPIO direction pin the pin is switched to transmit before the first byte
 * and back to receive after the drain, also when the write fails; since some drivers (USB serial)
 * report drained before the adapter has shifted the bits out, the pin is held at least as long as
 * the characters take at the configured baud rate.
 *
 * <p>Not thread-safe, like every {@link ByteTransport}; {@link #close} may be called from another
 * thread to end a blocked read.
 */
public final class SerialPortTransport implements ByteTransport {
    private static final long FIRST_POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final long MIN_POLL_CAP_NANOS = TimeUnit.MICROSECONDS.toNanos(250);
    private static final long MAX_POLL_CAP_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final SerialLineConfig config;
    private final SerialLine line;
    private final DirectionControl directionControl; // null unless the config names a GPIO pin
    private final long pollCapNanos;
    private volatile boolean closed;

    SerialPortTransport(SerialLineConfig config, SerialLine line, DirectionControl directionControl) {
        this.config = Objects.requireNonNull(config, "config");
        this.line = Objects.requireNonNull(line, "line");
        this.directionControl = directionControl;
        // A byte arriving after a silence is noticed within about one character time.
        this.pollCapNanos = Math.clamp(config.characterNanos(), MIN_POLL_CAP_NANOS, MAX_POLL_CAP_NANOS);
    }

    /**
     * Opens a line whose direction is {@link SerialLineConfig.Direction.None} or {@link
     * SerialLineConfig.Direction.PortRs485}.
     */
    public static SerialPortTransport open(SerialLineConfig config) throws ModbusIoException {
        Objects.requireNonNull(config, "config");
        if (config.direction() instanceof SerialLineConfig.Direction.GpioPin pin) {
            throw new IllegalArgumentException("direction: gpio pin " + pin.pin()
                    + " needs a DirectionControl (e.g. Pi4jDirectionControl.create): use open(config, control)");
        }
        return openPort(config, null);
    }

    /**
     * Opens a line whose direction is a {@link SerialLineConfig.Direction.GpioPin} switched by {@code
     * directionControl}. The transport owns the control from now on and closes it on {@link #close},
     * also when opening fails.
     */
    public static SerialPortTransport open(SerialLineConfig config, DirectionControl directionControl)
            throws ModbusIoException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(directionControl, "directionControl");
        if (!(config.direction() instanceof SerialLineConfig.Direction.GpioPin)) {
            directionControl.close();
            throw new IllegalArgumentException("direction: a DirectionControl is only used with a gpio pin, actual "
                    + config.direction());
        }
        try {
            directionControl.receive();
            return openPort(config, directionControl);
        } catch (ModbusIoException | RuntimeException e) {
            directionControl.close();
            throw e;
        }
    }

    private static SerialPortTransport openPort(SerialLineConfig config, DirectionControl control)
            throws ModbusIoException {
        Path path = Path.of(config.portPath());
        if (!Files.exists(path)) {
            // jSerialComm would quietly try /dev/<name> and /dev/<last path element> instead.
            throw new ModbusIoException("serial port " + config.portPath() + ": no such device" + missingHint(path));
        }
        JSerialCommLoader.ensureLoaded();
        SerialPort port;
        try {
            port = SerialPort.getCommPort(config.portPath());
        } catch (SerialPortInvalidPortException e) {
            throw new ModbusIoException("serial port " + config.portPath() + ": " + e.getMessage(),
                    new IOException(e));
        }
        boolean rs485 = config.direction() instanceof SerialLineConfig.Direction.PortRs485;
        // Everything is set before openPort(), which applies it in one configuration pass.
        port.setComPortParameters(config.baudRate(), config.dataBits(),
                config.stopBits() == 2 ? SerialPort.TWO_STOP_BITS : SerialPort.ONE_STOP_BIT,
                switch (config.parity()) {
                    case NONE -> SerialPort.NO_PARITY;
                    case EVEN -> SerialPort.EVEN_PARITY;
                    case ODD -> SerialPort.ODD_PARITY;
                },
                rs485);
        port.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING,
                JSerialCommLine.READ_SLICE_MILLIS, 0);
        if (config.direction() instanceof SerialLineConfig.Direction.PortRs485 r) {
            // jSerialComm takes microseconds; the kernel's serial_rs485 delays are whole milliseconds.
            port.setRs485ModeParameters(true, r.activeHigh(), r.delayBeforeSendMillis() * 1000,
                    r.delayAfterSendMillis() * 1000);
        }
        if (!port.openPort()) {
            throw new ModbusIoException("serial port " + config.describe() + ": cannot open: "
                    + openFailure(port.getLastErrorCode()));
        }
        return new SerialPortTransport(config, new JSerialCommLine(port), control);
    }

    private static String missingHint(Path path) {
        if (!path.isAbsolute() && Files.exists(Path.of("/dev").resolve(path))) {
            return " (did you mean /dev/" + path + "?)";
        }
        return " (is the adapter plugged in? ls /dev/serial/by-id lists the connected ones)";
    }

    private static String openFailure(int errno) {
        return switch (errno) {
            // The file exists (checked before), so ENOENT is jSerialComm's code for "already open here".
            case Errno.ENOENT -> "already open in this process";
            case Errno.EACCES -> Errno.describe(errno) + " (add the user to the group owning the device, "
                    + "usually dialout)";
            case Errno.EAGAIN, Errno.EBUSY -> Errno.describe(errno) + " (another process has it open and locked)";
            case Errno.ENOTTY -> Errno.describe(errno) + " (the path is not a serial port)";
            case Errno.ENXIO, Errno.ENODEV -> Errno.describe(errno) + " (the device is gone: unplugged?)";
            default -> Errno.describe(errno);
        };
    }

    public SerialLineConfig config() {
        return config;
    }

    /** The longest pause between two looks at the receive queue while polling. */
    long pollCapNanos() {
        return pollCapNanos;
    }

    @Override
    public void write(byte[] bytes) throws ModbusIoException {
        Objects.requireNonNull(bytes, "bytes");
        requireOpen();
        if (bytes.length == 0) {
            return;
        }
        if (directionControl == null) {
            writeAll(bytes);
            return;
        }
        try {
            directionControl.transmit();
            long started = System.nanoTime();
            writeAll(bytes);
            holdUntilSent(started, bytes.length);
        } catch (ModbusIoException | RuntimeException e) {
            try {
                directionControl.receive();
            } catch (ModbusIoException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        directionControl.receive();
    }

    private void writeAll(byte[] bytes) throws ModbusIoException {
        int written = line.write(bytes);
        if (written != bytes.length) {
            throw failure("write failed after " + Math.max(written, 0) + " of " + bytes.length + " bytes");
        }
    }

    /** Waits until {@code count} characters can have left the UART at the configured baud rate. */
    private void holdUntilSent(long started, int count) {
        long end = started + count * config.characterNanos();
        long remaining;
        while ((remaining = end - System.nanoTime()) > 0) {
            LockSupport.parkNanos(remaining);
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length, Duration timeout) throws ModbusIoException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout: expected >= 0, actual " + timeout);
        }
        requireOpen();
        if (length == 0) {
            return 0;
        }
        long deadline = System.nanoTime() + saturatedNanos(timeout);
        long pause = FIRST_POLL_NANOS;
        while (true) {
            int available = line.bytesAvailable();
            if (available < 0) {
                throw failure("read failed");
            }
            if (available > 0) {
                return readSome(buffer, offset, Math.min(length, available));
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return 0;
            }
            if (Thread.currentThread().isInterrupted()) {
                // The flag stays set for the caller; parkNanos would return at once from now on.
                throw new ModbusIoException("serial port " + config.describe() + ": read interrupted");
            }
            if (remaining >= line.blockingSliceNanos()) {
                int n = readSome(buffer, offset, length); // the kernel wakes us on the first byte
                if (n > 0) {
                    return n;
                }
            } else {
                // Bytes of a frame follow each other within a character time, so look again soon;
                // the longer the silence, the less often (bounded CPU while a short timeout runs out).
                LockSupport.parkNanos(Math.min(remaining, pause));
                pause = Math.min(pause * 2, pollCapNanos);
            }
        }
    }

    private int readSome(byte[] buffer, int offset, int length) throws ModbusIoException {
        int n = line.read(buffer, offset, length);
        if (n < 0) {
            throw failure("read failed");
        }
        return n;
    }

    /** Bytes received and not yet read (FIONREAD). */
    int available() throws ModbusIoException {
        requireOpen();
        int available = line.bytesAvailable();
        if (available < 0) {
            throw failure("reading the receive queue length failed");
        }
        return available;
    }

    @Override
    public void discardInput() throws ModbusIoException {
        requireOpen();
        if (!line.discardInput()) {
            throw failure("discarding received bytes failed");
        }
    }

    @Override
    public String describe() {
        return config.describe();
    }

    /** Closes the port (a read blocked in another thread returns) and leaves a direction pin receiving. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        line.close();
        if (directionControl != null) {
            directionControl.close();
        }
    }

    private void requireOpen() throws ModbusIoException {
        if (closed) {
            throw new ModbusIoException("serial port " + config.describe() + " is closed");
        }
    }

    private ModbusIoException failure(String what) {
        if (closed) {
            return new ModbusIoException("serial port " + config.describe() + " is closed");
        }
        return new ModbusIoException("serial port " + config.describe() + ": " + what + " ("
                + Errno.describe(line.lastErrorCode()) + ")");
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 2; // centuries: as good as forever, and deadline arithmetic cannot overflow
        }
    }

    @Override
    public String toString() {
        return "SerialPortTransport[" + config.describe() + "]";
    }
}
