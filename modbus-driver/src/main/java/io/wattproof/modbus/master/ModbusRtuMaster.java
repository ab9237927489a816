package io.wattproof.modbus.master;

import io.wattproof.modbus.ModbusException;
import io.wattproof.modbus.ModbusExceptionResponse;
import io.wattproof.modbus.ModbusIoException;
import io.wattproof.modbus.ModbusProtocolException;
import io.wattproof.modbus.ModbusProtocolException.Kind;
import io.wattproof.modbus.ModbusTimeoutException;
import io.wattproof.modbus.frame.rtu.LineFault;
import io.wattproof.modbus.frame.rtu.RtuFrame;
import io.wattproof.modbus.frame.rtu.RtuFrameScanner;
import io.wattproof.modbus.frame.rtu.RtuScan;
import io.wattproof.modbus.pdu.DecodeResult;
import io.wattproof.modbus.pdu.ExceptionCode;
import io.wattproof.modbus.pdu.ExceptionResponse;
import io.wattproof.modbus.pdu.Hex;
import io.wattproof.modbus.pdu.ModbusRequest;
import io.wattproof.modbus.pdu.ModbusResponse;
import io.wattproof.modbus.pdu.PduCodec;
import io.wattproof.modbus.pdu.Violation;
import io.wattproof.modbus.transport.ByteTransport;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * Modbus RTU client (Modbus over Serial Line V1.02) over a {@link ByteTransport}: a serial port, or
 * a TCP socket to a serial gateway (RTU over TCP). One transaction at a time, as the line allows.
 *
 * <p>Each transaction: wait for t3.5 of silence since the line was last active and drop whatever
 * arrived unasked; send the request; collect bytes until the {@link RtuFrameScanner} finds a frame
 * with a valid CRC, the response timeout passes with nothing received, or a pause of {@code
 * frameSilence} ends a frame that never became valid. The frame must come from the unit asked and
 * answer the function asked, with the byte count the request implies. Bytes before it are noise
 * and skipped; a frame with a bad CRC is never used, whatever it contains.
 *
 * <p>Timeouts and line faults are retried with exponential backoff. Before a retry, and before the
 * next transaction after a failure, the master reads and drops bytes until the line has been
 * silent for {@code frameSilence}: a late answer to the failed request must not be taken as the
 * answer to the next one, since RTU frames carry no transaction id.
 */
public final class ModbusRtuMaster implements ModbusMaster {
    /** Two frames' worth: more bytes than that without a valid frame is a flood of noise. */
    private static final int BUFFER_LENGTH = 2 * RtuFrame.MAX_FRAME_LENGTH;
    private static final int FC_WRITE_SINGLE_REGISTER = 0x06;
    private static final int FC_WRITE_MULTIPLE_REGISTERS = 0x10;
    /**
     * The last stretch of a timed wait is spun rather than parked: a parked thread wakes ~100-150 us
     * late on a loaded 2-core machine (timer slack and scheduling), which at 115200 Bd is 7% of t3.5
     * and adds to every transaction; spinning the last 100 us removes most of it and costs no more
     * CPU than the wake-up it replaces, since the park mostly overshoots into the spin's window
     * (measured: docs/benchmarks.md, "RTU master against j2mod").
     */
    private static final long SPIN_NANOS = 100_000;

    private final ByteTransport transport;
    private final ModbusRtuMasterConfig config;
    private final byte[] buffer = new byte[BUFFER_LENGTH]; // guarded by this
    private long lastLineActivity = System.nanoTime() - Duration.ofSeconds(1).toNanos(); // guarded by this
    private boolean lineSuspect; // guarded by this: a failed transaction's answer may still arrive
    private boolean closed; // guarded by this
    private final LineCounters counters = new LineCounters(); // guarded by this

