package io.wattproof.agent;

import io.wattproof.agent.clock.ClockStepDetector;
import io.wattproof.agent.clock.ClockSyncLatch;
import io.wattproof.agent.clock.ClockSyncSource;
import io.wattproof.agent.clock.ClockSyncStatus;
import io.wattproof.agent.interval.ClosedInterval;
import io.wattproof.agent.interval.IntervalEngine;
import io.wattproof.agent.interval.IntervalSchedule;
import io.wattproof.agent.interval.ScaledClock;
import io.wattproof.agent.ledger.ConfirmationListener;
import io.wattproof.agent.ledger.FinalRecords;
import io.wattproof.agent.ledger.LedgerCounters;
import io.wattproof.agent.ledger.LedgerFollower;
import io.wattproof.agent.ledger.LedgerSettings;
import io.wattproof.agent.ledger.LedgerTxListener;
import io.wattproof.agent.meter.MeterReadException;
import io.wattproof.agent.meter.MeterSample;
import io.wattproof.agent.meter.MeterSnapshot;
import io.wattproof.agent.meter.MeterSource;
import io.wattproof.agent.outbox.FileOutbox;
import io.wattproof.agent.outbox.Outbox;
import io.wattproof.agent.outbox.OutboxException;
import io.wattproof.agent.record.ChainState;
import io.wattproof.agent.record.ChargingSessionFactory;
import io.wattproof.agent.record.DeviceDescription;
import io.wattproof.agent.record.PendingFlags;
import io.wattproof.agent.record.QualityFlagSource;
import io.wattproof.agent.record.ReadingFactory;
import io.wattproof.agent.record.RecordSigner;
import io.wattproof.agent.record.SignedRecord;
import io.wattproof.agent.uplink.LedgerChannel;
import io.wattproof.agent.uplink.Uplink;
import io.wattproof.lightclient.store.LightStoreException;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyStoreFailure;
import io.wattproof.protocol.v1.BodyType;
import io.wattproof.protocol.v1.ChargingSession;
import io.wattproof.protocol.v1.Reading;
import io.wattproof.protocol.v1.SignedTx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's shell: reads the meter on the interval schedule, turns each closed interval into a
 * signed record, stores it in the outbox and sends what the broker has not acknowledged.
 *
 * <p>All state changes happen on one worker thread, in this order per interval: read, build, sign,
 * store (one commit with the advanced chain state), then send. A record therefore exists durably
 * before anyone can see it, and a restart resumes the chain from the outbox: unacknowledged records
 * are sent again as they are, never signed again under a new sequence number.
 *
 * <p>Time comes from the injected {@link Clock}; the worker only sleeps for the difference between
 * the clock and the next read.
 */
