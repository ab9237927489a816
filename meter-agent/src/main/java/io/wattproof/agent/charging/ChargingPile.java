package io.wattproof.agent.charging;

import com.google.protobuf.InvalidProtocolBufferException;
import io.wattproof.agent.charging.ChargingCommand.CloseRelay;
import io.wattproof.agent.charging.ChargingCommand.OpenRelay;
import io.wattproof.agent.charging.ChargingCommand.PersistSession;
import io.wattproof.agent.charging.ChargingCommand.PublishLive;
import io.wattproof.agent.charging.ChargingCommand.RejectRequest;
import io.wattproof.agent.charging.ChargingCommand.SubmitSession;
import io.wattproof.agent.charging.ChargingCommand.SubmitSessionStart;
import io.wattproof.agent.charging.PileStateFile.UsedBooking;
import io.wattproof.agent.gpio.GpioException;
import io.wattproof.agent.gpio.Pi4jRelay;
import io.wattproof.agent.gpio.Relay;
import io.wattproof.agent.record.ChargingSessionFactory;
import io.wattproof.agent.record.SignedRecord;
import io.wattproof.agent.uplink.LiveChannel;
import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyStoreFailure;
import io.wattproof.protocol.SignBytes;
import io.wattproof.protocol.v1.BodyType;
import io.wattproof.protocol.v1.PileOffer;
import io.wattproof.protocol.v1.SessionStart;
import io.wattproof.protocol.v1.SignedTx;
import io.wattproof.protocol.v1.StartRequest;
import io.wattproof.protocol.v1.StopRequest;
import io.wattproof.protocol.v1.TxResultCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pile's shell around {@link ChargingController} (docs/charging.md, "The session at the pile"):
 * it signs and keeps the pile's offers, hands over bookings the ledger follower proved once
 * {@link BookingCheck} agrees, takes start and stop requests from
 * {@code wattproof/v1/devices/<P>/charge/requests}, feeds the controller the meter's samples and a
 * tick, and carries out its commands on the relay, the ledger, the outbox and MQTT.
 *
 * <p>Every entry point is synchronized: the controller sees one event at a time whichever thread
 * brings it (MQTT callbacks, the ledger follower, the ticker, the agent's worker completing a
 * record). The {@link Host}'s methods must therefore not wait for the pile. No I/O error reaches
 * a caller: each is logged once, and what failed is tried again where that is safe (a session
 * record at the next tick).
 */
