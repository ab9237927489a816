package io.wattproof.agent.charging;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.wattproof.agent.charging.ChargingCommand.CloseRelay;
import io.wattproof.agent.charging.ChargingCommand.OpenRelay;
import io.wattproof.agent.charging.ChargingCommand.PersistSession;
import io.wattproof.agent.charging.ChargingCommand.PublishLive;
import io.wattproof.agent.charging.ChargingCommand.RejectRequest;
import io.wattproof.agent.charging.ChargingCommand.SubmitSession;
import io.wattproof.agent.charging.ChargingCommand.SubmitSessionStart;
import io.wattproof.crypto.DeviceId;
import io.wattproof.protocol.SignBytes;
import io.wattproof.protocol.v1.BodyType;
import io.wattproof.protocol.v1.ChargingSession.EndReason;
import io.wattproof.protocol.v1.SessionStart;
import io.wattproof.protocol.v1.SignedTx;
import io.wattproof.protocol.v1.StartRequest;
import io.wattproof.protocol.v1.StopRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The pile's session state machine (docs/charging.md, "The pile's controller"):
 *
 * <pre>
 *   idle ──StartRequest──> authorised ──first sample──> charging ──limit/window/stop──> stopping ──end sample──> closed
 *                               └──fault/window/stop──> idle            └──fault──> closed (FAULT, last register)
 * </pre>
 *
 * <p>Pure: each event comes with {@code now} and returns the commands for the shell, in order. The
 * one invariant everything else serves: {@link ChargingCommand.CloseRelay} is only ever emitted for
 * a {@link VerifiedBooking} this controller holds and a StartRequest that passed every check. Not
 * thread-safe; the shell feeds it from one thread.
 */
public final class ChargingController {
    /** Phases as in the diagram above. */
    public enum Phase { IDLE, AUTHORISED, CHARGING, STOPPING, CLOSED }

    /**
     * @param maxRequestAge a request older than this is refused (docs/charging.md: a minute)
     * @param maxRequestAhead a request dated further ahead is refused (clock skew allowance)
     * @param meterTimeout no sample for this long while the relay is closed is a fault: meter unreadable
     * @param stopGrace after opening the relay, how long to wait for the end register before
     *     closing with the last one known
     * @param persistEvery how often a running session's last register is written (flash wear
     *     against how much a power cut can lose from the bill)
     */
    public record Settings(DeviceId pileId, String chainId, Duration maxRequestAge, Duration maxRequestAhead,
            Duration meterTimeout, Duration stopGrace, Duration persistEvery) {
        public Settings {
            SignBytes.checkChainId(chainId);
        }

        public static Settings defaults(DeviceId pileId, String chainId) {
            return new Settings(pileId, chainId, Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofSeconds(30),
                    Duration.ofSeconds(10), Duration.ofSeconds(60));
        }
    }

    private final Settings settings;
    private final Map<String, VerifiedBooking> bookings = new LinkedHashMap<>();
    private final Set<String> used = new HashSet<>();

    private Phase phase = Phase.IDLE;
    private VerifiedBooking booking;
    private byte[] startRequest;
    private Instant phaseSince;
    private OpenSession session;
    private Instant lastSampleAt;
    private Instant lastPersistAt;
    private EndReason stopReason;
    private ClosedSession closed;
    private boolean relayCommandedClosed;

    public ChargingController(Settings settings) {
        this.settings = settings;
    }

    public Phase phase() {
        return phase;
    }

    /** The session that has a start register, while charging or stopping. */
    public Optional<OpenSession> openSession() {
        return Optional.ofNullable(session);
    }

    public Optional<ClosedSession> lastClosed() {
        return Optional.ofNullable(closed);
    }

    /** Holds a booking the ledger follower proved and {@link BookingCheck} verified. */
    public List<ChargingCommand> onBooking(VerifiedBooking verified) {
        if (!used.contains(verified.bookingHashHex())) {
            bookings.put(verified.bookingHashHex(), verified);
        }
        return List.of();
    }