    public ModbusRtuMaster(ByteTransport transport, ModbusRtuMasterConfig config) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.config = Objects.requireNonNull(config, "config");
    }

    public ModbusRtuMasterConfig config() {
        return config;
    }

    /** Counts of transactions and line faults since this master was created. */
    public synchronized LineStatistics statistics() {
        return counters.snapshot();
    }

    /**
     * @param unitId 1..247; a broadcast (0) has no response, see {@link #broadcast}
     * @throws ModbusTimeoutException no response in any attempt
     * @throws ModbusProtocolException the last attempt ended in a line fault or a wrong answer;
     *     {@link ModbusProtocolException#kind()} says which
     * @throws ModbusExceptionResponse the device refused the request
     * @throws ModbusIoException the port failed or this master is closed
     */
    @Override
    public synchronized ModbusResponse execute(int unitId, ModbusRequest request) throws ModbusException {
        Objects.requireNonNull(request, "request");
        if (unitId < 1 || unitId > RtuFrame.MAX_DEVICE_ADDRESS) {
            throw new IllegalArgumentException("unit id: expected 1..247 (0 is broadcast, see broadcast()), actual "
                    + unitId);
        }
        requireOpen();
        byte[] frame = new RtuFrame(unitId, PduCodec.encode(request)).encode();
        ModbusException last = null;
        for (int attempt = 0; attempt <= config.retries(); attempt++) {
            if (attempt > 0) {
                counters.retries++;
                pause(config.backoff(attempt));
            }
            try {
                ModbusResponse response = attempt(unitId, request, frame);
                counters.transactions++;
                return response;
            } catch (ModbusTimeoutException | ModbusProtocolException e) {
                counters.count(e);
                lineSuspect = true;
                last = e;
            } catch (ModbusExceptionResponse e) {
                counters.exceptionResponses++;
                // 0x06: the device is busy with a long command and asks to be asked again.
                if (e.exceptionCode() != ExceptionCode.SERVER_DEVICE_BUSY.code()) {
                    throw e;
                }
                last = e;
            }
        }
        counters.failedTransactions++;
        throw last;
    }

    /**
     * Sends {@code request} to every device (address 0). Only writes may be broadcast (Serial Line
     * V1.02 section 2.1); no device answers, so the master waits the turnaround delay instead.
     */
    public synchronized void broadcast(ModbusRequest request) throws ModbusException {
        Objects.requireNonNull(request, "request");
        int function = request.functionCode().code();
        if (function != FC_WRITE_SINGLE_REGISTER && function != FC_WRITE_MULTIPLE_REGISTERS) {
            throw new IllegalArgumentException("broadcast function: expected a write (0x06 or 0x10), actual "
                    + Hex.byteValue(function));
        }
        requireOpen();
        prepareLine();
        transport.write(new RtuFrame(RtuFrame.BROADCAST, PduCodec.encode(request)).encode());
        pause(config.turnaroundDelay());
        lastLineActivity = System.nanoTime();
        counters.broadcasts++;
    }

    private ModbusResponse attempt(int unitId, ModbusRequest request, byte[] frame) throws ModbusException {
        prepareLine();
        transport.write(frame);
        long sent = System.nanoTime();
        lastLineActivity = sent;
        // A transport may return before the request is on the wire (a TCP gateway sends it on later;
        // SerialPortTransport drains first): count its transmission time into the timeout.
        long firstByteDeadline = sent + config.timing().transmissionTime(frame.length).toNanos()
                + config.responseTimeout().toNanos();
        long lastByteDeadline = firstByteDeadline + config.timing().transmissionTime(RtuFrame.MAX_FRAME_LENGTH).toNanos()
                + config.frameSilence().toNanos();
        int length = 0;
        int firstChunk = 0; // bytes the first read returned, and when
        long firstChunkAt = 0;
        LineFault fault = new LineFault.Silence();
        while (true) {
            long now = System.nanoTime();
            long wait = length == 0
                    ? firstByteDeadline - now
                    : Math.min(lastByteDeadline - now, config.frameSilence().toNanos());
            if (wait <= 0) {
                break;
            }
            int n = transport.read(buffer, length, buffer.length - length, Duration.ofNanos(wait));
            if (n == 0) {
                if (length > 0) {
                    break; // the line fell silent with no valid frame in what came
                }
                continue;
            }
            length += n;
            lastLineActivity = System.nanoTime();
            if (firstChunk == 0) {
                firstChunk = n;
                firstChunkAt = lastLineActivity;
            }
            RtuScan scan = RtuFrameScanner.scanResponse(buffer, 0, length, unitId);
            if (scan instanceof RtuScan.Found found) {
                if (found.start() > 0 || found.end() < length) {
                    counters.noiseBytes += found.start() + (length - found.end());
                    lineSuspect = true; // stray bytes around the answer: let the line settle first
                }
                return accept(unitId, request, found.frame());
            }
            fault = ((RtuScan.Incomplete) scan).fault();
            if (length == buffer.length) {
                break;
            }
            awaitRestOfAnswer(unitId, request, length, firstChunk, firstChunkAt, lastByteDeadline);
        }
        throw failure(fault, unitId, request);
    }

    /**
     * When the answer has begun, its remaining characters cannot arrive faster than the line carries
     * them: wait that long, then read them together, instead of waking for each character (at 9600
     * Bd a 40-register answer trickles in over 88 ms, and polling for it cost ~11 ms of CPU per
     * transaction). The characters of a frame follow each other without a gap (at most t1.5, Serial
     * Line V1.02 section 2.5.1.1), so the last one arrives no earlier than one character time per
     * byte after the last byte of the first read, which returned as soon as the kernel had bytes;
     * later reads may return late and are not a reference. If bytes come later than that (a USB
     * adapter's latency, a pausing device), the reads that follow find them as before. The wait ends
     * no later than the last-byte deadline, and every byte is read and scanned as before: this
     * changes when the master looks, never what it accepts. Without line timing (RTU over TCP)
     * there is nothing to wait for.
     */
    private void awaitRestOfAnswer(int unitId, ModbusRequest request, int length, int firstChunk, long firstChunkAt,
            long lastByteDeadline) throws ModbusIoException {
        long characterNanos = config.timing().characterTime().toNanos();
        int missing = RtuFrameScanner.responseBytesMissing(buffer, 0, length, unitId, request.functionCode().code());
        if (missing > 0 && characterNanos > 0) {
            long complete = firstChunkAt + (long) (length + missing - firstChunk) * characterNanos;
            waitUntil(Math.min(complete, lastByteDeadline));
        }
    }

    private ModbusResponse accept(int unitId, ModbusRequest request, RtuFrame frame) throws ModbusException {
        if (frame.unitId() != unitId) {
            throw new ModbusProtocolException(Kind.UNEXPECTED_UNIT, "unit id", Integer.toString(unitId),
                    Integer.toString(frame.unitId()), Hex.bytes(frame.encode()));
        }
        return switch (PduCodec.decodeResponse(request, frame.pdu())) {
            case DecodeResult.Invalid<ModbusResponse>(Violation v) -> throw new ModbusProtocolException(
                    v.field().equals("function code") ? Kind.UNEXPECTED_FUNCTION : Kind.MALFORMED, v);
            case DecodeResult.Decoded<ModbusResponse>(ExceptionResponse e) -> throw new ModbusExceptionResponse(e);
            case DecodeResult.Decoded<ModbusResponse>(ModbusResponse r) -> r;
        };
    }

    private ModbusException failure(LineFault fault, int unitId, ModbusRequest request) {
        return switch (fault) {
            case LineFault.Silence s -> new ModbusTimeoutException("response to function "
                    + Hex.byteValue(request.functionCode().code()) + " from unit " + unitId + " on "
                    + transport.describe(), config.responseTimeout());
            case LineFault.Noise n -> new ModbusProtocolException(Kind.NOISE, n.violation());
            case LineFault.Truncated t -> new ModbusProtocolException(Kind.TRUNCATED_FRAME, t.violation());
            case LineFault.CrcMismatch c -> new ModbusProtocolException(Kind.CRC_ERROR, c.violation());
        };
    }

    /**
     * Section 2.5.1.1: a new frame starts only after t3.5 of silence. After a failure, wait until
     * the line has been quiet for {@code frameSilence}, dropping what arrives, bounded by the
     * response timeout so that a babbling device cannot hold the master forever.
     */
    private void prepareLine() throws ModbusIoException {
        if (lineSuspect) {
            long giveUp = System.nanoTime() + config.responseTimeout().toNanos();
            while (System.nanoTime() < giveUp) {
                int n = transport.read(buffer, 0, buffer.length, config.frameSilence());
                if (n == 0) {
                    break;
                }
                counters.noiseBytes += n;
                lastLineActivity = System.nanoTime();
            }
            lineSuspect = false;
        }
        waitUntil(lastLineActivity + config.timing().t35().toNanos());
        transport.discardInput();
    }

    /**
     * Returns at {@code deadline} ({@link System#nanoTime}) or just after, never before: parkNanos
     * may return early (spuriously, or for a pending unpark), which for t3.5 would put the request
     * on the line too soon. Parks, then spins the last {@link #SPIN_NANOS}.
     */
    private void waitUntil(long deadline) throws ModbusIoException {
        long remaining;
        while ((remaining = deadline - System.nanoTime()) > SPIN_NANOS) {
            if (Thread.currentThread().isInterrupted()) {
                // The flag stays set for the caller; parkNanos would return at once from now on.
                throw new ModbusIoException("interrupted while waiting for the line on " + transport.describe());
            }
            LockSupport.parkNanos(remaining - SPIN_NANOS);
        }
        while (deadline - System.nanoTime() > 0) {
            Thread.onSpinWait();
        }
    }

    private void requireOpen() throws ModbusIoException {
        if (closed) {
            throw new ModbusIoException("master on " + transport.describe() + " is closed");
        }
    }

    private static void pause(Duration d) throws ModbusIoException {
        if (d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModbusIoException("interrupted while waiting " + d.toMillis() + " ms between transactions");
        }
    }

    /** Closes the transport; a transaction in progress finishes first. */
    @Override
    public synchronized void close() {
        closed = true;
        transport.close();
    }

    @Override
    public String toString() {
        return "ModbusRtuMaster[" + transport.describe() + "]";
    }

    private static final class LineCounters {
        long transactions;
        long failedTransactions;
        long retries;
        long timeouts;
        long crcErrors;
        long truncatedFrames;
        long noiseFaults;
        long unexpectedAnswers;
        long exceptionResponses;
        long broadcasts;
        long noiseBytes;

        void count(ModbusException e) {
            if (e instanceof ModbusTimeoutException) {
                timeouts++;
            } else if (e instanceof ModbusProtocolException p) {
                switch (p.kind()) {
                    case CRC_ERROR -> crcErrors++;
                    case TRUNCATED_FRAME -> truncatedFrames++;
                    case NOISE -> noiseFaults++;
                    default -> unexpectedAnswers++;
                }
            }
        }

        LineStatistics snapshot() {
            return new LineStatistics(transactions, failedTransactions, retries, timeouts, crcErrors, truncatedFrames,
                    noiseFaults, unexpectedAnswers, exceptionResponses, broadcasts, noiseBytes);
        }
    }
}