public final class MeterAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MeterAgent.class);

    /**
     * The clock sync status that the overloads without a {@link ClockSyncSource} use: whoever injects
     * the clock (the simulator, tests) vouches for it. The daemon passes a real source.
     */
    private static final ClockSyncSource CALLER_CLOCK = ClockSyncSource.assumedSynchronised("clock supplied by the caller");

    private final AgentConfig config;
    private final MeterSource meter;
    private final Uplink uplink;
    private final Clock clock;
    private final Outbox outbox;
    private final IntervalEngine engine;
    /** Reads happen at multiples of the sample period; boundaries are among them. */
    private final IntervalSchedule ticks;
    private final ReadingFactory readings;
    private final RecordSigner signer;
    private final QualityFlagSource flags;
    private final ClockSyncSource clockSync;
    /** CLOCK_UNSYNCED for the next record; observed once per tick (docs/architecture.md, "Clock"). */
    private final ClockSyncLatch clockLatch = new ClockSyncLatch();
    private final ClockStepDetector clockSteps;
    private final ScheduledExecutorService worker;
    private final String deviceId;

    /**
     * Follows the ledger when the configuration says how and the uplink carries ledger traffic;
     * null otherwise (a record acknowledged by the broker is then done). Set before the worker
     * starts.
     */
    private LedgerFollower follower;

    // Worker-thread state.
    private final Set<Long> inFlight = new HashSet<>();
    /** Records the follower asked to send again (no verified receipt in time), oldest request first. */
    private final Deque<SignedRecord> resend = new ArrayDeque<>();
    /** In-flight re-sent records: acknowledged before, so their PUBACK changes nothing stored. */
    private final Set<Long> inFlightResent = new HashSet<>();
    /** Transactions that are no records, waiting to be handed to the uplink (in memory only; see submitTransaction). */
    private final Deque<byte[]> transactionsToSend = new ArrayDeque<>();
    private boolean connected;
    /** The outbox reached its budget at the last interval boundary; nothing was recorded. */
    private boolean storageFull;
    private int window = 1;
    private Instant pausedUntil = Instant.MIN;
    private ScheduledFuture<?> nextTick;
    private boolean metering;
    private long readFailures;
    private boolean lastReadFailed;
    private Instant lastTickAt;
    private Instant lastReadAt;
    private boolean storageFault;
    /** What the clock sync source said at the last tick; nothing is known before the first. */
    private Boolean clockSynchronised;

    private volatile AgentStatus status;
    /** The newest successful read, for live telemetry (io.wattproof.agent.telemetry); null before the first. */
    private volatile MeterSample latestSample;
    /** Who hears verified bookings and decided transactions; null for nobody. */
    private volatile LedgerTxListener txListener;
    /** Who hears each record made final; null for nobody. */
    private volatile ConfirmationListener confirmationListener;

    private MeterAgent(AgentConfig config, DeviceKey key, MeterSource meter, Uplink uplink, Clock clock, Outbox outbox,
            QualityFlagSource flags, ClockSyncSource clockSync) {
        this.config = config;
        this.flags = Objects.requireNonNull(flags, "flags");
        this.clockSync = Objects.requireNonNull(clockSync, "clock sync");
        this.meter = meter;
        this.uplink = uplink;
        this.clock = clock;
        // The tolerance stands for scheduling jitter between reading the clock and the counter,
        // which is real time: on a ScaledClock a 2 ms stall looks like 2 s at speed 1000.
        this.clockSteps = new ClockStepDetector(ScaledClock.simulated(clock, ClockStepDetector.DEFAULT_TOLERANCE));
        this.outbox = outbox;
        this.deviceId = key.deviceId().hex();
        // The last stored record bounds the next interval's start, whatever the clock says after a
        // restart (an RTC reset to 1970, a clock set back): no overlap, no interval recorded twice.
        this.engine = new IntervalEngine(config.schedule(), config.maxLateness(), outbox.chainState().lastIntervalEnd());
        this.ticks = new IntervalSchedule(config.samplePeriod().getSeconds());
        this.readings = new ReadingFactory(new DeviceDescription(key.deviceId(), meter.model(), config.meterSerial(), config.firmware()));
        this.signer = new RecordSigner(key, config.chainId());
        this.worker = Executors.newSingleThreadScheduledExecutor(AgentThreads.named("agent-" + deviceId.substring(0, 8)));
        publishStatus();
    }

    /**
     * Opens the outbox in {@code config.dataDir()}, starts the uplink and begins metering at the
     * next interval boundary.
     */
    public static MeterAgent start(AgentConfig config, DeviceKey key, MeterSource meter, Uplink uplink, Clock clock)
            throws OutboxException {
        return start(config, key, meter, uplink, clock, QualityFlagSource.none());
    }

    /**
     * As {@link #start(AgentConfig, DeviceKey, MeterSource, Uplink, Clock)}, with quality flags from
     * outside the meter (the tamper input): each record carries the flags pending when it is built,
     * and they are cleared once it is stored.
     */
    public static MeterAgent start(AgentConfig config, DeviceKey key, MeterSource meter, Uplink uplink, Clock clock,
            QualityFlagSource flags) throws OutboxException {
        return start(config, key, meter, uplink, clock, FileOutbox.open(config.dataDir()), flags);
    }

    static MeterAgent start(AgentConfig config, DeviceKey key, MeterSource meter, Uplink uplink, Clock clock, Outbox outbox) {
        return start(config, key, meter, uplink, clock, outbox, QualityFlagSource.none());
    }

    static MeterAgent start(AgentConfig config, DeviceKey key, MeterSource meter, Uplink uplink, Clock clock, Outbox outbox,
            QualityFlagSource flags) {
        return start(config, key, meter, uplink, clock, outbox, flags, CALLER_CLOCK);
    }

    /**
     * As {@link #start(AgentConfig, DeviceKey, MeterSource, Uplink, Clock, QualityFlagSource)}, with
     * the source that says whether the system clock is synchronised: each record whose interval saw
     * it unsynchronised (or unknown) carries CLOCK_UNSYNCED.
     */
    public static MeterAgent start(AgentConfig config, DeviceKey key, MeterSource meter, Uplink uplink, Clock clock,
            QualityFlagSource flags, ClockSyncSource clockSync) throws OutboxException {
        return start(config, key, meter, uplink, clock, FileOutbox.open(config.dataDir()), flags, clockSync);
    }

    /**
     * As {@link #start(AgentConfig, DeviceKey, MeterSource, Uplink, Clock, QualityFlagSource,
     * ClockSyncSource)}, for a meter that continues from the stored chain: an S0 pulse counter,
     * which forgets everything at a restart, starts its register at the last record's.
     */
    public static MeterAgent start(AgentConfig config, DeviceKey key, Function<ChainState, MeterSource> meter, Uplink uplink,
            Clock clock, QualityFlagSource flags, ClockSyncSource clockSync) throws OutboxException {
        Outbox outbox = FileOutbox.open(config.dataDir());
        MeterSource source;
        try {
            source = meter.apply(outbox.chainState());
        } catch (RuntimeException e) {
            try {
                outbox.close();
            } catch (OutboxException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        return start(config, key, source, uplink, clock, outbox, flags, clockSync);
    }

    static MeterAgent start(AgentConfig config, DeviceKey key, MeterSource meter, Uplink uplink, Clock clock, Outbox outbox,
            QualityFlagSource flags, ClockSyncSource clockSync) {
        MeterAgent agent = new MeterAgent(config, key, meter, uplink, clock, outbox, flags, clockSync);
        if (config.ledger().isPresent()) {
            agent.follower = agent.startFollower(config.ledger().get(), uplink);
            if (agent.follower != null) {
                agent.follower.transactions(agent.new TxEvents());
            }
        }
        log.info("agent starting device={} interval={}s chain={} next_sequence={} unacknowledged={}",
                agent.deviceId, config.schedule().seconds(), config.chainId(), outbox.chainState().nextSequence(), outbox.depth());
        if (agent.follower != null) {
            agent.worker.execute(agent::expectUnconfirmed);
        }
        agent.worker.execute(agent::startMetering);
        uplink.start(agent.new UplinkEvents());
        return agent;
    }

    public String deviceId() {
        return deviceId;
    }

    // ---- the ledger ----------------------------------------------------------------------------

    /**
     * The follower over the uplink's connection, its light store in {@code <dataDir>/ledger}. An
     * uplink without ledger traffic, or a light store that cannot be opened, leaves the agent
     * metering and sending as without ledger settings, with the reason logged.
     */
    private LedgerFollower startFollower(LedgerSettings settings, Uplink uplink) {
        if (!(uplink instanceof LedgerChannel channel)) {
            log.error("ledger not followed device={} reason=\"the uplink carries no ledger traffic\"", deviceId);
            return null;
        }
        try {
            return LedgerFollower.overMqtt(settings, config.dataDir(), channel, "gateway", new LedgerEvents(), clock, deviceId);
        } catch (LightStoreException | RuntimeException e) {
            log.error("ledger not followed device={} reason=\"{}\"; records stay in the outbox once acknowledged", deviceId,
                    e.getMessage());
            return null;
        }
    }

    /** After a restart: records acknowledged before it still await their receipt. */
    private void expectUnconfirmed() {
        try {
            for (SignedRecord r : outbox.unconfirmed(Integer.MAX_VALUE)) {
                follower.expect(r);
            }
        } catch (OutboxException | RuntimeException e) {
            log.error("reading unconfirmed records failed device={} error={}; they are not re-submitted until sent again",
                    deviceId, e.toString());
        }
    }

    /** The follower's requests, carried out on the worker thread (the outbox's one thread). */
    private final class LedgerEvents implements LedgerFollower.Host {
        @Override
        public void finalised(List<Long> sequences) {
            submit(() -> markFinal(sequences));
        }

        @Override
        public void resubmit(SignedRecord record) {
            submit(() -> {
                if (!inFlight.contains(record.sequence()) && resend.stream().noneMatch(r -> r.sequence() == record.sequence())) {
                    resend.add(record);
                }
                pump();
            });
        }

        @Override
        public void resubmitTransaction(byte[] signedTx) {
            submit(() -> queueTransaction(signedTx));
        }

        @Override
        public void changed() {
            submit(MeterAgent.this::publishStatus);
        }

        @Override
        public void confirmed(SignedRecord record, Instant at) {
            ConfirmationListener l = confirmationListener;
            if (l != null) {
                l.confirmed(record.sequence(), record.intervalEnd(), at);
            }
        }
    }

    /** The follower's verdicts on bookings and transactions, handed on from its thread to the worker thread. */
    private final class TxEvents implements LedgerTxListener {
        @Override
        public void bookingVerified(byte[] bookingTx, long height) {
            byte[] copy = bookingTx.clone();
            submit(() -> {
                LedgerTxListener l = txListener;
                if (l != null) {
                    l.bookingVerified(copy, height);
                }
            });
        }

        @Override
        public void txDecided(byte[] txHash, int resultCode, long height) {
            byte[] copy = txHash.clone();
            submit(() -> {
                LedgerTxListener l = txListener;
                if (l != null) {
                    l.txDecided(copy, resultCode, height);
                }
            });
        }
    }

    /**
     * Sends {@code signedTx}, a {@code SignedTx} that is no record of the device's chain (a {@code
     * PileOffer}, a {@code SessionStart}; docs/charging.md), on the device's {@code tx} topic at QoS
     * 1, beside the records and outside their window. With ledger settings the follower awaits its
     * receipt and, without a verified one in time, has it sent again until a receipt decides it
     * ({@link LedgerTxListener#txDecided}). Without them it is sent once, when connected. Such a
     * transaction is kept in memory only: after a restart its owner sends it again if it still
     * matters (the ledger answers a duplicate with the receipt of the block that holds it). Any
     * thread.
     */
    public void submitTransaction(byte[] signedTx) {
        byte[] copy = signedTx.clone();
        submit(() -> queueTransaction(copy));
    }

    /**
     * Sets who hears the bookings of this device's offers that the follower verified on the ledger,
     * and the decisions on transactions sent with {@link #submitTransaction}; null for nobody. Its
     * calls come on the agent's worker thread: return quickly (calling {@link #submitTransaction}
     * from them is fine). Without ledger settings nothing is verified and nobody is called.
     */
    public void ledgerTransactions(LedgerTxListener listener) {
        this.txListener = listener;
    }

    private void queueTransaction(byte[] signedTx) {
        if (follower != null) {
            // Before it goes out: the receipt can come back before send returns.
            follower.expectTx(signedTx);
        }
        if (transactionsToSend.stream().noneMatch(t -> java.util.Arrays.equals(t, signedTx))) {
            transactionsToSend.add(signedTx);
        }
        pump();
    }

    /** Hands waiting transactions to the uplink, oldest first, while it takes them. */
    private void sendTransactions() {
        while (connected && !transactionsToSend.isEmpty()) {
            if (!uplink.sendTransaction(transactionsToSend.peek())) {
                return;
            }
            transactionsToSend.poll();
        }
    }

    private void markFinal(Collection<Long> sequences) {
        resend.removeIf(r -> sequences.contains(r.sequence()));
        int threshold = config.ledger().map(LedgerSettings::pruneThreshold).orElse(LedgerSettings.DEFAULT_PRUNE_THRESHOLD);
        try {
            int pruned = FinalRecords.apply(outbox, sequences, threshold);
            if (pruned > 0) {
                log.info("outbox pruned device={} records={} bytes_now={}", deviceId, pruned, outbox.sizeBytes());
            }
        } catch (OutboxException | RuntimeException e) {
            // Not final on disk: the record is kept and its receipt verified again after a re-submission.
            log.error("marking records final failed device={} sequences={} error={}", deviceId, sequences, e.toString());
        }
        publishStatus();
    }

    public AgentStatus status() {
        return status;
    }

    /** The newest successful meter read; empty until the meter has answered once. */
    public Optional<MeterSample> latestSample() {
        return Optional.ofNullable(latestSample);
    }

    // ---- charging sessions ---------------------------------------------------------------------

    /**
     * Puts a ChargingSession record into the chain on the worker thread, as the next record after
     * the readings (docs/charging.md, "Who signs what"): {@code factory} gets the sequence and
     * previous hash from the chain state, the body is signed with the device key, stored, and sent
     * like any record. Completes with the stored record, or exceptionally when nothing was stored
     * (the chain has no reading yet, the outbox is full or failing, the key failed, or the body does
     * not carry the place it was given); the caller may try again.
     */
    public CompletableFuture<SignedRecord> appendRecord(ChargingSessionFactory factory) {
        CompletableFuture<SignedRecord> result = new CompletableFuture<>();
        try {
            worker.execute(() -> {
                try {
                    result.complete(appendSession(factory));
                } catch (Exception e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            result.completeExceptionally(new IllegalStateException("agent closed device=" + deviceId, e));
        }
        return result;
    }

    private SignedRecord appendSession(ChargingSessionFactory factory) throws KeyStoreFailure, OutboxException {
        ChainState chain = outbox.chainState();
        if (chain.lastIntervalEnd() == null) {
            throw new IllegalStateException("charging session record: expected a chain with a reading before it, got an empty chain");
        }
        if (outbox.sizeBytes() >= config.outboxBudgetBytes()) {
            throw new OutboxException("charging session record: outbox full, size " + outbox.sizeBytes() + " of budget "
                    + config.outboxBudgetBytes() + " bytes");
        }
        ChargingSession body = factory.build(chain.nextSequence(), chain.headHash());
        if (body.getSequence() != chain.nextSequence()
                || !java.util.Arrays.equals(body.getPreviousHash().toByteArray(), chain.headHash())) {
            throw new IllegalArgumentException("charging session record: expected sequence " + chain.nextSequence()
                    + " and the chain's previous_hash, got sequence " + body.getSequence());
        }
        SignedRecord record = signer.sign(body, chain.lastIntervalEnd());
        outbox.append(record);
        log.info("charging session record stored device={} sequence={} booking={} energy_wh={} end_reason={}", deviceId,
                record.sequence(), java.util.HexFormat.of().formatHex(body.getContractTxHash().toByteArray()), body.getEnergyWh(),
                body.getEndReason());
        pump();
        return record;
    }

    /**
     * The ChargingSession record of a booking that is still in the outbox and not final
     * (unacknowledged or awaiting its receipt); empty when there is none. After a restart this is
     * how a pile tells a session whose record was stored just before the power cut from one that
     * must still be closed (docs/charging.md, "What is persisted").
     */
    public CompletableFuture<Optional<SignedRecord>> findSessionRecord(byte[] bookingTxHash) {
        byte[] wanted = bookingTxHash.clone();
        CompletableFuture<Optional<SignedRecord>> result = new CompletableFuture<>();
        try {
            worker.execute(() -> {
                try {
                    result.complete(findSession(outbox, wanted));
                } catch (Exception e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            result.completeExceptionally(new IllegalStateException("agent closed device=" + deviceId, e));
        }
        return result;
    }

    /** {@link #findSessionRecord} on an outbox the caller owns (before an agent runs on it, or in tests). */
    public static Optional<SignedRecord> findSession(Outbox outbox, byte[] bookingTxHash) throws OutboxException {
        List<SignedRecord> held = new java.util.ArrayList<>(outbox.unacknowledged());
        held.addAll(outbox.unconfirmed(Integer.MAX_VALUE));
        for (SignedRecord r : held) {
            try {
                SignedTx tx = SignedTx.parseFrom(r.signedTx());
                if (tx.getBodyType() == BodyType.CHARGING_SESSION && java.util.Arrays.equals(
                        ChargingSession.parseFrom(tx.getBody()).getContractTxHash().toByteArray(), bookingTxHash)) {
                    return Optional.of(r);
                }
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                // A record this agent signed always parses; one that does not is not a session.
            }
        }
        return Optional.empty();
    }

    // ---- metering ------------------------------------------------------------------------------

    private void startMetering() {
        metering = true;
        scheduleTickAfter(clock.instant());
    }

    /** Schedules the next read at the first sample-period multiple strictly after {@code after}. */
    private void scheduleTickAfter(Instant after) {
        scheduleTick(ticks.nextBoundaryAfter(after));
    }

    private void scheduleTick(Instant tick) {
        if (!metering) {
            return;
        }
        long delayNanos = Math.max(0, ScaledClock.realDelay(clock, Duration.between(clock.instant(), tick)).toNanos());
        nextTick = worker.schedule(() -> onTick(tick), delayNanos, TimeUnit.NANOSECONDS);
    }

    private void onTick(Instant tick) {
        if (!metering) {
            return;
        }
        Instant readAt = clock.instant();
        lastTickAt = readAt;
        if (readAt.isBefore(tick)) {
            // The clock has not reached the tick the timer was set for: it was set back while the
            // worker slept (an NTP step, an RTC reset, a manual date change), or the timer ran a
            // little ahead of it. A read now would be timed before its tick. A step of up to one
            // sample period is waited out; a longer one is followed from where the clock now stands
            // (waiting it out could take days, or decades after a reset to 1970), and the engine
            // refuses the boundaries it has already passed.
            Duration behind = Duration.between(readAt, tick);
            if (behind.compareTo(config.samplePeriod()) <= 0) {
                scheduleTick(tick);
            } else {
                log.warn("clock went back device={} by={} now={}; boundaries up to the last one read are skipped",
                        deviceId, behind, readAt);
                scheduleTickAfter(readAt);
            }
            return;
        }
        // A step that left the clock inside the open interval would make it longer or shorter in
        // real time than its stamps say; the monotonic counter shows it.
        clockSteps.observe(readAt, ScaledClock.monotonicNanos(clock)).ifPresent(step -> {
            log.warn("clock stepped device={} by={} now={}; the open interval is abandoned", deviceId, step, readAt);
            engine.onClockStep();
        });
        boolean boundary = config.schedule().isBoundary(tick);
        try {
            MeterSnapshot snapshot = meter.read();
            lastReadFailed = false;
            lastReadAt = readAt;
            latestSample = new MeterSample(readAt, snapshot);
            if (boundary) {
                engine.onBoundary(tick, readAt, snapshot).ifPresent(this::record);
            } else {
                engine.onSample(readAt, snapshot);
            }
        } catch (MeterReadException | RuntimeException e) {
            readFailures++;
            lastReadFailed = true;
            log.warn("meter read failed device={} at={} boundary={} error={}", deviceId, tick, boundary, e.getMessage());
            if (boundary) {
                engine.onBoundaryMissed(tick);
            }
        }
        // After the read and any record: this tick's observation belongs to the interval it opens
        // or continues, the one the next record covers.
        observeClockSync();
        publishStatus();
        // Late ticks (a stalled board, a clock jump) skip to the next tick after now rather than
        // replaying reads that would all carry the wrong time.
        Instant now = clock.instant();
        scheduleTickAfter(now.isAfter(tick) ? now : tick);
    }

    private void observeClockSync() {
        ClockSyncStatus sync;
        try {
            sync = clockSync.status(); // asks a time service at most once a minute (CachingClockSyncSource)
        } catch (RuntimeException e) {
            sync = new ClockSyncStatus.Unknown("clock sync source failed: " + e);
        }
        clockLatch.observe(sync);
        if (clockSynchronised == null || clockSynchronised != sync.isSynchronised()) {
            if (sync.isSynchronised()) {
                log.info("clock synchronised device={} reason=\"{}\"", deviceId, sync.reason());
            } else {
                log.warn("clock not synchronised device={} reason=\"{}\"; records are flagged CLOCK_UNSYNCED", deviceId, sync.reason());
            }
        }
        clockSynchronised = sync.isSynchronised();
    }

    private void record(ClosedInterval interval) {
        if (outbox.sizeBytes() >= config.outboxBudgetBytes()) {
            // Signing a record that cannot be kept would be dropping it; dropping stored ones is
            // worse. No record is made: the next one after space frees carries GAP, and its
            // cumulative registers still account for every Wh of the intervals in between.
            storageFull = true;
            log.error("outbox full device={} size={} budget={}; interval {} not recorded", deviceId, outbox.sizeBytes(),
                    config.outboxBudgetBytes(), interval.start());
            return;
        }
        storageFull = false;
        PendingFlags pending = flags.pending();
        PendingFlags clockPending = clockLatch.pending();
        Reading reading = readings.build(interval, outbox.chainState(), pending.bits() | clockPending.bits());
        SignedRecord record;
        try {
            record = signer.sign(reading);
        } catch (KeyStoreFailure e) {
            log.error("signing failed device={} sequence={} error={}; interval not recorded",
                    deviceId, reading.getSequence(), e.getMessage());
            return;
        }
        try {
            outbox.append(record);
        } catch (OutboxException e) {
            // Nothing was stored and the chain did not move: the next interval reuses the sequence
            // number of a record that never existed outside this process.
            log.error("storing record failed device={} sequence={} error={}", deviceId, record.sequence(), e.getMessage());
            storageFault = true;
            return;
        }
        storageFault = false;
        // Only now: a record that was not stored must not take the flags with it.
        flags.stored(pending);
        clockLatch.stored(clockPending);
        log.debug("record stored device={} sequence={} interval_start={} import_wh={} export_wh={}",
                deviceId, record.sequence(), interval.start(), reading.getImportWh(), reading.getExportWh());
        pump();
    }

    // ---- sending -------------------------------------------------------------------------------

    /** Sends unacknowledged records, oldest first, up to the window. */
    private void pump() {
        // Every acknowledgement and connection comes through here, so waiting transactions get their turn too.
        sendTransactions();
        if (!connected || clock.instant().isBefore(pausedUntil) || inFlight.size() >= window) {
            publishStatus();
            return;
        }
        List<SignedRecord> next;
        try {
            // In-flight records are unacknowledged too: read past them to fill the window.
            next = outbox.unacknowledged(window + inFlight.size());
        } catch (OutboxException e) {
            log.error("reading the outbox failed device={} error={}; nothing sent", deviceId, e.getMessage());
            publishStatus();
            return;
        }
        for (SignedRecord r : next) {
            if (inFlight.size() >= window) {
                break;
            }
            if (inFlight.contains(r.sequence())) {
                continue;
            }
            if (follower != null) {
                // Before it goes out: the receipt can come back before send() returns.
                follower.expect(r);
            }
            if (!uplink.send(r.sequence(), r.signedTx())) {
                break;
            }
            inFlight.add(r.sequence());
        }
        // Then what the follower asked to send again, in the room the new records left.
        while (inFlight.size() < window && !resend.isEmpty()) {
            SignedRecord r = resend.peek();
            if (inFlight.contains(r.sequence())) {
                resend.poll();
                continue;
            }
            follower.expect(r);
            if (!uplink.send(r.sequence(), r.signedTx())) {
                break;
            }
            resend.poll();
            inFlight.add(r.sequence());
            inFlightResent.add(r.sequence());
        }
        publishStatus();
    }

    private final class UplinkEvents implements Uplink.Listener {
        @Override
        public void connected(int brokerWindow) {
            submit(() -> {
                connected = true;
                window = brokerWindow;
                inFlight.clear();
                inFlightResent.clear();
                pump();
            });
        }

        @Override
        public void disconnected(String reason) {
            submit(() -> {
                connected = false;
                inFlight.clear();
                inFlightResent.clear();
                publishStatus();
            });
        }

        @Override
        public void acknowledged(long sequence) {
            submit(() -> {
                inFlight.remove(sequence);
                if (inFlightResent.remove(sequence)) {
                    // Acknowledged (maybe final) already; the follower awaits its receipt.
                    pump();
                    return;
                }
                try {
                    outbox.markAcknowledged(sequence);
                } catch (OutboxException e) {
                    log.warn("marking record acknowledged failed device={} sequence={} error={}", deviceId, sequence, e.getMessage());
                }
                pump();
            });
        }

        @Override
        public void refused(long sequence, int reasonCode) {
            submit(() -> {
                inFlight.remove(sequence);
                inFlightResent.remove(sequence);
                // A refusal (e.g. 0x87 not authorized) will not go away by retrying at once; keep
                // the record and try again later instead of hammering the broker.
                Duration pause = Duration.ofSeconds(30);
                pausedUntil = clock.instant().plus(pause);
                log.error("broker refused record device={} sequence={} reason_code=0x{} ; kept, retrying in {}s",
                        deviceId, sequence, Integer.toHexString(reasonCode), pause.toSeconds());
                worker.schedule(MeterAgent.this::pump, pause.toMillis(), TimeUnit.MILLISECONDS);
            });
        }
    }

    private void submit(Runnable task) {
        try {
            worker.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Closing: the outbox already holds everything that matters.
        }
    }

    private void publishStatus() {
        long last = outbox.chainState().nextSequence() - 1;
        LedgerFollower f = follower;
        status = new AgentStatus(deviceId, last, outbox.depth(), connected, readFailures, lastReadFailed, storageFull,
                Optional.ofNullable(lastTickAt), Optional.ofNullable(lastReadAt), storageFault,
                clockSynchronised == null || clockSynchronised, outbox.sizeBytes(),
                f == null ? Optional.empty() : Optional.of(f.counters()),
                // From the first status on, before the follower exists: a restarted agent that said 0
                // here would look final to anyone waiting for its records' receipts.
                config.ledger().isPresent() ? outbox.unconfirmedCount() : 0);
    }

    // ---- lifecycle -----------------------------------------------------------------------------

    /** Stops reading the meter; records already stored are still sent. */
    public void stopMetering() {
        call(() -> {
            metering = false;
            if (nextTick != null) {
                nextTick.cancel(false);
            }
            return null;
        });
    }

    /**
     * Waits until every stored record is acknowledged, or the timeout passes.
     *
     * @return whether the outbox is empty
     */
    public boolean awaitDrained(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            AgentStatus s = status;
            if (s.outboxDepth() == 0) {
                return true;
            }
            Thread.sleep(20);
        }
        return status.outboxDepth() == 0;
    }

    /**
     * Waits until every stored record is final (its receipt verified against a verified header), or
     * the timeout passes. Without ledger settings, as {@link #awaitDrained}.
     *
     * @return whether every stored record is final
     */
    public boolean awaitFinal(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            AgentStatus s = status;
            if (s.outboxDepth() == 0 && s.unconfirmed() == 0) {
                return true;
            }
            Thread.sleep(20);
        }
        AgentStatus s = status;
        return s.outboxDepth() == 0 && s.unconfirmed() == 0;
    }

    /**
     * Sets who hears each record the follower makes final, on the follower's thread; null for
     * nobody. Without ledger settings nothing is ever heard.
     */
    public void confirmations(ConfirmationListener listener) {
        this.confirmationListener = listener;
    }

    /** What the ledger follower has seen; empty when the agent does not follow the ledger. */
    public Optional<LedgerCounters> ledger() {
        LedgerFollower f = follower;
        return f == null ? Optional.empty() : Optional.of(f.counters());
    }

    /** Stops metering, disconnects and closes the outbox (committing acknowledgements). */
    @Override
    public void close() {
        stopMetering();
        uplink.close();
        if (follower != null) {
            follower.close();
        }
        call(() -> {
            try {
                outbox.close();
            } catch (OutboxException e) {
                log.warn("closing outbox failed device={} error={}", deviceId, e.getMessage());
            }
            return null;
        });
        worker.shutdownNow();
        meter.close();
        log.info("agent stopped device={} last_sequence={}", deviceId, status.lastSequence());
    }

    private <T> Optional<T> call(java.util.concurrent.Callable<T> task) {
        try {
            return Optional.ofNullable(worker.submit(task).get(10, TimeUnit.SECONDS));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("agent task failed device={} error={}", deviceId, e.toString());
            return Optional.empty();
        }
    }
}
