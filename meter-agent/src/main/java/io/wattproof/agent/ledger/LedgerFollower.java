package io.wattproof.agent.ledger;

import io.wattproof.agent.interval.ScaledClock;
import io.wattproof.agent.record.SignedRecord;
import io.wattproof.agent.uplink.LedgerChannel;
import io.wattproof.lightclient.client.LightClient;
import io.wattproof.lightclient.client.LightClientOptions;
import io.wattproof.lightclient.client.SyncResult;
import io.wattproof.lightclient.provider.LightBlockProvider;
import io.wattproof.lightclient.store.BlockStatus;
import io.wattproof.lightclient.store.FileLightStore;
import io.wattproof.lightclient.store.LightStore;
import io.wattproof.lightclient.store.LightStoreException;
import io.wattproof.lightclient.tx.TxInclusion;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.Header;
import io.wattproof.lightclient.verifier.VerificationOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the ledger for one device (docs/ledger.md, "What the agent does"): verifies the header
 * at each receipt's height through its light client (and the one after it when the receipt
 * carries a result proof, whose root is that header's {@code last_results_hash}), checks the
 * receipt against them ({@link
 * ReceiptCheck}) and reports final records to the {@link Host}; asks the host to send again what
 * has no verified receipt after {@link LedgerSettings#receiptTimeout()}; counts what a lying
 * gateway tried. It never touches the outbox: the host (the agent's worker) does, so the outbox
 * keeps its one thread.
 *
 * <p>Everything runs on the follower's own thread, because verifying a header may wait on the
 * network (one light-block request per height, up to {@link LedgerSettings#requestTimeout()} each).
 * A receipt whose header could not be fetched is tried again at the next check; a forgery (a block
 * that fails verification, a proof that fails against a verified header) is counted once, logged,
 * and changes nothing: the record stays, and is sent again until a receipt verifies.
 *
 * <p>Beside records, it follows transactions that are no records (docs/charging.md): those the
 * device sent ({@link #expectTx}), decided by a receipt whose inclusion and result proofs verify,
 * and bookings of the device's offers from its {@code bookings} topic ({@link #bookingArrived}),
 * handed on only when proven accepted; both to a {@link LedgerTxListener}.
 */
public final class LedgerFollower implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LedgerFollower.class);

    /** What the agent does for the follower; called on the follower's thread, so hand work on and return. */
    public interface Host {
        /** These records are final: mark them so in the outbox (and prune). */
        void finalised(List<Long> sequences);

        /** Send this record again; {@link #expect} it when it goes out. */
        void resubmit(SignedRecord record);

        /**
         * Send this transaction (no record; see {@link #expectTx}) again: no verified receipt came
         * within the receipt timeout. {@link #expectTx} it when it goes out. Hosts that send only
         * records are never asked.
         */
        default void resubmitTransaction(byte[] signedTx) {}

        /** The counters changed. */
        default void changed() {}

        /** {@code record} became final at {@code at}, just after {@link #finalised}; for measurements. */
        default void confirmed(SignedRecord record, Instant at) {}
    }

    /** A record sent and not yet final. */
    private static final class Tracked {
        final SignedRecord record;
        Instant due;
        int refusals;
        /** Receipts whose header could not be fetched yet; each tried again at each check. */
        final List<Waiting> pending = new ArrayList<>();

        Tracked(SignedRecord record, Instant due) {
            this.record = record;
            this.due = due;
        }
    }

    /** A transaction the device sent that is no record (docs/charging.md), until a verified receipt decides it. */
    private static final class TrackedTx {
        final byte[] signedTx;
        Instant due;
        int refusals;
        final List<Waiting> pending = new ArrayList<>();

        TrackedTx(byte[] signedTx, Instant due) {
            this.signedTx = signedTx;
            this.due = due;
        }
    }

    private final LedgerSettings settings;
    private final LightStore store;
    private final LightClient client;
    private final Host host;
    private final Clock clock;
    private final String deviceId;
    private final ScheduledExecutorService thread;

    /**
     * A receipt that waits for its header(s), with the checks it has waited through. The gateway
     * may name a height it never serves; such a receipt is given up after
     * {@link #MAX_WAITING_CHECKS} checks (logged), so waiting receipts cannot pile up.
     */
    private static final class Waiting {
        final LedgerReceipt receipt;
        int checks;

        Waiting(LedgerReceipt receipt) {
            this.receipt = receipt;
        }
    }

    /** A receipt of a record already final, kept to be checked once its headers can be verified. */
    private record Late(SignedRecord record, Waiting waiting) {}

    private static final int MAX_WAITING_CHECKS = 120;
    private static final int MAX_WAITING_PER_RECORD = 16;
    private static final int MAX_WAITING_BOOKINGS = 256;
    /**
     * Records made final lately, by tx hash: a receipt that comes for one of them (a second
     * receipt after a re-submission) is still checked, so that a forged one is counted, not
     * silently ignored because an honest one came first.
     */
    private static final int RECENTLY_FINAL = 4096;

    // Follower-thread state.
    private final Map<Bytes, Tracked> tracked = new HashMap<>();
    private final Map<Bytes, SignedRecord> recentlyFinal = new java.util.LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Bytes, SignedRecord> eldest) {
            return size() > RECENTLY_FINAL;
        }
    };
    private final List<Late> late = new ArrayList<>();
    /** Transactions sent that are no records, by tx hash, until decided. */
    private final Map<Bytes, TrackedTx> trackedTxs = new HashMap<>();
    /** Transactions decided lately, by tx hash: a receipt or a send that comes after is ignored. */
    private final java.util.Set<Bytes> decidedTxs = recentSet();
    /** Bookings handed to the listener, by tx hash: each once, however often its receipt comes. */
    private final java.util.Set<Bytes> bookingsHanded = recentSet();
    /** Booking receipts waiting for their headers. */
    private final List<Waiting> bookingsWaiting = new ArrayList<>();
    private volatile LedgerTxListener txListener;
    private long confirmed;
    private long forgeries;
    private long refused;
    private long resubmissions;
    private long malformed;
    private long verifiedHeight;
    private boolean trustExpired;

    private volatile LedgerCounters counters = LedgerCounters.NONE;

    private static java.util.Set<Bytes> recentSet() {
        return java.util.Collections.newSetFromMap(new java.util.LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Bytes, Boolean> eldest) {
                return size() > RECENTLY_FINAL;
            }
        });
    }

    private LedgerFollower(LedgerSettings settings, LightStore store, LightBlockProvider provider, Host host, Clock clock,
            String deviceId, Duration checkEvery) throws LightStoreException {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.store = Objects.requireNonNull(store, "store");
        this.host = Objects.requireNonNull(host, "host");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.deviceId = Objects.requireNonNull(deviceId, "device id");
        // The drift allowance covers clock skew and the latency between reading "now" and the header
        // arriving, which is real time: on a ScaledClock at speed 1000 the default 10 s is 10 ms, less
        // than one light-block request takes, and honest headers would be taken for forged ones.
        VerificationOptions verification = VerificationOptions.builder(settings.anchor().trustingPeriod())
                .maxClockDrift(ScaledClock.simulated(clock, VerificationOptions.DEFAULT_MAX_CLOCK_DRIFT)).build();
        this.client = new LightClient(store, provider, List.of(), LightClientOptions.builder(verification).build(), clock);
        if (client.latestTrusted().isEmpty()) {
            // The first start after provisioning: the anchor is trusted because the operator installed it.
            client.initialise(settings.anchor().block());
            log.info("ledger light client initialised device={} chain={} anchor_height={}", deviceId, settings.anchor().chainId(),
                    settings.anchor().height());
        }
        verifiedHeight = store.latest(BlockStatus.TRUSTED).map(b -> b.height()).orElse(0L);
        publish();
        this.thread = Executors.newSingleThreadScheduledExecutor(
                io.wattproof.agent.AgentThreads.named("ledger-" + deviceId.substring(0, Math.min(8, deviceId.length()))));
        long period = checkEvery.toMillis();
        thread.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * A follower over {@code store}; starts the light client from the settings' anchor when the
     * store holds no trusted block. Checks for due re-submissions every quarter of the receipt
     * timeout (at most every second).
     */
    public static LedgerFollower start(LedgerSettings settings, LightStore store, LightBlockProvider provider, Host host, Clock clock,
            String deviceId) throws LightStoreException {
        Duration quarter = settings.receiptTimeout().dividedBy(4);
        Duration every = quarter.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1)
                : quarter.compareTo(Duration.ofMillis(10)) < 0 ? Duration.ofMillis(10) : quarter;
        return new LedgerFollower(settings, store, provider, host, clock, deviceId, every);
    }

    /**
     * The follower the agent runs: a {@link FileLightStore} in {@code <dataDir>/ledger}, light blocks
     * from the gateway over {@code channel} ({@link MqttLightBlockProvider}), receipts from it too.
     */
    public static LedgerFollower overMqtt(LedgerSettings settings, Path dataDir, LedgerChannel channel, String gatewayId, Host host,
            Clock clock, String deviceId) throws LightStoreException {
        MqttLightBlockProvider provider = new MqttLightBlockProvider(gatewayId, channel, settings.requestTimeout());
        FileLightStore store = FileLightStore.open(dataDir.resolve("ledger"));
        if (!store.damaged().isEmpty()) {
            log.warn("light store damaged files device={} files={}; those blocks are fetched again", deviceId, store.damaged());
        }
        LedgerFollower follower;
        try {
            follower = start(settings, store, provider, host, clock, deviceId);
        } catch (LightStoreException | RuntimeException e) {
            try {
                store.close();
            } catch (LightStoreException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        channel.ledger(new LedgerChannel.Subscriber() {
            @Override
            public void connected() {}

            @Override
            public void receipt(byte[] payload) {
                follower.receiptArrived(payload);
            }

            @Override
            public void booking(byte[] payload) {
                follower.bookingArrived(payload);
            }

            @Override
            public void lightBlockResponse(byte[] correlationData, byte[] payload) {
                provider.answered(correlationData, payload);
            }
        });
        return follower;
    }

    public LedgerCounters counters() {
        return counters;
    }

    /**
     * The record is being sent (for the first time, or again): its receipt is awaited from now for
     * one receipt timeout. Any thread.
     */
    public void expect(SignedRecord record) {
        Objects.requireNonNull(record, "record");
        run(() -> {
            Bytes hash = ReceiptCheck.txHash(record);
            if (recentlyFinal.containsKey(hash)) {
                // A send that was under way when the record became final: nothing is awaited.
                return;
            }
            Instant due = clock.instant().plus(settings.receiptTimeout());
            Tracked t = tracked.get(hash);
            if (t == null) {
                tracked.put(hash, new Tracked(record, due));
            } else {
                t.due = due;
            }
        });
    }

    /** A message from the device's receipts topic, unchecked. Any thread. */
    public void receiptArrived(byte[] payload) {
        byte[] copy = payload.clone();
        run(() -> onReceipt(copy));
    }

    /**
     * Sets who hears verified bookings and decided transactions; null for nobody. Its calls come on
     * the follower's thread.
     */
    public void transactions(LedgerTxListener listener) {
        this.txListener = listener;
    }

    /**
     * The device is sending {@code signedTx}, a transaction that is no record of its chain (a {@code
     * PileOffer}, a {@code SessionStart}): its receipt is awaited from now for one receipt timeout,
     * and once a receipt's inclusion and result proofs verify, {@link LedgerTxListener#txDecided} is
     * called, once. Without a verified receipt in time the host is asked to send it again
     * ({@link Host#resubmitTransaction}), until it is decided. Any thread.
     */
    public void expectTx(byte[] signedTx) {
        byte[] copy = signedTx.clone();
        run(() -> {
            Bytes hash = TxInclusion.txHash(Bytes.of(copy));
            if (decidedTxs.contains(hash)) {
                return;
            }
            Instant due = clock.instant().plus(settings.receiptTimeout());
            TrackedTx t = trackedTxs.get(hash);
            if (t == null) {
                trackedTxs.put(hash, new TrackedTx(copy, due));
            } else {
                t.due = due;
            }
        });
    }

    /**
     * A message from the device's {@code bookings} topic, unchecked (docs/charging.md, "How the pile
     * learns of a booking"). Handed to the listener only when the receipt's inclusion proof holds
     * against the verified header at its height, its result proof against the verified header
     * after it, and the proven result is code 0; each booking once. Any thread.
     */
    public void bookingArrived(byte[] payload) {
        byte[] copy = payload.clone();
        run(() -> onBooking(copy));
    }

    // ---- follower thread -----------------------------------------------------------------------

    private void onReceipt(byte[] payload) {
        switch (ReceiptCheck.read(payload)) {
            case ReceiptVerdict.Malformed m -> {
                malformed++;
                log.warn("ledger receipt malformed device={} field={} expected=\"{}\" actual=\"{}\"", deviceId, m.field(), m.expected(),
                        m.actual());
                publish();
            }
            case LedgerReceipt r -> {
                Tracked t = tracked.get(r.txHash());
                if (t != null) {
                    decide(t.record, new Waiting(r), t);
                    return;
                }
                SignedRecord done = recentlyFinal.get(r.txHash());
                if (done != null) {
                    decide(done, new Waiting(r), null);
                    return;
                }
                TrackedTx tx = trackedTxs.get(r.txHash());
                if (tx != null) {
                    decideTx(tx, new Waiting(r));
                    return;
                }
                log.debug("ledger receipt not ours device={} tx_hash={} height={}", deviceId, r.txHash().hex(), r.height());
            }
        }
    }

    /**
     * Decides one receipt of {@code record}: {@code t} is the record's tracking while it is not
     * final, null once it is (the receipt is then only checked for forgery). A receipt whose
     * header cannot be verified yet waits for the next check.
     */
    private void decide(SignedRecord record, Waiting w, Tracked t) {
        LedgerReceipt r = w.receipt;
        long sequence = record.sequence();
        if (!r.claimsInclusion() && r.resultProof().isEmpty()) {
            // An unproven refusal: counted while the record waits; once it is final, nothing to check.
            if (t != null) {
                refusedBy(t, r, false);
                publish();
            }
            return;
        }
        boolean[] retry = {false};
        String what = "record " + sequence;
        Optional<Header> header = verifiedHeader(what, r, r.height(), retry);
        Optional<Header> next = Optional.empty();
        if (header.isPresent() && r.resultProof().isPresent()) {
            // Block h's results are committed in the header of h + 1 (last_results_hash).
            next = verifiedHeader(what, r, r.height() + 1, retry);
        }
        if (header.isEmpty() || (r.resultProof().isPresent() && next.isEmpty())) {
            if (retry[0]) {
                wait(record, w, t);
            }
            publish();
            return;
        }
        // docs/ledger.md: a receipt without a result proof proves inclusion only (older gateways).
        ReceiptVerdict verdict = r.resultProof().isEmpty()
                ? ReceiptCheck.check(r, record, header.get())
                : ReceiptCheck.check(r, record, header.get(), next.get());
        switch (verdict) {
            case ReceiptVerdict.Final f -> {
                if (t != null) {
                    tracked.remove(r.txHash());
                    recentlyFinal.put(r.txHash(), record);
                    // Receipts still waiting for this record are checked later all the same.
                    for (Waiting other : t.pending) {
                        late.add(new Late(record, other));
                    }
                    confirmed++;
                    log.debug("record final device={} sequence={} height={} already_included={} result_proven={}", deviceId, sequence,
                            f.height(), f.alreadyIncluded(), r.resultProof().isPresent());
                    host.finalised(List.of(sequence));
                    host.confirmed(record, clock.instant());
                }
            }
            case ReceiptVerdict.Forged f -> {
                forgeries++;
                log.error("FORGED receipt device={} sequence={} height={} field={} expected=\"{}\" actual=\"{}\"; record kept",
                        deviceId, sequence, f.height(), f.what(), f.expected(), f.actual());
            }
            // Only with a result proof: the block holds the transaction and refused it.
            case ReceiptVerdict.RefusedByLedger x -> {
                if (t != null) {
                    refusedBy(t, r, true);
                }
            }
            // read() refused these already, and the record was found by the receipt's hash.
            case ReceiptVerdict.Malformed x -> throw new IllegalStateException(x.describe());
            case ReceiptVerdict.NotOurs x -> throw new IllegalStateException(x.describe());
        }
        publish();
    }

    /**
     * The headers a receipt with a result proof needs, verified: the one at its height and the one
     * after it (whose {@code last_results_hash} commits to the block's results). Empty when either
     * is not verified (yet); {@code retry[0]} then says whether to try again at the next check.
     */
    private Optional<Header[]> verifiedHeaders(String what, LedgerReceipt r, boolean[] retry) {
        Optional<Header> header = verifiedHeader(what, r, r.height(), retry);
        if (header.isEmpty()) {
            return Optional.empty();
        }
        Optional<Header> next = verifiedHeader(what, r, r.height() + 1, retry);
        return next.map(n -> new Header[] {header.get(), n});
    }

    /**
     * Decides one receipt of a tracked transaction that is no record. Only a receipt whose
     * inclusion and result both verify decides it ({@link LedgerTxListener#txDecided}, once); an
     * unproven refusal backs the re-submission off as for records; anything else leaves it waiting
     * for the next receipt.
     */
    private void decideTx(TrackedTx t, Waiting w) {
        LedgerReceipt r = w.receipt;
        String what = "transaction " + r.txHash().hex();
        if (r.resultProof().isEmpty()) {
            if (!r.claimsInclusion()) {
                refused++;
                t.refusals++;
                Duration wait = settings.backoffAfterRefusal(t.refusals);
                t.due = clock.instant().plus(wait);
                log.error("ledger refused transaction device={} tx_hash={} code={} log=\"{}\" proven=false refusals={}; sent again in {}s",
                        deviceId, r.txHash().hex(), ReceiptCheck.codeName(r.code()), r.log(), t.refusals, wait.toSeconds());
                publish();
            } else {
                // docs/ledger.md: a transaction that is no record is decided by its proven result only.
                log.warn("receipt without result proof device={} tx_hash={} height={}; the transaction is not decided by it", deviceId,
                        r.txHash().hex(), r.height());
            }
            return;
        }
        boolean[] retry = {false};
        Optional<Header[]> headers = verifiedHeaders(what, r, retry);
        if (headers.isEmpty()) {
            if (retry[0]) {
                waitTx(t, w);
            }
            publish();
            return;
        }
        switch (ReceiptCheck.checkTransaction(r, t.signedTx, headers.get()[0], headers.get()[1])) {
            case TxReceiptVerdict.Accepted a -> txDecided(r.txHash(), ReceiptCheck.RESULT_OK, a.height());
            case TxReceiptVerdict.Refused x -> {
                refused++;
                log.error("ledger refused transaction device={} tx_hash={} height={} code={} log=\"{}\" proven=true", deviceId,
                        r.txHash().hex(), x.height(), ReceiptCheck.codeName(x.code()), x.log());
                txDecided(r.txHash(), x.code(), x.height());
            }
            case TxReceiptVerdict.Forged f -> {
                forgeries++;
                log.error("FORGED receipt device={} tx_hash={} height={} field={} expected=\"{}\" actual=\"{}\"; transaction not decided",
                        deviceId, r.txHash().hex(), f.height(), f.what(), f.expected(), f.actual());
            }
            // Found by its hash above; without a result proof it returned earlier.
            case TxReceiptVerdict.NotOurs x -> throw new IllegalStateException(x.describe());
            case TxReceiptVerdict.Unproven x -> throw new IllegalStateException(x.describe());
        }
        publish();
    }

    private void txDecided(Bytes hash, int code, long height) {
        trackedTxs.remove(hash);
        decidedTxs.add(hash);
        log.info("transaction decided device={} tx_hash={} code={} height={}", deviceId, hash.hex(), ReceiptCheck.codeName(code), height);
        LedgerTxListener l = txListener;
        if (l != null) {
            l.txDecided(hash.toArray(), code, height);
        }
    }

    private void waitTx(TrackedTx t, Waiting w) {
        if (++w.checks > MAX_WAITING_CHECKS) {
            log.warn("receipt given up device={} tx_hash={} height={}: its headers were not served in {} checks", deviceId,
                    w.receipt.txHash().hex(), w.receipt.height(), MAX_WAITING_CHECKS);
            return;
        }
        if (!t.pending.contains(w) && t.pending.size() < MAX_WAITING_PER_RECORD) {
            t.pending.add(w);
        }
    }

    private void onBooking(byte[] payload) {
        switch (ReceiptCheck.read(payload)) {
            case ReceiptVerdict.Malformed m -> {
                malformed++;
                log.warn("booking receipt malformed device={} field={} expected=\"{}\" actual=\"{}\"", deviceId, m.field(), m.expected(),
                        m.actual());
                publish();
            }
            case LedgerReceipt r -> decideBooking(new Waiting(r));
        }
    }

    /**
     * Decides one booking receipt: the booking is {@code proof.data}, which must hash to the
     * receipt's {@code tx_hash}; then inclusion and result as for the device's own transactions
     * (docs/charging.md, "How the pile learns of a booking"). A receipt without a result proof
     * cannot show the booking was accepted (a block may refuse a booking it includes) and is not
     * accepted.
     */
    private void decideBooking(Waiting w) {
        LedgerReceipt r = w.receipt;
        if (bookingsHanded.contains(r.txHash())) {
            log.debug("booking receipt again device={} tx_hash={}", deviceId, r.txHash().hex());
            return;
        }
        if (r.proof().isEmpty() || r.resultProof().isEmpty()) {
            malformed++;
            log.warn("booking receipt malformed device={} field={} expected=\"{}\" actual=\"{}\"", deviceId,
                    r.proof().isEmpty() ? "proof" : "result_proof", "a proof of the booking's inclusion and result", "none");
            publish();
            return;
        }
        String what = "booking " + r.txHash().hex();
        boolean[] retry = {false};
        Optional<Header[]> headers = verifiedHeaders(what, r, retry);
        if (headers.isEmpty()) {
            if (retry[0]) {
                if (++w.checks > MAX_WAITING_CHECKS) {
                    log.warn("booking receipt given up device={} tx_hash={} height={}: its headers were not served in {} checks", deviceId,
                            r.txHash().hex(), r.height(), MAX_WAITING_CHECKS);
                } else if (!bookingsWaiting.contains(w) && bookingsWaiting.size() < MAX_WAITING_BOOKINGS) {
                    bookingsWaiting.add(w);
                }
            }
            publish();
            return;
        }
        byte[] booking = r.proof().get().data().toArray();
        switch (ReceiptCheck.checkTransaction(r, booking, headers.get()[0], headers.get()[1])) {
            case TxReceiptVerdict.Accepted a -> {
                bookingsHanded.add(r.txHash());
                log.info("booking verified device={} tx_hash={} height={}", deviceId, r.txHash().hex(), a.height());
                LedgerTxListener l = txListener;
                if (l != null) {
                    l.bookingVerified(booking, a.height());
                }
            }
            case TxReceiptVerdict.Refused x -> log.info("booking refused by the ledger device={} tx_hash={} height={} code={} log=\"{}\"",
                    deviceId, r.txHash().hex(), x.height(), ReceiptCheck.codeName(x.code()), x.log());
            case TxReceiptVerdict.Forged f -> {
                forgeries++;
                log.error("FORGED booking receipt device={} tx_hash={} height={} field={} expected=\"{}\" actual=\"{}\"; not held",
                        deviceId, r.txHash().hex(), f.height(), f.what(), f.expected(), f.actual());
            }
            case TxReceiptVerdict.NotOurs n -> {
                // proof.data is not the transaction tx_hash names.
                forgeries++;
                log.error("FORGED booking receipt device={} tx_hash={} height={} field=proof.data expected=\"{}\" actual=\"{}\"; not held",
                        deviceId, r.txHash().hex(), r.height(), "the transaction with hash " + r.txHash().hex(),
                        "a transaction with hash " + TxInclusion.txHash(Bytes.of(booking)).hex());
            }
            // Checked above.
            case TxReceiptVerdict.Unproven x -> throw new IllegalStateException(x.describe());
        }
        publish();
    }

    /** Keeps {@code w} for the next check, unless it has waited long enough (or too many wait). */
    private void wait(SignedRecord record, Waiting w, Tracked t) {
        if (++w.checks > MAX_WAITING_CHECKS) {
            log.warn("receipt given up device={} sequence={} height={}: its headers were not served in {} checks", deviceId,
                    record.sequence(), w.receipt.height(), MAX_WAITING_CHECKS);
            return;
        }
        if (t == null) {
            late.add(new Late(record, w));
        } else if (!t.pending.contains(w) && t.pending.size() < MAX_WAITING_PER_RECORD) {
            t.pending.add(w);
        }
    }

    /** A refusal: the record is kept and sent again after a back-off that doubles with each refusal. */
    private void refusedBy(Tracked t, LedgerReceipt r, boolean proven) {
        refused++;
        t.refusals++;
        Duration wait = settings.backoffAfterRefusal(t.refusals);
        t.due = clock.instant().plus(wait);
        log.error("ledger refused record device={} sequence={} code={} log=\"{}\" proven={} refusals={}; kept, sent again in {}s",
                deviceId, t.record.sequence(), ReceiptCheck.codeName(r.code()), r.log(), proven, t.refusals, wait.toSeconds());
    }

    /**
     * The header at {@code height}, verified by the light client; empty when it is not (yet): then
     * the outcome is counted and logged here, and the receipt kept for the next check when the
     * header could not be fetched.
     */
    private Optional<Header> verifiedHeader(String what, LedgerReceipt r, long height, boolean[] retry) {
        SyncResult sync;
        try {
            sync = client.verifyTo(height);
        } catch (LightStoreException e) {
            log.error("light store failed device={} height={} error={}; receipt kept", deviceId, height, e.getMessage());
            retry[0] = true;
            return Optional.empty();
        }
        switch (sync) {
            case SyncResult.Verified v -> {
                verifiedHeight = Math.max(verifiedHeight, v.block().height());
                trustExpired = false;
                return Optional.of(v.block().header());
            }
            case SyncResult.Invalid i -> {
                // The block was forged, not the receipt: the receipt is tried again with a fresh
                // request, so that a lie in the receipt itself is still found (and counted).
                retry[0] = true;
                forgeries++;
                log.error("FORGED light block device={} height={} provider={} reason=\"{}\"; {} kept", deviceId, i.height(),
                        i.provider(), i.reason().describe(), what);
            }
            case SyncResult.ForkDetected f -> {
                retry[0] = true;
                forgeries++;
                log.error("ledger fork detected device={} {}; {} kept", deviceId, f.evidence().describe(), what);
            }
            case SyncResult.ProviderFailed p -> {
                retry[0] = true;
                if (height > r.height()) {
                    // The header after the receipt's block is usually not committed yet when the receipt comes.
                    log.debug("results header not yet available device={} height={} error=\"{}\"; receipt for {} tried again",
                            deviceId, height, p.error().getMessage(), what);
                } else {
                    log.warn("light block unavailable device={} height={} error=\"{}\"; receipt for {} tried again", deviceId,
                            height, p.error().getMessage(), what);
                }
            }
            case SyncResult.TrustExpired e -> {
                if (!trustExpired) {
                    log.error("ledger trust expired device={} reason=\"{}\"; no record can be made final until a new trust anchor is"
                            + " installed", deviceId, e.reason().describe());
                }
                trustExpired = true;
            }
            case SyncResult.NotInitialised n -> log.error("ledger light store holds no trusted block device={}", deviceId);
        }
        return Optional.empty();
    }

    /** Retries receipts whose header could not be fetched, and asks for what is due to be sent again. */
    private void check() {
        try {
            Instant now = clock.instant();
            for (Tracked t : new ArrayList<>(tracked.values())) {
                List<Waiting> waiting = new ArrayList<>(t.pending);
                t.pending.clear();
                for (Waiting w : waiting) {
                    // The record may have become final through an earlier one of these (then null).
                    decide(t.record, w, tracked.get(w.receipt.txHash()));
                }
            }
            List<Late> lateOnes = new ArrayList<>(late);
            late.clear();
            for (Late l : lateOnes) {
                decide(l.record(), l.waiting(), null);
            }
            for (TrackedTx t : new ArrayList<>(trackedTxs.values())) {
                List<Waiting> waiting = new ArrayList<>(t.pending);
                t.pending.clear();
                for (Waiting w : waiting) {
                    // Decided through an earlier one of these: the rest have nothing left to decide.
                    if (trackedTxs.get(w.receipt.txHash()) == t) {
                        decideTx(t, w);
                    }
                }
            }
            List<Waiting> bookings = new ArrayList<>(bookingsWaiting);
            bookingsWaiting.clear();
            for (Waiting w : bookings) {
                decideBooking(w);
            }
            // A record is never sent again ahead of its unconfirmed predecessors, and records go in
            // sequence order: the ledger fills a gap from its lower end only (docs/ledger.md), so a
            // backlog sent in hash order, or a higher record sent before a lower one whose back-off
            // has not run out, is refused record by record, each refusal doubling the wait. Found
            // by the broker-restart fault scenario (docs/faults.md).
            long highestDue = Long.MIN_VALUE;
            for (Tracked t : tracked.values()) {
                if (!t.due.isAfter(now)) {
                    highestDue = Math.max(highestDue, t.record.sequence());
                }
            }
            List<Tracked> again = new ArrayList<>();
            for (Tracked t : tracked.values()) {
                if (t.record.sequence() <= highestDue) {
                    again.add(t);
                }
            }
            again.sort(java.util.Comparator.comparingLong(t -> t.record.sequence()));
            for (Tracked t : again) {
                // Asked again one timeout later if the host cannot send it now (offline, window full).
                t.due = now.plus(settings.receiptTimeout());
                // The re-submission brings a fresh receipt; those still waiting are checked as well.
                resubmissions++;
                log.info("record sent again device={} sequence={} reason=\"no verified receipt\"", deviceId, t.record.sequence());
                host.resubmit(t.record);
                publish();
            }
            for (TrackedTx t : new ArrayList<>(trackedTxs.values())) {
                if (!t.due.isAfter(now)) {
                    t.due = now.plus(settings.receiptTimeout());
                    log.info("transaction sent again device={} tx_hash={} reason=\"no verified receipt\"", deviceId,
                            TxInclusion.txHash(Bytes.of(t.signedTx)).hex());
                    host.resubmitTransaction(t.signedTx.clone());
                }
            }
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again; the follower must outlive any one bug.
            log.error("ledger follower check failed device={} error={}", deviceId, e.toString(), e);
        }
    }

    private void publish() {
        counters = new LedgerCounters(confirmed, forgeries, refused, resubmissions, malformed, verifiedHeight, trustExpired);
        host.changed();
    }

    private void run(Runnable task) {
        try {
            thread.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("ledger follower task failed device={} error={}", deviceId, e.toString(), e);
                }
            });
        } catch (RejectedExecutionException e) {
            // Closed: the outbox holds everything; the next start tracks it again.
        }
    }

    /** Waits until everything handed to the follower before this call has been processed (tests). */
    void awaitIdle() throws InterruptedException, ExecutionException, TimeoutException {
        thread.submit(() -> {}).get(30, TimeUnit.SECONDS);
    }

    /** Runs the periodic check now, on the follower's thread, and waits for it (tests). */
    void checkNow() throws InterruptedException, ExecutionException, TimeoutException {
        thread.submit(this::check).get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            store.close();
        } catch (LightStoreException e) {
            log.warn("closing light store failed device={} error={}", deviceId, e.getMessage());
        }
    }
}