    /**
     * After a restart: a session the state file says was open is closed with FAULT at the last
     * register it knew, so it is billed once (docs/charging.md step 4). The relay is opened first
     * whatever it is.
     */
    public List<ChargingCommand> resume(OpenSession open, Instant now) {
        if (phase != Phase.IDLE && phase != Phase.CLOSED) {
            throw new IllegalStateException("resume: expected an idle controller, got " + phase);
        }
        used.add(HexFormat.of().formatHex(open.bookingTxHash()));
        bookings.remove(HexFormat.of().formatHex(open.bookingTxHash()));
        List<ChargingCommand> out = new ArrayList<>();
        out.add(openRelay("resumed after restart: closing open session as FAULT"));
        session = open;
        close(out, open.lastSampleAt(), open.lastImportWh(), EndReason.FAULT);
        return out;
    }

    public List<ChargingCommand> onStartRequest(byte[] signedTx, Instant now) {
        String hashHex;
        VerifiedBooking held;
        switch (SignedBodies.parse(signedTx, BodyType.START_REQUEST)) {
            case SignedBodies.Parsed.Bad bad -> {
                return reject("start request " + bad.reason());
            }
            case SignedBodies.Parsed.Ok ok -> {
                StartRequest request;
                try {
                    request = StartRequest.parseFrom(ok.tx().getBody());
                } catch (InvalidProtocolBufferException e) {
                    return reject("start request body: expected a wattproof.v1.StartRequest, got bytes that do not parse: " + e.getMessage());
                }
                hashHex = HexFormat.of().formatHex(request.getBookingTxHash().toByteArray());
                if (phase != Phase.IDLE && phase != Phase.CLOSED) {
                    return reject("start request: expected an idle pile, got " + phase + " (booking " + booking.bookingHashHex() + ")");
                }
                if (used.contains(hashHex)) {
                    return reject("start request booking_tx_hash: expected a booking without a session, got " + hashHex + " which had one");
                }
                held = bookings.get(hashHex);
                if (held == null) {
                    return reject("start request booking_tx_hash: expected one of " + bookings.size()
                            + " verified bookings of this pile, got " + hashHex);
                }
                String bad = checkRequest(ok.tx(), held, request.getPileDeviceId(), request.getRequestedAt(), now, "start request");
                if (bad != null) {
                    return reject(bad);
                }
                if (!held.isInWindow(now)) {
                    return reject("start request: expected now inside the booked window [" + held.windowStart() + ", "
                            + held.windowEnd() + "), got " + now);
                }
                // The ledger refuses a SessionStart whose embedded request is dated outside the
                // window (docs/charging.md, SessionStart rule), so the pile must not start on it.
                Instant at = Instant.ofEpochSecond(request.getRequestedAt());
                if (!held.isInWindow(at)) {
                    return reject("start request requested_at: expected inside the booked window [" + held.windowStart() + ", "
                            + held.windowEnd() + "), got " + at);
                }
            }
        }
        booking = held;
        startRequest = signedTx.clone();
        enter(Phase.AUTHORISED, now);
        relayCommandedClosed = true;
        return List.of(new CloseRelay());
    }

    public List<ChargingCommand> onStopRequest(byte[] signedTx, Instant now) {
        SignedTx tx;
        switch (SignedBodies.parse(signedTx, BodyType.STOP_REQUEST)) {
            case SignedBodies.Parsed.Bad bad -> {
                return reject("stop request " + bad.reason());
            }
            case SignedBodies.Parsed.Ok ok -> tx = ok.tx();
        }
        StopRequest request;
        try {
            request = StopRequest.parseFrom(tx.getBody());
        } catch (InvalidProtocolBufferException e) {
            return reject("stop request body: expected a wattproof.v1.StopRequest, got bytes that do not parse: " + e.getMessage());
        }
        if (phase != Phase.AUTHORISED && phase != Phase.CHARGING) {
            return reject("stop request: expected a running session, got " + phase);
        }
        if (!Arrays.equals(request.getBookingTxHash().toByteArray(), booking.bookingTxHash())) {
            return reject("stop request booking_tx_hash: expected " + booking.bookingHashHex() + ", got "
                    + HexFormat.of().formatHex(request.getBookingTxHash().toByteArray()));
        }
        String bad = checkRequest(tx, booking, request.getPileDeviceId(), request.getRequestedAt(), now, "stop request");
        if (bad != null) {
            return reject(bad);
        }
        List<ChargingCommand> out = new ArrayList<>();
        stop(out, now, EndReason.STOPPED_BY_USER, "stop requested");
        return out;
    }

