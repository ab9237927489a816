package io.wattproof.modbus.slave;

import io.wattproof.modbus.ModbusIoException;
import io.wattproof.modbus.frame.rtu.RtuFrame;
import io.wattproof.modbus.frame.rtu.RtuFrameScanner;
import io.wattproof.modbus.frame.rtu.RtuScan;
import io.wattproof.modbus.frame.rtu.RtuTiming;
import io.wattproof.modbus.pdu.ModbusResponse;
import io.wattproof.modbus.pdu.PduCodec;
import io.wattproof.modbus.transport.ByteTransport;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Modbus RTU server on a {@link ByteTransport}: the simulator's virtual meter on a serial port (or
 * a pseudo-terminal), answering with the same {@link PduCodec} and {@link RegisterBank} as {@link
 * ModbusTcpSlave}.
 *
 * <p>Requests are found with {@link RtuFrameScanner#scanRequest}, so noise between frames is
 * skipped. A request whose length cannot be worked out (an unknown function code) is taken as one
 * frame when the line falls silent, as Serial Line V1.02 section 2.5.1.1 frames messages, and
 * answered with "illegal function" if its CRC is valid. Frames with a bad CRC and frames for other
 * addresses are dropped without an answer (section 2.4.1); a broadcast (address 0) is executed and
 * never answered. The answer goes out t3.5 after the request ended.
 */
public final class ModbusRtuSlave implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ModbusRtuSlave.class);
    private static final Duration IDLE_POLL = Duration.ofMillis(200);
    private static final Duration MIN_SILENCE = Duration.ofMillis(20);
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(5);

    private final ByteTransport transport;
    private final Set<Integer> unitIds;
    private final RtuTiming timing;
    private final RegisterBank bank;
    private final Duration silence;
    private final Thread worker;
    private volatile boolean closed;
    private volatile long requestsAnswered;

    private ModbusRtuSlave(ByteTransport transport, Set<Integer> unitIds, RtuTiming timing, RegisterBank bank) {
        this.transport = transport;
        this.unitIds = unitIds;
        this.timing = timing;
        this.bank = bank;
        this.silence = timing.t35().compareTo(MIN_SILENCE) > 0 ? timing.t35() : MIN_SILENCE;
        this.worker = Thread.ofPlatform().daemon().name("modbus-rtu-slave " + transport.describe()).unstarted(this::serve);
    }

    /**
     * Starts answering on {@code transport}, which the slave owns from now on.
     *
     * @param unitIds the addresses answered, each 1..247
     */
    public static ModbusRtuSlave start(ByteTransport transport, Set<Integer> unitIds, RtuTiming timing,
            RegisterBank bank) {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(timing, "timing");
        Objects.requireNonNull(bank, "bank");
        Set<Integer> ids = Set.copyOf(unitIds);
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("unit ids: expected at least one address 1..247, actual none");
        }
        for (int id : ids) {
            if (id < 1 || id > RtuFrame.MAX_DEVICE_ADDRESS) {
                throw new IllegalArgumentException("unit id: expected 1..247, actual " + id);
            }
        }
        ModbusRtuSlave slave = new ModbusRtuSlave(transport, ids, timing, bank);
        slave.worker.start();
        log.debug("modbus rtu slave serving line={} unitIds={}", transport.describe(), ids);
        return slave;
    }

    /** Requests answered so far (not counting broadcasts, which get no answer). */
    public long requestsAnswered() {
        return requestsAnswered;
    }

    private void serve() {
        byte[] buffer = new byte[2 * RtuFrame.MAX_FRAME_LENGTH];
        int length = 0;
        String outcome = "closed";
        try {
            while (!closed) {
                int n = transport.read(buffer, length, buffer.length - length, length == 0 ? IDLE_POLL : silence);
                if (closed) {
                    break;
                }
                if (n == 0) {
                    if (length > 0) {
                        // Silence ended whatever came: one frame of a function we cannot frame by length, or noise.
                        Optional<RtuFrame> frame = RtuFrameScanner.wholeFrame(buffer, 0, length);
                        if (frame.isPresent()) {
                            handle(frame.get());
                        } else {
                            log.debug("modbus rtu slave dropped bytes line={} count={}", transport.describe(), length);
                        }
                        length = 0;
                    }
                    continue;
                }
                length += n;
                while (length > 0 && RtuFrameScanner.scanRequest(buffer, 0, length) instanceof RtuScan.Found found) {
                    handle(found.frame());
                    System.arraycopy(buffer, found.end(), buffer, 0, length - found.end());
                    length -= found.end();
                }
                if (length == buffer.length) {
                    log.debug("modbus rtu slave dropped noise line={} count={}", transport.describe(), length);
                    length = 0;
                }
            }
        } catch (ModbusIoException e) {
            outcome = closed ? "closed" : "i/o error: " + e.getMessage();
            if (!closed) {
                log.warn("modbus rtu slave stopped line={} error={}", transport.describe(), e.getMessage());
            }
        } finally {
            log.debug("modbus rtu slave ended line={} outcome={}", transport.describe(), outcome);
        }
    }

    private void handle(RtuFrame request) throws ModbusIoException {
        boolean broadcast = request.unitId() == RtuFrame.BROADCAST;
        if (!broadcast && !unitIds.contains(request.unitId())) {
            return;
        }
        Optional<ModbusResponse> response = RequestHandler.answer(bank, request.pdu());
        if (broadcast || response.isEmpty()) {
            return;
        }
        // Section 2.5.1.1: the answer is a new frame, t3.5 after the request. parkNanos may return
        // early (spuriously, or for a pending unpark), so wait out the whole interval.
        long quietUntil = System.nanoTime() + timing.t35().toNanos();
        long remaining;
        while ((remaining = quietUntil - System.nanoTime()) > 0 && !closed) {
            LockSupport.parkNanos(remaining);
        }
        transport.write(new RtuFrame(request.unitId(), PduCodec.encode(response.get())).encode());
        requestsAnswered++;
    }

    /** Stops serving and closes the transport. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        transport.close();
        try {
            if (!worker.join(JOIN_TIMEOUT)) {
                log.warn("modbus rtu slave thread did not stop line={}", transport.describe());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "ModbusRtuSlave[" + transport.describe() + ", units " + unitIds + "]";
    }
}