public final class ChargingPile implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChargingPile.class);
    /** Larger requests are refused before parsing; the session file keeps a StartRequest of at most this. */
    static final int MAX_REQUEST_BYTES = 64 * 1024;

    /** What the pile needs from the meter agent it runs in. */
    public interface Host {
        /**
         * Sends a signed transaction that is not a record of the chain (PileOffer, SessionStart) on
         * the device's tx topic and re-submits it until its receipt is verified. Must not block.
         */
        void submitTransaction(byte[] signedTx);

        /** Puts a ChargingSession record into the device's chain ({@code MeterAgent.appendRecord}). */
        CompletableFuture<SignedRecord> appendRecord(ChargingSessionFactory factory);

        /** A booking's ChargingSession record still in the outbox ({@code MeterAgent.findSessionRecord}). */
        CompletableFuture<Optional<SignedRecord>> findSessionRecord(byte[] bookingTxHash);

        /** The newest meter read ({@code MeterAgent.latestSample}). */
        Optional<io.wattproof.agent.meter.MeterSample> latestSample();

        /** Publishes without waiting (QoS 0, {@link LiveChannel#publishLive}); false when not sent. */
        boolean publish(String topic, byte[] payload, boolean retained);
    }

    /**
     * @param ownerPseudonym the pile owner's salted commitment for its offers, 32 bytes
     * @param sealPublicKey the pile's HPKE public key (RFC 9180 serialized), published in charge/info
     *     for car owners to seal their data to
     * @param sealSuite the HPKE suite's name, published beside it
     */
    public record Settings(String chainId, Path dataDir, byte[] ownerPseudonym, byte[] sealPublicKey, String sealSuite,
            Duration tickPeriod, String topicPrefix) {
        public Settings {
            SignBytes.checkChainId(chainId);
            if (ownerPseudonym.length != 32) {
                throw new IllegalArgumentException("owner pseudonym: expected 32 bytes, got " + ownerPseudonym.length);
            }
            ownerPseudonym = ownerPseudonym.clone();
            sealPublicKey = sealPublicKey.clone();
        }

        public static Settings of(String chainId, Path dataDir, byte[] ownerPseudonym, byte[] sealPublicKey, String sealSuite) {
            return new Settings(chainId, dataDir, ownerPseudonym, sealPublicKey, sealSuite, Duration.ofSeconds(1), "wattproof/v1");
        }
    }

    private final Settings settings;
    private final DeviceKey key;
    private final DeviceId pileId;
    private final Relay relay;
    private final SessionSealer sealer;
    private final Host host;
    private final Clock clock;
    private final ChargingController controller;
    private final BookingCheck check;
    private final SessionStateFile sessionFile;
    private final PileStateFile pileFile;
    private final String requestsTopic;
    private final String infoTopic;

    // State, guarded by this.
    private long offerNonce;
    /** Own offers by tx hash (hex), as signed; the value's PileOffer is parsed from it. */
    private final Map<String, byte[]> offerTxs = new LinkedHashMap<>();
    private final Map<String, PileOffer> offers = new LinkedHashMap<>();
    private final Map<String, UsedBooking> used = new LinkedHashMap<>();
    /** Bookings handed to the controller, for the car owner's topic of a refusal. */
    private final Map<String, VerifiedBooking> held = new LinkedHashMap<>();
    /** SessionStart tx hash (hex) → booking hash (hex), until the ledger decides it. */
    private final Map<String, String> startsAwaited = new LinkedHashMap<>();
    /** SessionStarts of sessions from before a restart, sent again: tx hash (hex) → booking hash (hex). */
    private final Map<String, String> startsResent = new LinkedHashMap<>();
    /** False when the pile state file was unreadable: the next offer nonce is unknown. */
    private boolean offersUsable = true;
    /** A session file that could not be read, or whose recovery is not done yet: no new session until it is. */
    private String blockedBy;
    private ClosedSession pendingClose;
    private boolean appending;
    /** After a failed append, the next try waits this long: a failing outbox is not asked every second. */
    static final Duration APPEND_RETRY = Duration.ofSeconds(10);
    private Instant nextAppendAt = Instant.MIN;
    private Instant lastFedSampleAt = Instant.MIN;
    private ChargingController.Phase publishedPhase;
    private boolean closedDown;
    private ScheduledExecutorService ticker;
    /** Offers the pile keeps open by itself; empty when its owner (or the simulator) makes them. */
    private Optional<OfferPolicy> offerPolicy = Optional.empty();
    private Optional<Instant> lastOfferedAt = Optional.empty();

    private ChargingPile(Settings settings, DeviceKey key, Relay relay, SessionSealer sealer, Host host, Clock clock) {
        this.settings = settings;
        this.key = key;
        this.pileId = key.deviceId();
        this.relay = relay;
        this.sealer = sealer;
        this.host = host;
        this.clock = clock;
        this.controller = new ChargingController(ChargingController.Settings.defaults(pileId, settings.chainId()));
        this.check = new BookingCheck(settings.chainId(), pileId);
        this.sessionFile = new SessionStateFile(settings.dataDir());
        this.pileFile = new PileStateFile(settings.dataDir());
        String device = settings.topicPrefix() + "/devices/" + pileId.hex();
        this.requestsTopic = device + "/charge/requests";
        this.infoTopic = device + "/charge/info";
    }

    /**
     * Opens the pile on its data dir: the relay is opened, offers and used bookings are loaded, and
     * a session left open by a power cut is closed (docs/charging.md step 4): if its record is
     * already in the outbox the session file is only deleted, else the controller closes it with
     * FAULT at the last register the file holds. Does not tick; see {@link #startTicking()}.
     */
    public static ChargingPile open(Settings settings, DeviceKey key, Relay relay, SessionSealer sealer, Host host, Clock clock) {
        ChargingPile pile = new ChargingPile(settings, key, relay, sealer, host, clock);
        synchronized (pile) {
            pile.openRelay("pile starting");
            pile.loadPileState();
            pile.recoverSession();
        }
        return pile;
    }

    /** Ticks every {@link Settings#tickPeriod()} on a thread of its own. */
    public synchronized void startTicking() {
        if (ticker != null || closedDown) {
            return;
        }
        ticker = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("pile-" + pileId.hex().substring(0, 8)).daemon().factory());
        long ms = settings.tickPeriod().toMillis();
        ticker.scheduleAtFixedRate(this::tick, ms, ms, TimeUnit.MILLISECONDS);
    }

    public String requestsTopic() {
        return requestsTopic;
    }

    public String infoTopic() {
        return infoTopic;
    }

    public synchronized ChargingController.Phase phase() {
        return controller.phase();
    }

    /** Own offers still open, by tx hash (hex). */
    public synchronized Map<String, PileOffer> offers() {
        return Map.copyOf(offers);
    }

    // ---- offers --------------------------------------------------------------------------------

    /**
     * Signs a PileOffer with the next nonce, keeps it (durably, before it leaves: a restart must not
     * reuse the nonce) and submits it through the host.
     *
     * @param unitPrice micro-units per kWh, 1..10^9
     * @param windowStart epoch seconds
     * @param windowEnd epoch seconds, after {@code windowStart}
     * @return the offer's tx hash, its name on the ledger
     * @throws IllegalArgumentException for a value the ledger would refuse (names the field)
     * @throws IllegalStateException when the pile's state cannot be kept or the nonce is unknown
     */
    public synchronized byte[] publishOffer(long unitPrice, long windowStart, long windowEnd, int maxPowerW) {
        if (unitPrice < 1 || unitPrice > 1_000_000_000L) {
            throw new IllegalArgumentException("offer unit_price: expected 1..1000000000 micro-units per kWh, got " + unitPrice);
        }
        if (windowStart >= windowEnd) {
            throw new IllegalArgumentException("offer window: expected start < end, got [" + windowStart + ", " + windowEnd + ")");
        }
        if (windowEnd <= clock.instant().getEpochSecond()) {
            throw new IllegalArgumentException("offer window_end: expected after now " + clock.instant() + ", got "
                    + Instant.ofEpochSecond(windowEnd));
        }
        if (maxPowerW <= 0) {
            throw new IllegalArgumentException("offer max_power_w: expected > 0, got " + maxPowerW);
        }
        if (!offersUsable) {
            throw new IllegalStateException("offer: the pile's state file " + pileFile.path() + " is unreadable, so the next offer "
                    + "nonce is unknown; no offer until it is repaired");
        }
        long nonce = offerNonce + 1;
        byte[] tx;
        try {
            tx = ChargingTransactions.offer(settings.chainId(), key, nonce, settings.ownerPseudonym(), unitPrice, windowStart,
                    windowEnd, maxPowerW);
        } catch (KeyStoreFailure e) {
            throw new IllegalStateException("offer: signing failed: " + e.getMessage(), e);
        }
        String hash = hex(ChargingTransactions.txHash(tx));
        long previousNonce = offerNonce;
        offerNonce = nonce;
        putOffer(hash, tx);
        try {
            savePileState();
        } catch (IOException e) {
            offerNonce = previousNonce;
            offerTxs.remove(hash);
            offers.remove(hash);
            throw new IllegalStateException("offer: keeping it in " + pileFile.path() + " failed: " + e.getMessage(), e);
        }
        host.submitTransaction(tx);
        log.info("offer submitted pile={} offer={} nonce={} unit_price={} window=[{}, {}) max_power_w={}", pileId, hash, nonce,
                unitPrice, windowStart, windowEnd, maxPowerW);
        publishInfo();
        return ChargingTransactions.txHash(tx);
    }

    /**
     * From now on the pile keeps an offer open by itself: it offers at once if {@code policy} asks
     * for it, then checks at every tick ({@link OfferPolicy#next}: a new offer when none ends more
     * than a day ahead, at most one an hour, so a refused offer is retried hourly).
     */
    public synchronized void keepOffering(OfferPolicy policy) {
        offerPolicy = Optional.of(policy);
        lastOfferedAt = Optional.empty();
        log.info("pile keeps an offer open pile={} unit_price={} max_power_w={} window_days={}", pileId, policy.unitPrice(),
                policy.maxPowerW(), policy.windowDays());
        offerIfDue(clock.instant());
    }

    private void offerIfDue(Instant now) {
        if (closedDown || offerPolicy.isEmpty()) {
            return;
        }
        OfferPolicy policy = offerPolicy.get();
        dropExpiredOffers(now);
        Optional<OfferPolicy.Window> due = policy.next(now, offers.values(), lastOfferedAt);
        if (due.isEmpty()) {
            return;
        }
        // Counted before the try: a pile that cannot offer (unreadable state file) says so once an hour.
        lastOfferedAt = Optional.of(now);
        try {
            publishOffer(policy.unitPrice(), due.get().start(), due.get().end(), policy.maxPowerW());
        } catch (IllegalArgumentException | IllegalStateException e) {
            log.error("offer not made pile={} error=\"{}\"; tried again in {} min", pileId, e.getMessage(),
                    OfferPolicy.RETRY.toMinutes());
        }
    }

    // ---- from the ledger -----------------------------------------------------------------------

    /**
     * A booking of one of this pile's offers whose inclusion and result the ledger follower has
     * verified (docs/charging.md, "How the pile learns of a booking"). Checked by
     * {@link BookingCheck}; a booking that already had a session here is ignored.
     */
    public synchronized void bookingVerified(byte[] bookingTx) {
        if (closedDown) {
            return;
        }
        switch (check.check(bookingTx, offers)) {
            case BookingVerdict.Refused r -> log.warn("booking refused pile={} booking={} reason=\"{}\"", pileId,
                    hex(ChargingTransactions.txHash(bookingTx)), r.reason());
            case BookingVerdict.Verified v -> {
                VerifiedBooking b = v.booking();
                if (used.containsKey(b.bookingHashHex())) {
                    log.info("booking ignored pile={} booking={} reason=\"it had its session\"", pileId, b.bookingHashHex());
                    return;
                }
                held.put(b.bookingHashHex(), b);
                run(controller.onBooking(b));
                log.info("booking held pile={} booking={} driver={} window=[{}, {})", pileId, b.bookingHashHex(), b.driverId(),
                        b.windowStart(), b.windowEnd());
            }
        }
    }

    /**
     * The ledger's verified result for a transaction of this device that is not a record: an
     * offer refused is dropped (its nonce was not used, docs/charging.md "Order of checks"); a
     * SessionStart refused means the ledger will not accept the session, so charging stops.
     */
    public synchronized void txDecided(byte[] txHash, int resultCode, long height) {
        if (closedDown) {
            return;
        }
        String hash = hex(txHash);
        boolean ok = resultCode == TxResultCode.RESULT_OK_VALUE;
        if (offerTxs.containsKey(hash)) {
            if (ok) {
                log.info("offer accepted pile={} offer={} height={}", pileId, hash, height);
                return;
            }
            long nonce = offers.get(hash).getNonce();
            offerTxs.remove(hash);
            offers.remove(hash);
            // A refusal does not use up a nonce; later offers sent with higher ones are refused as
            // BAD_NONCE in turn and come back here too.
            offerNonce = Math.min(offerNonce, nonce - 1);
            saveQuietly();
            log.warn("offer refused pile={} offer={} nonce={} result={} height={}", pileId, hash, nonce, resultCode, height);
            publishInfo();
        } else if (startsResent.containsKey(hash)) {
            String booking = startsResent.remove(hash);
            log.info("session start sent again after a restart pile={} booking={} result={} height={}{}", pileId, booking, resultCode,
                    height, ok ? "" : " (the first one is on the ledger, or the booking is no longer open)");
        } else if (startsAwaited.containsKey(hash)) {
            String booking = startsAwaited.remove(hash);
            if (ok) {
                log.info("session start accepted pile={} booking={} height={}", pileId, booking, height);
            } else {
                log.error("session start refused pile={} booking={} result={} height={}; charging stops", pileId, booking,
                        resultCode, height);
                Optional<OpenSession> open = controller.openSession();
                if (open.isPresent() && hex(open.get().bookingTxHash()).equals(booking)) {
                    run(controller.onFault("the ledger refused the session start, result " + resultCode, clock.instant()));
                }
            }
        }
    }

    // ---- from MQTT -----------------------------------------------------------------------------

    /** A message on {@code charge/requests}: a SignedTx with a StartRequest or StopRequest, unchecked. */
    public synchronized void requestArrived(byte[] payload) {
        if (closedDown) {
            return;
        }
        Instant now = clock.instant();
        if (payload.length > MAX_REQUEST_BYTES) {
            log.warn("charge request refused pile={} reason=\"charge request: expected ≤ {} bytes, got {}\"", pileId,
                    MAX_REQUEST_BYTES, payload.length);
            return;
        }
        SignedTx tx;
        try {
            tx = SignedTx.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            log.warn("charge request refused pile={} reason=\"charge request: expected a wattproof.v1.SignedTx, got {} bytes that "
                    + "do not parse\"", pileId, payload.length);
            return;
        }
        switch (tx.getBodyType()) {
            case START_REQUEST -> {
                if (blockedBy != null) {
                    refuse(tx, "start request: expected a pile without an unfinished session, got " + blockedBy);
                    return;
                }
                if (pendingClose != null) {
                    refuse(tx, "start request: expected a pile without an unfinished session, got the record of booking "
                            + hex(pendingClose.session().bookingTxHash()) + " not stored yet");
                    return;
                }
                run(controller.onStartRequest(payload, now), tx);
            }
            case STOP_REQUEST -> run(controller.onStopRequest(payload, now), tx);
            default -> log.warn("charge request refused pile={} reason=\"charge request body_type: expected START_REQUEST or "
                    + "STOP_REQUEST, got {}\"", pileId, tx.getBodyType());
        }
    }

    /** The subscriber to give the uplink's {@link LiveChannel}: requests in, charge/info on every connection. */
    public LiveChannel.Subscriber subscriber() {
        return new LiveChannel.Subscriber() {
            @Override
            public List<String> subscriptions() {
                return List.of(requestsTopic);
            }

            @Override
            public void connected() {
                synchronized (ChargingPile.this) {
                    publishInfo();
                }
            }

            @Override
            public void disconnected() {}

            @Override
            public void arrived(String topic, byte[] payload, boolean retained) {
                if (requestsTopic.equals(topic)) {
                    requestArrived(payload);
                }
            }
        };
    }

    // ---- the ticker ----------------------------------------------------------------------------

    /** Feeds a new meter sample, the relay's feedback and the time; retries a session record not yet stored. */
    public synchronized void tick() {
        if (closedDown) {
            return;
        }
        try {
            Instant now = clock.instant();
            Optional<io.wattproof.agent.meter.MeterSample> latest = host.latestSample();
            if (latest.isPresent() && latest.get().readAt().isAfter(lastFedSampleAt)) {
                io.wattproof.agent.meter.MeterSample s = latest.get();
                lastFedSampleAt = s.readAt();
                run(controller.onSample(new MeterSample(s.snapshot().importWh(), Math.round(s.snapshot().totalPowerW())), s.readAt()));
            }
            if (relay instanceof Pi4jRelay wired) {
                Optional<Boolean> feedback = wired.feedbackClosed();
                if (feedback.isPresent()) {
                    run(controller.onRelayFeedback(feedback.get(), now));
                }
            }
            run(controller.onTick(now));
            offerIfDue(now);
            if (pendingClose != null && !appending && !now.isBefore(nextAppendAt)) {
                appendSession();
            }
            if (controller.phase() != publishedPhase) {
                publishInfo();
            }
        } catch (RuntimeException e) {
            // The ticker must survive anything: a thrown exception would cancel its schedule.
            log.error("pile tick failed pile={} error={}", pileId, e.toString(), e);
        }
    }

    // ---- commands ------------------------------------------------------------------------------

    private void run(List<ChargingCommand> commands) {
        run(commands, null);
    }

    /** @param request the request the commands answer, for the car owner's events topic of a refusal */
    private void run(List<ChargingCommand> commands, SignedTx request) {
        Instant now = clock.instant();
        for (ChargingCommand c : commands) {
            switch (c) {
                case CloseRelay close -> {
                    try {
                        relay.close();
                        // The start register must be read with the relay closed: samples read
                        // before now are not fed any more.
                        lastFedSampleAt = later(lastFedSampleAt, now);
                        log.info("relay closed pile={}", pileId);
                    } catch (GpioException | RuntimeException e) {
                        log.error("relay close failed pile={} error={}", pileId, e.getMessage());
                        run(controller.onFault("relay close failed: " + e.getMessage(), now));
                        return;
                    }
                }
                case OpenRelay open -> {
                    openRelay(open.why());
                    // The end register must be read with the relay open.
                    lastFedSampleAt = later(lastFedSampleAt, now);
                }
                case SubmitSessionStart start -> submitStart(start.body());
                case PublishLive live -> host.publish(live.topic(), live.json().getBytes(StandardCharsets.UTF_8), false);
                case PersistSession persist -> persist(persist.session());
                case SubmitSession submit -> {
                    pendingClose = submit.session();
                    log.info("session closed pile={} booking={} end_reason={} energy_wh={}", pileId,
                            hex(pendingClose.session().bookingTxHash()), pendingClose.endReason(), pendingClose.energyWh());
                    if (!appending) {
                        appendSession();
                    }
                }
                case RejectRequest reject -> refuse(request, reject.reason());
            }
        }
    }

    private void openRelay(String why) {
        try {
            relay.open();
            log.info("relay open pile={} why=\"{}\"", pileId, why);
        } catch (GpioException | RuntimeException e) {
            // Nothing more the pile can do than say so: the controller already ended the session.
            log.error("relay open failed pile={} why=\"{}\" error={}", pileId, why, e.getMessage());
        }
    }

    /**
     * The SessionStart of a session a power cut left open, sent again before the session is
     * closed: the agent keeps transactions awaiting their receipt in memory only, so a cut soon
     * after the relay closed can lose it, and without it the ledger refuses the session record.
     * The file holds what it was built from; signed anew, it is a new transaction, which the ledger
     * refuses if it holds the first one (a booking starts once). Either answer changes nothing here.
     */
    private void resubmitStart(OpenSession open) {
        byte[] tx;
        try {
            tx = ChargingTransactions.sessionStart(settings.chainId(), key, open.bookingTxHash(), open.startTime().getEpochSecond(),
                    open.startImportWh(), open.startRequest());
        } catch (KeyStoreFailure e) {
            log.error("signing the session start again failed pile={} booking={} error={}", pileId, hex(open.bookingTxHash()),
                    e.getMessage());
            return;
        }
        startsResent.put(hex(ChargingTransactions.txHash(tx)), hex(open.bookingTxHash()));
        host.submitTransaction(tx);
    }

    private void submitStart(SessionStart body) {
        byte[] tx;
        try {
            tx = ChargingTransactions.sessionStart(settings.chainId(), key, body.getBookingTxHash().toByteArray(), body.getStartTime(),
                    body.getStartImportWh(), body.getStartRequest().toByteArray());
        } catch (KeyStoreFailure e) {
            // Without a SessionStart the ledger refuses the session: stop rather than give energy away.
            log.error("signing session start failed pile={} error={}", pileId, e.getMessage());
            run(controller.onFault("signing the session start failed: " + e.getMessage(), clock.instant()));
            return;
        }
        String booking = hex(body.getBookingTxHash().toByteArray());
        startsAwaited.put(hex(ChargingTransactions.txHash(tx)), booking);
        host.submitTransaction(tx);
        log.info("session started pile={} booking={} start_import_wh={}", pileId, booking, body.getStartImportWh());
        UsedBooking u = used.get(booking);
        if (u != null) {
            event(u, "{\"time\":\"" + clock.instant() + "\",\"event\":\"started\",\"start_import_wh\":" + body.getStartImportWh() + "}");
        }
    }

    private void persist(OpenSession session) {
        String booking = hex(session.bookingTxHash());
        if (!used.containsKey(booking)) {
            // The first write of a session: from now on this booking is never handed over again,
            // whatever a restart forgets (docs/charging.md, "Bookings that had their session").
            VerifiedBooking b = held.remove(booking);
            if (b != null) {
                used.put(booking, new UsedBooking(b.bookingTxHash(), b.driverId().bytes(), b.booking().getWindowEnd(), b.unitPrice(),
                        b.booking().getMaxEnergyWh(), b.booking().getMaxAmount()));
                saveQuietly();
            }
        }
        try {
            sessionFile.write(session);
        } catch (IOException | RuntimeException e) {
            log.error("writing the session file failed pile={} booking={} file={} error={}; a power cut now loses the session",
                    pileId, booking, sessionFile.path(), e.getMessage());
        }
    }

    private void appendSession() {
        ClosedSession closed = pendingClose;
        appending = true;
        ChargingSessionFactory factory = (sequence, previousHash) ->
                closed.toRecord(pileId, sequence, previousHash, sealer.seal(closed, pileId, sequence));
        CompletableFuture<SignedRecord> f;
        try {
            f = host.appendRecord(factory);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete((record, failure) -> appended(closed, record, failure));
    }

    private synchronized void appended(ClosedSession closed, SignedRecord record, Throwable failure) {
        appending = false;
        String booking = hex(closed.session().bookingTxHash());
        if (failure != null) {
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            nextAppendAt = clock.instant().plus(APPEND_RETRY);
            log.error("storing the session record failed pile={} booking={} error={}; tried again in {} s", pileId,
                    booking, cause.toString(), APPEND_RETRY.toSeconds());
            return;
        }
        if (pendingClose == closed) {
            pendingClose = null;
        }
        log.info("session record stored pile={} booking={} sequence={}", pileId, booking, record.sequence());
        // Only now: the record in the outbox is what closes the session from here on.
        deleteSessionFile();
        if (blockedBy != null && blockedBy.contains(booking)) {
            blockedBy = null;
        }
        UsedBooking u = used.get(booking);
        if (u != null) {
            event(u, "{\"time\":\"" + clock.instant() + "\",\"event\":\"closed\",\"end_reason\":\"" + closed.endReason()
                    + "\",\"energy_wh\":" + closed.energyWh() + ",\"amount\":" + amount(u, closed.energyWh()) + "}");
        }
        publishInfo();
    }

    private void deleteSessionFile() {
        try {
            sessionFile.delete();
        } catch (IOException e) {
            // Harmless: at the next start the record is found in the outbox and the file deleted then.
            log.error("deleting the session file failed pile={} file={} error={}", pileId, sessionFile.path(), e.getMessage());
        }
    }

    /** What the ledger will settle: min(floor(min(energy, max_energy) × price / 1000), max_amount) (docs/charging.md, Settlement). */
    static long amount(UsedBooking u, long energyWh) {
        long billed = Math.min(energyWh, u.maxEnergyWh());
        try {
            return Math.min(Math.multiplyExact(billed, u.unitPrice()) / 1000, u.maxAmount());
        } catch (ArithmeticException e) {
            return u.maxAmount();
        }
    }

    /**
     * A refusal is told to the car owner only for a booking this pile holds, on that booking's
     * own topic: a request's unverified content never chooses where the pile publishes.
     */
    private void refuse(SignedTx request, String reason) {
        log.warn("charge request refused pile={} reason=\"{}\"", pileId, reason);
        if (request == null) {
            return;
        }
        String booking = requestBooking(request);
        if (booking == null) {
            return;
        }
        String json = "{\"time\":\"" + clock.instant() + "\",\"event\":\"refused\",\"reason\":\"" + jsonEscape(reason) + "\"}";
        VerifiedBooking b = held.get(booking);
        if (b != null) {
            host.publish(eventsTopic(b.driverId().hex(), booking), json.getBytes(StandardCharsets.UTF_8), false);
        } else if (used.containsKey(booking)) {
            event(used.get(booking), json);
        }
    }

    private static String requestBooking(SignedTx request) {
        try {
            byte[] hash = switch (request.getBodyType()) {
                case START_REQUEST -> StartRequest.parseFrom(request.getBody()).getBookingTxHash().toByteArray();
                case STOP_REQUEST -> StopRequest.parseFrom(request.getBody()).getBookingTxHash().toByteArray();
                default -> null;
            };
            return hash == null ? null : hex(hash);
        } catch (InvalidProtocolBufferException e) {
            return null;
        }
    }

    private void event(UsedBooking u, String json) {
        host.publish(eventsTopic(HexFormat.of().formatHex(u.driverId()), u.bookingHashHex()), json.getBytes(StandardCharsets.UTF_8),
                false);
    }

    private String eventsTopic(String driverHex, String bookingHex) {
        return settings.topicPrefix() + "/drivers/" + driverHex + "/sessions/" + bookingHex + "/events";
    }

    // ---- charge/info ---------------------------------------------------------------------------

    /** Retained JSON for car owners (docs/charging.md "Topics"); nothing in it is trusted by anyone. */
    String infoJson() {
        StringBuilder b = new StringBuilder();
        b.append("{\"pile\":\"").append(pileId.hex()).append("\",\"seal_key\":\"").append(hex(settings.sealPublicKey()))
                .append("\",\"suite\":\"").append(jsonEscape(settings.sealSuite())).append("\",\"offers\":[");
        boolean first = true;
        for (Map.Entry<String, PileOffer> e : offers.entrySet()) {
            PileOffer o = e.getValue();
            b.append(first ? "" : ",").append("{\"tx_hash\":\"").append(e.getKey()).append("\",\"unit_price\":").append(o.getUnitPrice())
                    .append(",\"window_start\":").append(o.getWindowStart()).append(",\"window_end\":").append(o.getWindowEnd())
                    .append(",\"max_power_w\":").append(o.getMaxPowerW()).append('}');
            first = false;
        }
        return b.append("],\"state\":\"").append(controller.phase().name().toLowerCase(java.util.Locale.ROOT)).append("\"}").toString();
    }

    private void publishInfo() {
        dropExpiredOffers(clock.instant());
        publishedPhase = controller.phase();
        host.publish(infoTopic, infoJson().getBytes(StandardCharsets.UTF_8), true);
    }

    private void dropExpiredOffers(Instant now) {
        List<String> expired = new ArrayList<>();
        offers.forEach((hash, o) -> {
            if (o.getWindowEnd() <= now.getEpochSecond()) {
                expired.add(hash);
            }
        });
        used.values().removeIf(u -> u.windowEnd() + 3600 <= now.getEpochSecond() && !isOpen(u));
        if (!expired.isEmpty()) {
            expired.forEach(h -> {
                offers.remove(h);
                offerTxs.remove(h);
            });
            saveQuietly();
        }
    }

    private boolean isOpen(UsedBooking u) {
        Optional<OpenSession> open = controller.openSession();
        return (open.isPresent() && hex(open.get().bookingTxHash()).equals(u.bookingHashHex()))
                || (pendingClose != null && hex(pendingClose.session().bookingTxHash()).equals(u.bookingHashHex()));
    }

    // ---- persistence ---------------------------------------------------------------------------

    private void loadPileState() {
        PileStateFile.Load load;
        try {
            load = pileFile.load();
        } catch (IOException e) {
            load = new PileStateFile.Load.Corrupt(pileFile.path() + ": " + e.getMessage());
        }
        switch (load) {
            case PileStateFile.Load.Absent a -> {}
            case PileStateFile.Load.Corrupt c -> {
                offersUsable = false;
                log.error("pile state unreadable pile={} reason=\"{}\"; no offers until a person repairs or removes it", pileId,
                        c.reason());
            }
            case PileStateFile.Load.Found f -> {
                offerNonce = f.state().offerNonce();
                for (byte[] tx : f.state().offers()) {
                    putOffer(hex(ChargingTransactions.txHash(tx)), tx);
                }
                for (UsedBooking u : f.state().used()) {
                    used.put(u.bookingHashHex(), u);
                }
                dropExpiredOffers(clock.instant());
                log.info("pile state loaded pile={} offer_nonce={} offers={} used_bookings={}", pileId, offerNonce, offers.size(),
                        used.size());
                // The agent forgets transactions awaiting their receipt at a restart, and an offer
                // kept here may never have reached the ledger. The same bytes again are harmless:
                // the ledger answers a transaction it holds with the block that holds it. In nonce
                // order, as they were made.
                for (byte[] tx : offerTxs.values()) {
                    host.submitTransaction(tx);
                }
            }
        }
    }

    private void putOffer(String hash, byte[] tx) {
        try {
            offers.put(hash, PileOffer.parseFrom(SignedTx.parseFrom(tx).getBody()));
            offerTxs.put(hash, tx.clone());
        } catch (InvalidProtocolBufferException e) {
            log.error("stored offer unreadable pile={} offer={} error={}; dropped", pileId, hash, e.getMessage());
        }
    }

    private void savePileState() throws IOException {
        if (!offersUsable) {
            // Writing now would replace the unreadable file, and with it the only record of the nonce.
            throw new IOException("the pile state file " + pileFile.path() + " is unreadable and left for a person");
        }
        pileFile.write(new PileStateFile.State(offerNonce, List.copyOf(offerTxs.values()), List.copyOf(used.values())));
    }

    private void saveQuietly() {
        try {
            savePileState();
        } catch (IOException | RuntimeException e) {
            log.error("writing pile state failed pile={} file={} error={}", pileId, pileFile.path(), e.getMessage());
        }
    }

    private void recoverSession() {
        SessionStateFile.Load load;
        try {
            load = sessionFile.load();
        } catch (IOException e) {
            load = new SessionStateFile.Load.Corrupt(sessionFile.path() + ": " + e.getMessage());
        }
        switch (load) {
            case SessionStateFile.Load.Absent a -> {}
            case SessionStateFile.Load.Corrupt c -> {
                blockedBy = "an unreadable session file " + sessionFile.path() + " (" + c.reason() + ")";
                log.error("session file unreadable pile={} reason=\"{}\"; left for a person, no session starts until it is gone",
                        pileId, c.reason());
            }
            case SessionStateFile.Load.Found f -> {
                OpenSession open = f.session();
                String booking = hex(open.bookingTxHash());
                blockedBy = "the session of booking " + booking + " from before a restart, not yet closed";
                Optional<SignedRecord> stored;
                try {
                    stored = host.findSessionRecord(open.bookingTxHash()).get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // Not known whether it is stored: closing it again could put a second record
                    // of the booking into the chain. Left for the next start.
                    log.error("looking for the session record failed pile={} booking={} error={}; the session stays open until the "
                            + "next start", pileId, booking, e.toString());
                    return;
                }
                if (stored.isPresent()) {
                    log.info("session record found after restart pile={} booking={} sequence={}; session file deleted", pileId,
                            booking, stored.get().sequence());
                    deleteSessionFile();
                    blockedBy = null;
                    return;
                }
                log.warn("open session found after restart pile={} booking={} last_import_wh={} at={}; closing it as FAULT",
                        pileId, booking, open.lastImportWh(), open.lastSampleAt());
                resubmitStart(open);
                run(controller.resume(open, clock.instant()));
            }
        }
    }

    // ---- lifecycle -----------------------------------------------------------------------------

    /** Stops ticking and opens the relay; a running session is closed at the next start (FAULT). */
    @Override
    public void close() {
        ScheduledExecutorService t;
        synchronized (this) {
            closedDown = true;
            openRelay("pile stopping");
            t = ticker;
        }
        if (t != null) {
            t.shutdownNow();
        }
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private static String jsonEscape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (ch < 0x20) {
                        b.append(String.format("\\u%04x", (int) ch));
                    } else {
                        b.append(ch);
                    }
                }
            }
        }
        return b.toString();
    }
}