    public List<ChargingCommand> onSample(MeterSample sample, Instant now) {
        List<ChargingCommand> out = new ArrayList<>();
        switch (phase) {
            case IDLE, CLOSED -> {
                return List.of();
            }
            case AUTHORISED -> {
                if (!booking.isInWindow(now)) {
                    abandon(out, now, "booked window ended before the start register was read");
                    return out;
                }
                // The start register: read after the relay closed (docs/charging.md step 1).
                Instant start = Instant.ofEpochSecond(now.getEpochSecond());
                session = new OpenSession(booking.bookingTxHash(), booking.offer().getOwnerPseudonym().toByteArray(),
                        booking.booking().getDriverPseudonym().toByteArray(), booking.booking().getDriverSealKey().toByteArray(),
                        startRequest, start, sample.importWh(), start, sample.importWh());
                used.add(booking.bookingHashHex());
                bookings.remove(booking.bookingHashHex());
                lastSampleAt = now;
                lastPersistAt = now;
                enter(Phase.CHARGING, now);
                // Persisted before SessionStart leaves: a session the ledger may know of is never
                // one a restarted pile has forgotten.
                out.add(new PersistSession(session));
                out.add(new SubmitSessionStart(SessionStart.newBuilder()
                        .setBookingTxHash(ByteString.copyFrom(booking.bookingTxHash()))
                        .setPileDeviceId(ByteString.copyFrom(settings.pileId().bytes()))
                        .setStartTime(start.getEpochSecond())
                        .setStartImportWh(sample.importWh())
                        .setStartRequest(ByteString.copyFrom(startRequest))
                        .build()));
                out.add(live(now, sample.powerW(), 0));
                return out;
            }
            case CHARGING -> {
                if (sample.importWh() < session.lastImportWh()) {
                    fault(out, now, "meter import register: expected ≥ " + session.lastImportWh() + " Wh, got " + sample.importWh());
                    return out;
                }
                session = session.withLast(now.isBefore(session.startTime()) ? session.startTime() : now, sample.importWh());
                lastSampleAt = now;
                long energy = session.lastImportWh() - session.startImportWh();
                long amount = amount(energy);
                out.add(live(now, sample.powerW(), energy));
                if (Long.compareUnsigned(energy, booking.booking().getMaxEnergyWh()) >= 0
                        || Long.compareUnsigned(amount, booking.booking().getMaxAmount()) >= 0) {
                    stop(out, now, EndReason.LIMIT_REACHED, "limit reached: " + energy + " Wh, amount " + amount);
                } else if (!booking.isInWindow(now)) {
                    stop(out, now, EndReason.WINDOW_ENDED, "booked window ended");
                } else if (!now.isBefore(lastPersistAt.plus(settings.persistEvery()))) {
                    lastPersistAt = now;
                    out.add(new PersistSession(session));
                }
                return out;
            }
            case STOPPING -> {
                // The end register, read with the relay open.
                long end = Math.max(sample.importWh(), session.lastImportWh());
                close(out, now.isBefore(session.lastSampleAt()) ? session.lastSampleAt() : now, end, stopReason);
                return out;
            }
        }
        return out;
    }

    public List<ChargingCommand> onTick(Instant now) {
        List<ChargingCommand> out = new ArrayList<>();
        bookings.values().removeIf(b -> !now.isBefore(b.windowEnd()));
        switch (phase) {
            case AUTHORISED -> {
                if (!booking.isInWindow(now)) {
                    abandon(out, now, "booked window ended before the start register was read");
                } else if (!now.isBefore(phaseSince.plus(settings.meterTimeout()))) {
                    abandon(out, now, "meter unreadable: no sample for " + settings.meterTimeout());
                }
            }
            case CHARGING -> {
                if (!now.isBefore(lastSampleAt.plus(settings.meterTimeout()))) {
                    fault(out, now, "meter unreadable: no sample for " + settings.meterTimeout());
                } else if (!booking.isInWindow(now)) {
                    stop(out, now, EndReason.WINDOW_ENDED, "booked window ended");
                }
            }
            case STOPPING -> {
                if (!now.isBefore(phaseSince.plus(settings.stopGrace()))) {
                    close(out, session.lastSampleAt(), session.lastImportWh(), stopReason);
                }
            }
            case IDLE, CLOSED -> { }
        }
        return out;
    }

    /** A fault the shell noticed (meter error, relay driver failure); {@code reason} for the log. */
    public List<ChargingCommand> onFault(String reason, Instant now) {
        List<ChargingCommand> out = new ArrayList<>();
        switch (phase) {
            case AUTHORISED -> abandon(out, now, "fault: " + reason);
            case CHARGING -> fault(out, now, reason);
            case STOPPING -> close(out, session.lastSampleAt(), session.lastImportWh(), stopReason);
            case IDLE, CLOSED -> out.add(openRelay("fault while idle: " + reason));
        }
        return out;
    }

    /** The relay's feedback contact: a disagreement with what was commanded is a fault. */
    public List<ChargingCommand> onRelayFeedback(boolean closedNow, Instant now) {
        if (closedNow == relayCommandedClosed) {
            return List.of();
        }
        String reason = "relay feedback: expected " + (relayCommandedClosed ? "closed" : "open") + ", got " + (closedNow ? "closed" : "open");
        List<ChargingCommand> out = new ArrayList<>();
        switch (phase) {
            case AUTHORISED -> abandon(out, now, reason);
            case CHARGING -> fault(out, now, reason);
            case STOPPING -> {
                // A relay that will not open: the session ends as a fault, and the pile keeps
                // commanding it open.
                stopReason = EndReason.FAULT;
                out.add(openRelay(reason));
                close(out, session.lastSampleAt(), session.lastImportWh(), stopReason);
            }
            case IDLE, CLOSED -> out.add(openRelay(reason));
        }
        return out;
    }

    private String checkRequest(SignedTx tx, VerifiedBooking held, ByteString pile, long requestedAt, Instant now, String what) {
        String badSignature = SignedBodies.checkSignature(tx, held.driverKey(), settings.chainId());
        if (badSignature != null) {
            return what + " " + badSignature;
        }
        if (!Arrays.equals(pile.toByteArray(), settings.pileId().bytes())) {
            return what + " pile_device_id: expected " + settings.pileId() + ", got " + HexFormat.of().formatHex(pile.toByteArray());
        }
        Instant at = Instant.ofEpochSecond(requestedAt);
        if (at.isBefore(now.minus(settings.maxRequestAge())) || at.isAfter(now.plus(settings.maxRequestAhead()))) {
            return what + " requested_at: expected within [now − " + settings.maxRequestAge().toSeconds() + " s, now + "
                    + settings.maxRequestAhead().toSeconds() + " s] of " + now + ", got " + at;
        }
        return null;
    }

    private long amount(long energyWh) {
        // floor(energy × price / 1000), as the ledger settles (docs/charging.md, Settlement).
        try {
            return Math.multiplyExact(energyWh, booking.unitPrice()) / 1000;
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private PublishLive live(Instant now, long powerW, long energyWh) {
        long amount = Math.min(amount(energyWh), booking.booking().getMaxAmount());
        return new PublishLive(booking.driverId(), booking.bookingHashHex(), now, powerW, energyWh, amount);
    }

    private void stop(List<ChargingCommand> out, Instant now, EndReason reason, String why) {
        if (phase == Phase.AUTHORISED) {
            abandon(out, now, why);
            return;
        }
        stopReason = reason;
        out.add(openRelay(why));
        enter(Phase.STOPPING, now);
    }

    private void fault(List<ChargingCommand> out, Instant now, String why) {
        out.add(openRelay("fault: " + why));
        close(out, session.lastSampleAt(), session.lastImportWh(), EndReason.FAULT);
    }

    /** Before a start register there is no session on the ledger: open the relay and forget it. */
    private void abandon(List<ChargingCommand> out, Instant now, String why) {
        out.add(openRelay(why));
        booking = null;
        startRequest = null;
        enter(Phase.IDLE, now);
    }

    private void close(List<ChargingCommand> out, Instant end, long endImportWh, EndReason reason) {
        Instant endSecond = Instant.ofEpochSecond(end.getEpochSecond());
        closed = new ClosedSession(session, endSecond.isBefore(session.startTime()) ? session.startTime() : endSecond, endImportWh, reason);
        out.add(new SubmitSession(closed));
        session = null;
        booking = null;
        startRequest = null;
        stopReason = null;
        enter(Phase.CLOSED, end);
    }

    private OpenRelay openRelay(String why) {
        relayCommandedClosed = false;
        return new OpenRelay(why);
    }

    private List<ChargingCommand> reject(String reason) {
        return List.of(new RejectRequest(reason));
    }

    private void enter(Phase next, Instant now) {
        phase = next;
        phaseSince = now;
    }
}
