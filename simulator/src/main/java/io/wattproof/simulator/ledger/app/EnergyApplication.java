package io.wattproof.simulator.ledger.app;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.PublicKeys;
import io.wattproof.crypto.VerifyingKey;
import io.wattproof.protocol.SignBytes;
import io.wattproof.protocol.v1.AccountCredit;
import io.wattproof.protocol.v1.BodyType;
import io.wattproof.protocol.v1.ChargingSession;
import io.wattproof.protocol.v1.DeviceRegistration;
import io.wattproof.protocol.v1.PileOffer;
import io.wattproof.protocol.v1.Reading;
import io.wattproof.protocol.v1.SessionStart;
import io.wattproof.protocol.v1.SignedTx;
import io.wattproof.protocol.v1.StartRequest;
import io.wattproof.protocol.v1.TariffContract;
import io.wattproof.protocol.v1.TxResultCode;
import io.wattproof.simulator.ledger.Application;
import io.wattproof.simulator.ledger.BlockResult;
import io.wattproof.simulator.ledger.TxResult;
import io.wattproof.crypto.seal.Kem;
import io.wattproof.crypto.seal.RecipientPublicKey;
import io.wattproof.simulator.ledger.app.AppSnapshot.BookingStatus;
import io.wattproof.simulator.ledger.app.AppSnapshot.DeviceView;
import io.wattproof.simulator.ledger.app.ChargingBook.Booking;
import io.wattproof.simulator.ledger.app.ChargingBook.Evidence;
import io.wattproof.simulator.ledger.app.ChargingBook.Offer;
import io.wattproof.simulator.ledger.app.AppSnapshot.GapRange;
import io.wattproof.simulator.ledger.app.DeviceState.Gap;
import io.wattproof.simulator.verify.CryptoSeSignatureCheck;
import io.wattproof.simulator.verify.SignatureCheck;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The energy application (docs/ledger.md, "The energy application's rules"): device registry,
 * reading rules with recorded gaps, P2P settlement per interval, and the app hash.
 *
 * <p>Every transaction is first <em>evaluated</em> against the current state into either a refusal
 * or an effect, without touching the state; only {@link #finalizeBlock} then <em>applies</em>
 * effects. So {@link #checkTx} cannot change anything, and a refused transaction changes nothing
 * but the refusal counters (which are statistics, not part of the app hash).
 *
 * <p>Order of checks for a reading, cheapest and least trusting first: envelope and body shape
 * (MALFORMED), registration (UNKNOWN_DEVICE, REVOKED_DEVICE), algorithm (ALGORITHM_MISMATCH),
 * public key if present and signature (BAD_SIGNATURE), then the chain position (DUPLICATE_SEQUENCE,
 * BROKEN_CHAIN, OVERLAPPING_INTERVAL). The signature is checked before anything is compared with
 * earlier records, so only bytes the device really signed can count as a duplicate or open a gap.
 * For an operator transaction: body shape (MALFORMED), signer (UNAUTHORIZED), algorithm, signature,
 * nonce (BAD_NONCE), then the content (INVALID).
 *
 * <p>Charging (docs/charging.md): a PileOffer or SessionStart is checked as a device transaction
 * (shape, registration, algorithm, signature), then nonce or booking; a Booking by the key it
 * carries (shape, algorithm, signature, nonce, content); a ChargingSession exactly as a reading
 * up to its place in the pile's chain, then against its booking (INVALID). Expiry, the evidence
 * check of completed sessions and their settlement run at the end of each block, after its
 * transactions and the interval settlement.
 *
 * <p>Pure: block height and time come in as arguments; no I/O, clock, threads or logging. Not
 * thread-safe (the chain calls it from one thread), except {@link #snapshot()}, which returns the
 * immutable state published by the last commit and may be called from any thread.
 */
public final class EnergyApplication implements Application {
    /** Version tag at the start of the app-hash encoding; a change of the encoding gets a new one. */
    static final String STATE_ENCODING = "wattproof/energy-app/v2";

    private static final int OK = TxResultCode.RESULT_OK_VALUE;
    private static final int MALFORMED = TxResultCode.RESULT_MALFORMED_VALUE;
    private static final int UNKNOWN_DEVICE = TxResultCode.RESULT_UNKNOWN_DEVICE_VALUE;
    private static final int REVOKED_DEVICE = TxResultCode.RESULT_REVOKED_DEVICE_VALUE;
    private static final int BAD_SIGNATURE = TxResultCode.RESULT_BAD_SIGNATURE_VALUE;
    private static final int DUPLICATE_SEQUENCE = TxResultCode.RESULT_DUPLICATE_SEQUENCE_VALUE;
    private static final int BROKEN_CHAIN = TxResultCode.RESULT_BROKEN_CHAIN_VALUE;
    private static final int OVERLAPPING_INTERVAL = TxResultCode.RESULT_OVERLAPPING_INTERVAL_VALUE;
    private static final int ALGORITHM_MISMATCH = TxResultCode.RESULT_ALGORITHM_MISMATCH_VALUE;
    private static final int UNAUTHORIZED = TxResultCode.RESULT_UNAUTHORIZED_VALUE;
    private static final int BAD_NONCE = TxResultCode.RESULT_BAD_NONCE_VALUE;
    private static final int INVALID = TxResultCode.RESULT_INVALID_VALUE;
    private static final int MAX_LABEL_LENGTH = 64;
    /**
     * Largest amount, deposit or credit, micro-units (10^9 units of the currency): sums of a few
     * of them and energy × price products (≤ 10^9 Wh × 10^9 per kWh) stay far inside a long.
     */
    static final long MAX_AMOUNT = 1_000_000_000_000_000L;
    /** Largest unit price, micro-units per kWh (as for tariffs). */
    static final long MAX_UNIT_PRICE = 1_000_000_000L;
    /** Longest booked window, seconds: bounds the evidence a booking keeps. */
    static final long MAX_BOOKING_SECONDS = 86_400L;
    /** An active or completed session not settled by its window end + this is disputed (docs/charging.md). */
    static final long CLOSE_GRACE_SECONDS = 3_600L;
    /** Session energy may differ from the readings' bounds by 1 Wh of rounding per boundary. */
    static final long ROUNDING_WH = 2;
    private static final int PSEUDONYM_LENGTH = 32;
    private static final HexFormat HEX = HexFormat.of();

    private final String chainId;
    private final SignatureCheck keyCheck = new CryptoSeSignatureCheck();
    /** Genesis operators by the hex of their DER key. */
    private final Map<String, Operator> operators = new HashMap<>();
    /** Last nonce per operator, by operator id hex (sorted: the hex order is the byte order). */
    private final TreeMap<String, Long> operatorNonces = new TreeMap<>();
    /** CheckTx only: the last nonce admitted per operator since the last commit (not state, not hashed). */
    private final Map<String, Long> checkNonces = new java.util.HashMap<>();
    /** Offers, bookings, sessions (docs/charging.md). */
    private final ChargingBook charging = new ChargingBook();
    /** True while {@link #checkTx} evaluates. */
    private boolean checking;
    /**
     * CheckTx's view of gap fills not yet in a block, per device: the last record that passed
     * CheckTx at the lower end of an open gap. As with {@link #checkNonces}, CheckTx runs against
     * the state after the mempool's earlier transactions (ABCI CheckTx, "the application maintains
     * a check state"), so a backlog 6, 7, 8 sent in order into a gap 6..20 passes CheckTx together
     * instead of 7 and 8 being refused until 6 is in a block. Cleared at each commit.
     */
    private final Map<DeviceId, CheckedFill> checkFills = new java.util.HashMap<>();

    private record CheckedFill(long sequence, byte[] recordHash, long intervalEnd) {}

    private final Map<DeviceId, DeviceState> devices = new HashMap<>();
    /** Devices in id order; rebuilt when one is added (rare), for hashing and snapshots. */
    private List<DeviceState> ordered = List.of();
    private boolean orderStale;
    /** Devices changed since the last commit: their views are rebuilt at commit. */
    private final Set<DeviceState> touched = new LinkedHashSet<>();
    private final Map<DeviceId, DeviceView> views = new HashMap<>();

    /** Tariffs in inclusion order; the last one covering an interval's start governs it. */
    private final List<Tariff> contracts = new ArrayList<>();
    private final TreeMap<IntervalKey, TreeMap<String, long[]>> openIntervals = new TreeMap<>();
    private final TreeMap<String, Long> balances = new TreeMap<>();
    private long gridImportWh;
    private long gridExportWh;
    private long paidToGrid;
    private long paidByGrid;
    private long p2pWh;
    private long p2pMoney;
    private long settledIntervals;

    private long height;
    private Instant time;
    /** Epoch seconds of the last committed block; Long.MIN_VALUE before the first. */
    private long lastBlockSecond = Long.MIN_VALUE;

    private long readingsAccepted;
    private final TreeMap<Integer, Long> refusedByCode = new TreeMap<>();
    private long openGapSequences;

    private byte[] appHash;
    private volatile AppSnapshot snapshot;

    /**
     * @throws IllegalArgumentException when an operator key is not a DER key of its stated algorithm,
     *     is listed twice, or the initial contract's fields are out of range
     */
    public EnergyApplication(Genesis genesis) {
        this.chainId = genesis.chainId();
        for (Genesis.OperatorKey op : genesis.operators()) {
            VerifyingKey key;
            try {
                key = PublicKeys.fromSubjectPublicKeyInfo(op.publicKeyInfo());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("genesis operator " + op.id() + ": " + e.getMessage(), e);
            }
            if (key.algorithm() != op.algorithm()) {
                throw new IllegalArgumentException("genesis operator " + op.id() + ": expected a " + op.algorithm()
                        + " key, got " + key.algorithm());
            }
            String hexKey = HEX.formatHex(op.publicKeyInfo());
            if (operators.putIfAbsent(hexKey, new Operator(key)) != null) {
                throw new IllegalArgumentException("genesis operator " + op.id() + ": expected each key once, got it twice");
            }
            operatorNonces.put(key.deviceId().hex(), 0L);
        }
        genesis.initialContract().ifPresent(c -> {
            String problem = Tariff.check(c);
            if (problem != null) {
                throw new IllegalArgumentException("genesis contract: " + problem);
            }
            contracts.add(Tariff.of(c));
        });
        commit();
    }

    public String chainId() {
        return chainId;
    }

    /** The state published by the last commit; safe to call from any thread. */
    public AppSnapshot snapshot() {
        return snapshot;
    }

    /**
     * Judged against the last committed state, except for operator nonces: those of operator
     * transactions this method already admitted since the last commit count too (the "check state"
     * of ABCI applications, e.g. the Cosmos SDK's), so that an operator can have several transactions
     * waiting for the same block. The committed state is not touched; the check state is dropped at
     * every commit, and the ledger's recheck of its mempool builds it again in mempool order.
     */
    @Override
    public TxResult checkTx(byte[] tx) {
        Effect effect;
        checking = true;
        try {
            effect = evaluate(tx, lastBlockSecond);
        } finally {
            checking = false;
        }
        switch (effect) {
            case Register r -> checkNonces.put(r.operator().idHex(), r.nonce());
            case Rotate r -> checkNonces.put(r.operator().idHex(), r.nonce());
            case Revoke r -> checkNonces.put(r.operator().idHex(), r.nonce());
            case NewTariff t -> checkNonces.put(t.operator().idHex(), t.nonce());
            case Credit c -> checkNonces.put(c.operator().idHex(), c.nonce());
            case NewOffer o -> checkNonces.put(PILE + o.offer().pile.hex(), o.offer().nonce);
            case NewBooking b -> checkNonces.put(DRIVER + b.driverHex(), b.booking().nonce);
            default -> { }
        }
        return effect instanceof Refusal r ? TxResult.refused(r.code, r.log) : TxResult.ok();
    }

    @Override
    public BlockResult finalizeBlock(long height, Instant time, List<byte[]> txs) {
        if (height != this.height + 1) {
            throw new IllegalArgumentException("height: expected " + (this.height + 1) + ", got " + height);
        }
        Objects.requireNonNull(time, "time");
        if (this.time != null && time.isBefore(this.time)) {
            throw new IllegalArgumentException("time: expected at or after " + this.time + " (previous block), got " + time);
        }
        long now = time.getEpochSecond();
        List<TxResult> results = new ArrayList<>(txs.size());
        for (byte[] tx : txs) {
            Effect effect = evaluate(tx, now);
            if (effect instanceof Refusal r) {
                refusedByCode.merge(r.code, 1L, Long::sum);
                results.add(TxResult.refused(r.code, r.log));
            } else {
                apply(effect);
                results.add(TxResult.ok());
            }
        }
        settleDue(now);
        closeCharging(now);
        this.height = height;
        this.time = time;
        this.lastBlockSecond = now;
        commit();
        return new BlockResult(results, appHash);
    }

    @Override
    public byte[] appHash() {
        return appHash.clone();
    }

    // ---- evaluation: decides, changes nothing ------------------------------------------------

    private sealed interface Effect permits Refusal, Slot, AcceptReading, Register, Rotate, Revoke, NewTariff, Credit, NewOffer,
            NewBooking, StartSession, AcceptSession {}

    /** Where an authentic record goes in its device's chain: above the head (gap null) or filling {@code gap}. */
    private record Slot(Gap gap) implements Effect {}

    private record Credit(Operator operator, long nonce, String account, long amount) implements Effect {}

    private record NewOffer(DeviceState pile, Offer offer) implements Effect {}

    private record NewBooking(String driverHex, Booking booking) implements Effect {}

    private record StartSession(Booking booking, long startTime, long startImportWh) implements Effect {}

    private record AcceptSession(DeviceState device, ChargingSession session, byte[] recordHash, Gap gap, Booking booking)
            implements Effect {}

    /** Key prefixes of {@link #checkNonces} for piles' offer and car owners' booking counters. */
    private static final String PILE = "pile:";
    private static final String DRIVER = "driver:";

    private record Refusal(int code, String log) implements Effect {}

    /** @param gap the gap the record fills from below, or null when it extends the head */
    private record AcceptReading(DeviceState device, Reading reading, byte[] recordHash, Gap gap) implements Effect {}

    private record Register(Operator operator, long nonce, DeviceState device) implements Effect {}

    private record Rotate(Operator operator, long nonce, DeviceState old, DeviceState successor) implements Effect {}

    private record Revoke(Operator operator, long nonce, DeviceState device) implements Effect {}

    private record NewTariff(Operator operator, long nonce, Tariff tariff) implements Effect {}

    private record Operator(VerifyingKey key) {
        String idHex() {
            return key.deviceId().hex();
        }
    }

    /** @param now epoch seconds of the block the transaction would be in (or the last one, for checkTx) */
    private Effect evaluate(byte[] bytes, long now) {
        if (bytes == null) {
            return new Refusal(MALFORMED, "tx: expected bytes, got none");
        }
        SignedTx tx;
        try {
            tx = SignedTx.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            return new Refusal(MALFORMED, "tx: expected a serialized SignedTx, got " + bytes.length + " bytes that do not parse");
        }
        return switch (tx.getBodyType()) {
            case READING -> evaluateReading(tx);
            case CHARGING_SESSION -> evaluateSession(tx);
            case DEVICE_REGISTRATION, TARIFF_CONTRACT, ACCOUNT_CREDIT -> evaluateOperator(tx, now);
            case PILE_OFFER -> evaluateOffer(tx, bytes, now);
            case BOOKING -> evaluateBooking(tx, bytes, now);
            case SESSION_START -> evaluateSessionStart(tx);
            // StartRequest and StopRequest go from the car owner to the pile over MQTT; a
            // StartRequest reaches the ledger only inside a SessionStart.
            case START_REQUEST, STOP_REQUEST, BODY_TYPE_UNSPECIFIED, UNRECOGNIZED -> new Refusal(MALFORMED,
                    "body_type: expected a ledger body (1..7 or 10), got " + tx.getBodyType() + " (" + tx.getBodyTypeValue() + ")");
        };
    }

    private Effect evaluateReading(SignedTx tx) {
        Reading reading;
        try {
            reading = Reading.parseFrom(tx.getBody());
        } catch (InvalidProtocolBufferException e) {
            return new Refusal(MALFORMED, "body: expected a serialized Reading, got " + tx.getBody().size() + " bytes that do not parse");
        }
        String problem = Readings.check(reading);
        if (problem != null) {
            return new Refusal(MALFORMED, problem);
        }
        DeviceId id = DeviceId.of(reading.getDeviceId().toByteArray());
        Refusal signer = deviceSignerProblem(tx, id);
        if (signer != null) {
            return signer;
        }
        DeviceState device = devices.get(id);
        byte[] recordHash = SignBytes.recordHash(SignBytes.of(BodyType.READING, chainId, tx.getBody().toByteArray()));
        long start = reading.getIntervalStart();
        long end = start + reading.getIntervalSeconds();
        Effect slot = null;
        CheckedFill fill = checking ? checkFills.get(id) : null;
        DeviceState.Gap open = fill == null ? null : device.gapHolding(fill.sequence());
        if (open != null && reading.getSequence() > fill.sequence() && reading.getSequence() <= open.to()) {
            // The gap as it will be once the pending fill is in a block: its lower end moved up.
            DeviceState.Gap rest = new DeviceState.Gap(fill.sequence() + 1, open.to(), fill.recordHash(), fill.intervalEnd(),
                    open.upperPreviousHash(), open.upperIntervalStart());
            slot = placeInGap(rest, reading.getSequence(), reading.getPreviousHash().toByteArray(), recordHash, true, start, end);
        }
        if (slot == null) {
            slot = place(device, reading.getSequence(), reading.getPreviousHash().toByteArray(), recordHash, true, start, end);
        }
        if (checking && slot instanceof Slot s && s.gap() != null) {
            checkFills.put(id, new CheckedFill(reading.getSequence(), recordHash, end));
        }
        return slot instanceof Slot s ? new AcceptReading(device, reading, recordHash, s.gap()) : slot;
    }

    /**
     * Null when {@code tx} is signed by the key of registered, unrevoked device {@code id} under
     * the sign-bytes domain of its body type; otherwise the refusal (UNKNOWN_DEVICE,
     * REVOKED_DEVICE, ALGORITHM_MISMATCH, BAD_SIGNATURE), as for readings.
     */
    private Refusal deviceSignerProblem(SignedTx tx, DeviceId id) {
        DeviceState device = devices.get(id);
        if (device == null) {
            return new Refusal(UNKNOWN_DEVICE, "device_id: expected a registered device, got " + id);
        }
        if (device.revoked) {
            return new Refusal(REVOKED_DEVICE, "device_id: expected a device whose key is in force, got " + id + ", revoked");
        }
        if (tx.getKeyAlgorithmValue() != device.algorithm.wireNumber()) {
            return new Refusal(ALGORITHM_MISMATCH, "key_algorithm: expected " + device.algorithm + " (" + device.algorithm.wireNumber()
                    + "), the registered algorithm of device " + id + ", got " + tx.getKeyAlgorithm() + " (" + tx.getKeyAlgorithmValue() + ")");
        }
        if (!tx.getPublicKey().isEmpty() && !Arrays.equals(tx.getPublicKey().toByteArray(), device.publicKeyInfo)) {
            // No code of its own: a key other than the registered one cannot have made a signature
            // the ledger would accept for this device.
            return new Refusal(BAD_SIGNATURE, "public_key: expected empty or the registered key of device " + id
                    + ", got a key of device " + DeviceId.fromPublicKeyInfo(tx.getPublicKey().toByteArray()));
        }
        byte[] signBytes = SignBytes.of(tx.getBodyType(), chainId, tx.getBody().toByteArray());
        String signatureProblem = signatureProblem(device.key, signBytes, tx.getSignature(), "device " + id);
        return signatureProblem == null ? null : new Refusal(BAD_SIGNATURE, signatureProblem);
    }

    /**
     * Where an authentic record goes in its device's chain (docs/ledger.md, "Readings"): a
     * {@link Slot} or a refusal. Readings ({@code timed}) are also checked against their
     * neighbours' intervals; a ChargingSession shares the chain but spans several reading
     * intervals that are signed before it, so it has no interval of its own in these checks.
     */
    private static Effect place(DeviceState device, long sequence, byte[] previous, byte[] recordHash, boolean timed, long start,
                                long end) {
        if (sequence > device.head) {
            if (sequence == device.head + 1) {
                String link = linkProblem(sequence, previous, device.headHash, "record hash of sequence " + device.head);
                if (link != null) {
                    return new Refusal(BROKEN_CHAIN, link);
                }
            } else if (previous.length == 0) {
                return new Refusal(BROKEN_CHAIN, "previous_hash: expected the 32-byte record hash of sequence " + (sequence - 1)
                        + ", got empty");
            }
            if (timed && start < device.headIntervalEnd) {
                return new Refusal(OVERLAPPING_INTERVAL, "interval_start: expected at or after " + device.headIntervalEnd
                        + " (end of sequence " + device.head + "), got " + start);
            }
            return new Slot(null);
        }
        Gap gap = device.gapHolding(sequence);
        if (gap != null) {
            return placeInGap(gap, sequence, previous, recordHash, timed, start, end);
        }
        byte[] known = device.recentHashOf(sequence);
        if (known == null) {
            return new Refusal(DUPLICATE_SEQUENCE, "sequence: expected above the head " + device.head
                    + " or the lower end of an open gap, got " + sequence + ", already held");
        }
        if (Arrays.equals(known, recordHash)) {
            return new Refusal(DUPLICATE_SEQUENCE, "sequence: " + sequence + " is already held with the same record (record hash "
                    + HEX.formatHex(recordHash) + ")");
        }
        return new Refusal(DUPLICATE_SEQUENCE, "record hash: expected " + HEX.formatHex(known) + " (sequence " + sequence
                + " already held), got " + HEX.formatHex(recordHash) + ", another body");
    }

    /** {@link #place} for a sequence that {@code gap} holds. */
    private static Effect placeInGap(Gap gap, long sequence, byte[] previous, byte[] recordHash, boolean timed, long start, long end) {
        if (sequence != gap.from()) {
            return new Refusal(BROKEN_CHAIN, "sequence: expected " + gap.from() + ", the lower end of the open gap " + gap.from()
                    + ".." + gap.to() + " (a gap is filled from its lower end only), got " + sequence);
        }
        String link = linkProblem(sequence, previous, gap.lowerHash(), "record hash of sequence " + (sequence - 1));
        if (link != null) {
            return new Refusal(BROKEN_CHAIN, link);
        }
        if (sequence == gap.to() && !Arrays.equals(recordHash, gap.upperPreviousHash())) {
            return new Refusal(BROKEN_CHAIN, "record hash: expected " + HEX.formatHex(gap.upperPreviousHash())
                    + " (previous_hash of sequence " + (sequence + 1) + ", which closes the gap), got " + HEX.formatHex(recordHash));
        }
        if (timed && start < gap.lowerIntervalEnd()) {
            return new Refusal(OVERLAPPING_INTERVAL, "interval_start: expected at or after " + gap.lowerIntervalEnd()
                    + " (end of sequence " + (sequence - 1) + "), got " + start);
        }
        if (timed && end > gap.upperIntervalStart()) {
            return new Refusal(OVERLAPPING_INTERVAL, "interval end: expected at or before " + gap.upperIntervalStart()
                    + " (start of sequence " + (gap.to() + 1) + "), got " + end);
        }
        return new Slot(gap);
    }

    /** What is wrong with {@code previous} as the link to {@code expected}, or null. */
    private static String linkProblem(long sequence, byte[] previous, byte[] expected, String what) {
        if (sequence == 1) {
            return previous.length == 0 ? null : "previous_hash: expected empty for sequence 1, got " + HEX.formatHex(previous);
        }
        if (Arrays.equals(previous, expected)) {
            return null;
        }
        return "previous_hash: expected " + HEX.formatHex(expected) + " (" + what + "), got "
                + (previous.length == 0 ? "empty" : HEX.formatHex(previous));
    }

    private static String signatureProblem(VerifyingKey key, byte[] signBytes, ByteString signature, String whose) {
        return switch (key.check(signBytes, signature.toByteArray())) {
            case io.wattproof.crypto.SignatureCheck.Valid v -> null;
            case io.wattproof.crypto.SignatureCheck.Malformed m -> "signature: " + m.reason();
            case io.wattproof.crypto.SignatureCheck.Mismatch m -> "signature: expected one by the key of " + whose
                    + ", got one that does not verify";
        };
    }

    private Effect evaluateOperator(SignedTx tx, long now) {
        BodyType type = tx.getBodyType();
        DeviceRegistration registration = null;
        TariffContract contract = null;
        AccountCredit credit = null;
        long nonce;
        try {
            if (type == BodyType.DEVICE_REGISTRATION) {
                registration = DeviceRegistration.parseFrom(tx.getBody());
                nonce = registration.getNonce();
            } else if (type == BodyType.ACCOUNT_CREDIT) {
                credit = AccountCredit.parseFrom(tx.getBody());
                nonce = credit.getNonce();
            } else {
                contract = TariffContract.parseFrom(tx.getBody());
                nonce = contract.getNonce();
            }
        } catch (InvalidProtocolBufferException e) {
            return new Refusal(MALFORMED, "body: expected a serialized " + SignBytes.messageType(type) + ", got "
                    + tx.getBody().size() + " bytes that do not parse");
        }
        byte[] signerKey = tx.getPublicKey().toByteArray();
        Operator operator = operators.get(HEX.formatHex(signerKey));
        if (operator == null) {
            return new Refusal(UNAUTHORIZED, "public_key: expected the key of a genesis operator, got "
                    + (signerKey.length == 0 ? "none" : "a key with id " + DeviceId.fromPublicKeyInfo(signerKey)));
        }
        KeyAlgorithm algorithm = operator.key.algorithm();
        if (tx.getKeyAlgorithmValue() != algorithm.wireNumber()) {
            return new Refusal(ALGORITHM_MISMATCH, "key_algorithm: expected " + algorithm + " (" + algorithm.wireNumber()
                    + "), the algorithm of operator " + operator.idHex() + ", got " + tx.getKeyAlgorithm() + " ("
                    + tx.getKeyAlgorithmValue() + ")");
        }
        byte[] signBytes = SignBytes.of(type, chainId, tx.getBody().toByteArray());
        String signatureProblem = signatureProblem(operator.key, signBytes, tx.getSignature(), "operator " + operator.idHex());
        if (signatureProblem != null) {
            return new Refusal(BAD_SIGNATURE, signatureProblem);
        }
        long last = operatorNonces.get(operator.idHex());
        if (checking) {
            last = Math.max(last, checkNonces.getOrDefault(operator.idHex(), 0L));
        }
        long expectedNonce = last + 1;
        if (nonce != expectedNonce) {
            return new Refusal(BAD_NONCE, "nonce: expected " + expectedNonce + " (operator " + operator.idHex()
                    + "'s previous + 1), got " + Long.toUnsignedString(nonce));
        }
        if (credit != null) {
            return evaluateCredit(operator, nonce, credit);
        }
        return registration != null ? evaluateRegistration(operator, nonce, registration) : evaluateTariff(operator, nonce, contract, now);
    }

    private Effect evaluateRegistration(Operator operator, long nonce, DeviceRegistration r) {
        if (r.getDeviceId().size() != DeviceId.LENGTH) {
            return new Refusal(INVALID, "device_id: expected " + DeviceId.LENGTH + " bytes, got " + r.getDeviceId().size());
        }
        DeviceId id = DeviceId.of(r.getDeviceId().toByteArray());
        switch (r.getAction()) {
            case REGISTER -> {
                String problem = labelProblem(r);
                if (problem != null) {
                    return new Refusal(INVALID, problem);
                }
                Object key = parseKey(r, id, true);
                if (key instanceof Refusal refusal) {
                    return refusal;
                }
                return new Register(operator, nonce, new DeviceState((VerifyingKey) key, r.getBoard(), r.getLocation(), r.getAccount()));
            }
            case ROTATE -> {
                DeviceState old = devices.get(id);
                String problem = old == null ? "device_id: expected a registered device, got " + id
                        : old.revoked ? "device_id: expected a device whose key is in force, got " + id + ", revoked"
                        : old.rotatedTo != null ? "device_id: expected a device not rotated yet, got " + id + ", rotated to " + old.rotatedTo
                        : null;
                if (problem != null) {
                    return new Refusal(INVALID, problem);
                }
                Object key = parseKey(r, id, false);
                if (key instanceof Refusal refusal) {
                    return refusal;
                }
                return new Rotate(operator, nonce, old, new DeviceState((VerifyingKey) key, old.board, old.location, old.account));
            }
            case REVOKE -> {
                DeviceState device = devices.get(id);
                String problem = device == null ? "device_id: expected a registered device, got " + id
                        : device.revoked ? "device_id: expected a device not revoked yet, got " + id + ", revoked"
                        : !r.getPublicKey().isEmpty() ? "public_key: expected empty for REVOKE, got " + r.getPublicKey().size() + " bytes"
                        : null;
                return problem != null ? new Refusal(INVALID, problem) : new Revoke(operator, nonce, device);
            }
            case ACTION_UNSPECIFIED, UNRECOGNIZED -> {
                return new Refusal(INVALID, "action: expected REGISTER (1), ROTATE (2) or REVOKE (3), got " + r.getAction()
                        + " (" + r.getActionValue() + ")");
            }
        }
        throw new IllegalStateException("unreachable: every action is handled above");
    }

    private static String labelProblem(DeviceRegistration r) {
        String problem = Text.checkPrintable("board", r.getBoard(), 0, MAX_LABEL_LENGTH);
        if (problem == null) {
            problem = Text.checkPrintable("location", r.getLocation(), 0, MAX_LABEL_LENGTH);
        }
        if (problem == null) {
            problem = Text.checkPrintable("account", r.getAccount(), 1, MAX_LABEL_LENGTH);
        }
        return problem;
    }

    /**
     * The registration's key as a {@link VerifyingKey}, or a {@link Refusal}: it must parse as a key
     * of the stated algorithm, be new, and (REGISTER) its id must be the device id.
     */
    private Object parseKey(DeviceRegistration r, DeviceId id, boolean idIsTheKeys) {
        KeyAlgorithm algorithm = null;
        for (KeyAlgorithm a : KeyAlgorithm.values()) {
            if (a.wireNumber() == r.getKeyAlgorithmValue()) {
                algorithm = a;
            }
        }
        if (algorithm == null) {
            return new Refusal(INVALID, "key_algorithm: expected ECDSA_P256_SHA256 (1), ED25519 (2) or SM2_SM3 (3), got "
                    + r.getKeyAlgorithm() + " (" + r.getKeyAlgorithmValue() + ")");
        }
        byte[] der = r.getPublicKey().toByteArray();
        if (keyCheck.checkPublicKey(algorithm, der) instanceof SignatureCheck.Invalid bad) {
            return new Refusal(INVALID, "public_key: " + bad.detail());
        }
        VerifyingKey key = PublicKeys.fromSubjectPublicKeyInfo(der);
        if (idIsTheKeys && !key.deviceId().equals(id)) {
            return new Refusal(INVALID, "device_id: expected " + key.deviceId()
                    + " (first 20 bytes of sha-256 of public_key), got " + id);
        }
        if (devices.containsKey(key.deviceId())) {
            return new Refusal(INVALID, "device_id: expected a new device, got " + key.deviceId() + ", already registered");
        }
        return key;
    }

    private Effect evaluateTariff(Operator operator, long nonce, TariffContract c, long now) {
        String problem = Tariff.check(c);
        if (problem != null) {
            return new Refusal(INVALID, problem);
        }
        // A contract only governs intervals that start at or after the block it is in: those
        // cannot be settled or due yet, so settled history never changes.
        if (now != Long.MIN_VALUE && c.getValidFrom() < now) {
            return new Refusal(INVALID, "valid_from: expected at or after the block time " + now + ", got " + c.getValidFrom());
        }
        return new NewTariff(operator, nonce, Tariff.of(c));
    }

    // ---- charging (docs/charging.md, "The state machine on the ledger") -----------------------------

    private Effect evaluateCredit(Operator operator, long nonce, AccountCredit c) {
        String problem = Text.checkPrintable("account", c.getAccount(), 1, MAX_LABEL_LENGTH);
        if (problem == null) {
            problem = amountProblem("amount", c.getAmount(), 1);
        }
        return problem != null ? new Refusal(INVALID, problem) : new Credit(operator, nonce, c.getAccount(), c.getAmount());
    }

    /** Null when the uint64 {@code value} lies in {@code min..}{@value #MAX_AMOUNT}. */
    private static String amountProblem(String field, long value, long min) {
        if (Long.compareUnsigned(value, min) < 0 || Long.compareUnsigned(value, MAX_AMOUNT) > 0) {
            return field + ": expected " + min + ".." + MAX_AMOUNT + ", got " + Long.toUnsignedString(value);
        }
        return null;
    }

    private static String hashFieldProblem(String field, ByteString value) {
        return value.size() == Readings.HASH_LENGTH ? null
                : field + ": expected " + Readings.HASH_LENGTH + " bytes, got " + value.size();
    }

    /** The last nonce of a counter: committed, or (checkTx) the highest admitted since the last commit. */
    private long lastNonce(Map<String, Long> committed, String idHex, String checkPrefix) {
        long last = committed.getOrDefault(idHex, 0L);
        if (checking) {
            last = Math.max(last, checkNonces.getOrDefault(checkPrefix + idHex, 0L));
        }
        return last;
    }

    private Effect evaluateOffer(SignedTx tx, byte[] bytes, long now) {
        PileOffer o;
        try {
            o = PileOffer.parseFrom(tx.getBody());
        } catch (InvalidProtocolBufferException e) {
            return new Refusal(MALFORMED, "body: expected a serialized PileOffer, got " + tx.getBody().size() + " bytes that do not parse");
        }
        if (o.getPileDeviceId().size() != DeviceId.LENGTH) {
            return new Refusal(MALFORMED, "pile_device_id: expected " + DeviceId.LENGTH + " bytes, got " + o.getPileDeviceId().size());
        }
        DeviceId pile = DeviceId.of(o.getPileDeviceId().toByteArray());
        Refusal signer = deviceSignerProblem(tx, pile);
        if (signer != null) {
            return signer;
        }
        long expected = lastNonce(charging.pileNonces, pile.hex(), PILE) + 1;
        if (o.getNonce() != expected) {
            return new Refusal(BAD_NONCE, "nonce: expected " + expected + " (pile " + pile + "'s previous offer nonce + 1), got "
                    + Long.toUnsignedString(o.getNonce()));
        }
        String problem = o.getOwnerPseudonym().size() != PSEUDONYM_LENGTH
                ? "owner_pseudonym: expected " + PSEUDONYM_LENGTH + " bytes, got " + o.getOwnerPseudonym().size()
                : Long.compareUnsigned(o.getUnitPrice(), 1) < 0 || Long.compareUnsigned(o.getUnitPrice(), MAX_UNIT_PRICE) > 0
                ? "unit_price: expected 1.." + MAX_UNIT_PRICE + ", got " + Long.toUnsignedString(o.getUnitPrice())
                : o.getMaxPowerW() == 0 ? "max_power_w: expected above 0, got 0"
                : o.getWindowStart() < 0 || o.getWindowStart() > Readings.MAX_INTERVAL_START
                ? "window_start: expected 0.." + Readings.MAX_INTERVAL_START + ", got " + o.getWindowStart()
                : o.getWindowEnd() <= o.getWindowStart() || o.getWindowEnd() > Readings.MAX_INTERVAL_START
                ? "window_end: expected after window_start " + o.getWindowStart() + " and at most " + Readings.MAX_INTERVAL_START
                        + ", got " + o.getWindowEnd()
                : now != Long.MIN_VALUE && o.getWindowEnd() <= now
                ? "window_end: expected after the block time " + now + ", got " + o.getWindowEnd()
                : null;
        if (problem != null) {
            return new Refusal(INVALID, problem);
        }
        return new NewOffer(devices.get(pile), new Offer(sha256(bytes), pile, o.getOwnerPseudonym().toByteArray(), o.getUnitPrice(),
                o.getWindowStart(), o.getWindowEnd(), Integer.toUnsignedLong(o.getMaxPowerW()), o.getNonce()));
    }

    private Effect evaluateBooking(SignedTx tx, byte[] bytes, long now) {
        io.wattproof.protocol.v1.Booking b;
        try {
            b = io.wattproof.protocol.v1.Booking.parseFrom(tx.getBody());
        } catch (InvalidProtocolBufferException e) {
            return new Refusal(MALFORMED, "body: expected a serialized Booking, got " + tx.getBody().size() + " bytes that do not parse");
        }
        byte[] der = tx.getPublicKey().toByteArray();
        VerifyingKey driver;
        try {
            driver = PublicKeys.fromSubjectPublicKeyInfo(der);
        } catch (RuntimeException e) {
            return new Refusal(MALFORMED, "public_key: expected the car owner's DER SubjectPublicKeyInfo, got "
                    + (der.length == 0 ? "none" : der.length + " bytes that do not parse (" + e.getMessage() + ")"));
        }
        if (tx.getKeyAlgorithmValue() != driver.algorithm().wireNumber()) {
            return new Refusal(ALGORITHM_MISMATCH, "key_algorithm: expected " + driver.algorithm() + " (" + driver.algorithm().wireNumber()
                    + "), the algorithm of public_key, got " + tx.getKeyAlgorithm() + " (" + tx.getKeyAlgorithmValue() + ")");
        }
        String driverHex = driver.deviceId().hex();
        String signatureProblem = signatureProblem(driver, SignBytes.of(BodyType.BOOKING, chainId, tx.getBody().toByteArray()),
                tx.getSignature(), "car owner " + driverHex);
        if (signatureProblem != null) {
            return new Refusal(BAD_SIGNATURE, signatureProblem);
        }
        long expected = lastNonce(charging.driverNonces, driverHex, DRIVER) + 1;
        if (b.getNonce() != expected) {
            return new Refusal(BAD_NONCE, "nonce: expected " + expected + " (car owner " + driverHex + "'s previous booking nonce + 1), got "
                    + Long.toUnsignedString(b.getNonce()));
        }
        String problem = hashFieldProblem("offer_tx_hash", b.getOfferTxHash());
        Offer offer = problem != null ? null : charging.offers.get(HEX.formatHex(b.getOfferTxHash().toByteArray()));
        String account = ChargingBook.driverAccount(driver.deviceId());
        if (problem == null) {
            problem = offer == null ? "offer_tx_hash: expected a pile offer on the ledger, got " + HEX.formatHex(b.getOfferTxHash().toByteArray())
                    : offer.expired ? "offer_tx_hash: expected an offer that is offered, got one that expired at " + offer.windowEnd
                    : b.getDriverPseudonym().size() != PSEUDONYM_LENGTH
                    ? "driver_pseudonym: expected " + PSEUDONYM_LENGTH + " bytes, got " + b.getDriverPseudonym().size()
                    : sealKeyProblem(b.getDriverSealKey());
        }
        if (problem == null) {
            problem = Long.compareUnsigned(b.getMaxEnergyWh(), 1) < 0 || Long.compareUnsigned(b.getMaxEnergyWh(), Readings.MAX_DELTA_WH) > 0
                    ? "max_energy_wh: expected 1.." + Readings.MAX_DELTA_WH + ", got " + Long.toUnsignedString(b.getMaxEnergyWh())
                    : amountProblem("max_amount", b.getMaxAmount(), 1);
        }
        if (problem == null) {
            problem = amountProblem("deposit", b.getDeposit(), 1);
        }
        if (problem == null && b.getDeposit() < b.getMaxAmount()) {
            problem = "deposit: expected at least max_amount " + b.getMaxAmount() + ", got " + b.getDeposit();
        }
        if (problem == null) {
            problem = windowProblem(b, offer, now);
        }
        if (problem == null) {
            long balance = balances.getOrDefault(account, 0L);
            if (balance < b.getDeposit()) {
                problem = "deposit: expected at most the balance " + balance + " of " + account + ", got " + b.getDeposit();
            }
        }
        if (problem != null) {
            return new Refusal(INVALID, problem);
        }
        return new NewBooking(driverHex, new Booking(sha256(bytes), offer, driver, account, b.getMaxEnergyWh(), b.getMaxAmount(),
                b.getWindowStart(), b.getWindowEnd(), b.getDeposit(), b.getNonce()));
    }

    /** RFC 9180 §7.1.1 SerializePublicKey: 32 bytes X25519, or a 65-byte uncompressed P-256 point. */
    private static String sealKeyProblem(ByteString key) {
        Kem kem = key.size() == Kem.X25519_HKDF_SHA256.publicKeyLength() ? Kem.X25519_HKDF_SHA256
                : key.size() == Kem.P256_HKDF_SHA256.publicKeyLength() ? Kem.P256_HKDF_SHA256 : null;
        if (kem == null) {
            return "driver_seal_key: expected 32 (X25519) or 65 (P-256) bytes, got " + key.size();
        }
        try {
            RecipientPublicKey.of(kem, key.toByteArray());
            return null;
        } catch (IllegalArgumentException e) {
            return "driver_seal_key: " + e.getMessage();
        }
    }

    /**
     * The booked window: inside the offer's, at most {@value #MAX_BOOKING_SECONDS} s, starting at or
     * after the block (so every reading that can be evidence for it arrives after the booking), and
     * overlapping no booking of the same pile that is booked or active.
     */
    private String windowProblem(io.wattproof.protocol.v1.Booking b, Offer offer, long now) {
        long start = b.getWindowStart();
        long end = b.getWindowEnd();
        if (start < offer.windowStart || end > offer.windowEnd || end <= start) {
            return "window: expected a non-empty window inside the offer's [" + offer.windowStart + ", " + offer.windowEnd + "), got ["
                    + start + ", " + end + ")";
        }
        if (end - start > MAX_BOOKING_SECONDS) {
            return "window: expected at most " + MAX_BOOKING_SECONDS + " s, got " + (end - start);
        }
        if (now != Long.MIN_VALUE && start < now) {
            return "window_start: expected at or after the block time " + now + ", got " + start;
        }
        for (Booking other : charging.open.values()) {
            boolean holds = other.status == BookingStatus.BOOKED || other.status == BookingStatus.ACTIVE;
            if (holds && other.offer.pile.equals(offer.pile) && start < other.windowEnd && other.windowStart < end) {
                return "window: expected no overlap with booking " + other.hex() + " [" + other.windowStart + ", " + other.windowEnd
                        + ") of pile " + offer.pile + ", got [" + start + ", " + end + ")";
            }
        }
        return null;
    }

    private Effect evaluateSessionStart(SignedTx tx) {
        SessionStart s;
        try {
            s = SessionStart.parseFrom(tx.getBody());
        } catch (InvalidProtocolBufferException e) {
            return new Refusal(MALFORMED, "body: expected a serialized SessionStart, got " + tx.getBody().size() + " bytes that do not parse");
        }
        if (s.getPileDeviceId().size() != DeviceId.LENGTH) {
            return new Refusal(MALFORMED, "pile_device_id: expected " + DeviceId.LENGTH + " bytes, got " + s.getPileDeviceId().size());
        }
        String shape = hashFieldProblem("booking_tx_hash", s.getBookingTxHash());
        if (shape != null) {
            return new Refusal(MALFORMED, shape);
        }
        SignedTx request;
        try {
            request = SignedTx.parseFrom(s.getStartRequest());
        } catch (InvalidProtocolBufferException e) {
            return new Refusal(MALFORMED, "start_request: expected a serialized SignedTx, got " + s.getStartRequest().size()
                    + " bytes that do not parse");
        }
        if (request.getBodyType() != BodyType.START_REQUEST) {
            return new Refusal(MALFORMED, "start_request.body_type: expected START_REQUEST (8), got " + request.getBodyType() + " ("
                    + request.getBodyTypeValue() + ")");
        }
        StartRequest r;
        try {
            r = StartRequest.parseFrom(request.getBody());
        } catch (InvalidProtocolBufferException e) {
            return new Refusal(MALFORMED, "start_request.body: expected a serialized StartRequest, got " + request.getBody().size()
                    + " bytes that do not parse");
        }
        DeviceId pile = DeviceId.of(s.getPileDeviceId().toByteArray());
        Refusal signer = deviceSignerProblem(tx, pile);
        if (signer != null) {
            return signer;
        }
        String bookingHex = HEX.formatHex(s.getBookingTxHash().toByteArray());
        Booking booking = charging.bookings.get(bookingHex);
        if (booking == null) {
            return new Refusal(INVALID, "booking_tx_hash: expected a booking on the ledger, got " + bookingHex);
        }
        if (!booking.offer.pile.equals(pile)) {
            return new Refusal(UNAUTHORIZED, "pile_device_id: expected " + booking.offer.pile + ", the pile of the booking's offer, got " + pile);
        }
        if (booking.status != BookingStatus.BOOKED) {
            return new Refusal(INVALID, "booking_tx_hash: expected a booking that is BOOKED, got " + bookingHex + ", " + booking.status);
        }
        // The car owner's request: signed by the booking's key, for this booking and pile, in its window.
        if (!Arrays.equals(request.getPublicKey().toByteArray(), booking.driverKeyInfo)) {
            return new Refusal(UNAUTHORIZED, "start_request.public_key: expected the booking's key "
                    + booking.driverKey.deviceId() + ", got " + (request.getPublicKey().isEmpty() ? "none"
                    : "a key with id " + DeviceId.fromPublicKeyInfo(request.getPublicKey().toByteArray())));
        }
        if (request.getKeyAlgorithmValue() != booking.driverKey.algorithm().wireNumber()) {
            return new Refusal(ALGORITHM_MISMATCH, "start_request.key_algorithm: expected " + booking.driverKey.algorithm() + " ("
                    + booking.driverKey.algorithm().wireNumber() + "), got " + request.getKeyAlgorithm() + " ("
                    + request.getKeyAlgorithmValue() + ")");
        }
        String signatureProblem = signatureProblem(booking.driverKey,
                SignBytes.of(BodyType.START_REQUEST, chainId, request.getBody().toByteArray()), request.getSignature(),
                "car owner " + booking.driverKey.deviceId());
        if (signatureProblem != null) {
            return new Refusal(BAD_SIGNATURE, "start_request." + signatureProblem);
        }
        String problem = !r.getBookingTxHash().equals(s.getBookingTxHash())
                ? "start_request.booking_tx_hash: expected " + bookingHex + ", got " + HEX.formatHex(r.getBookingTxHash().toByteArray())
                : !r.getPileDeviceId().equals(s.getPileDeviceId())
                ? "start_request.pile_device_id: expected " + pile + ", got " + HEX.formatHex(r.getPileDeviceId().toByteArray())
                : !inWindow(booking, r.getRequestedAt())
                ? "start_request.requested_at: expected in the booked window [" + booking.windowStart + ", " + booking.windowEnd + "), got "
                        + r.getRequestedAt()
                : !inWindow(booking, s.getStartTime())
                ? "start_time: expected in the booked window [" + booking.windowStart + ", " + booking.windowEnd + "), got " + s.getStartTime()
                : Long.compareUnsigned(s.getStartImportWh(), Long.MAX_VALUE) > 0
                ? "start_import_wh: expected at most 2^63-1, got " + Long.toUnsignedString(s.getStartImportWh())
                : null;
        return problem != null ? new Refusal(INVALID, problem) : new StartSession(booking, s.getStartTime(), s.getStartImportWh());
    }

    private static boolean inWindow(Booking b, long t) {
        return t >= b.windowStart && t < b.windowEnd;
    }

    private Effect evaluateSession(SignedTx tx) {
        ChargingSession cs;
        try {
            cs = ChargingSession.parseFrom(tx.getBody());
        } catch (InvalidProtocolBufferException e) {
            return new Refusal(MALFORMED, "body: expected a serialized ChargingSession, got " + tx.getBody().size()
                    + " bytes that do not parse");
        }
        String shape = cs.getDeviceId().size() != DeviceId.LENGTH ? "device_id: expected " + DeviceId.LENGTH + " bytes, got "
                + cs.getDeviceId().size()
                : cs.getSequence() == 0 ? "sequence: expected at least 1, got 0"
                : cs.getSequence() < 0 ? "sequence: expected at most 2^63-1, got " + Long.toUnsignedString(cs.getSequence())
                : cs.getPreviousHash().size() != 0 && cs.getPreviousHash().size() != Readings.HASH_LENGTH
                ? "previous_hash: expected 0 or " + Readings.HASH_LENGTH + " bytes, got " + cs.getPreviousHash().size()
                : hashFieldProblem("contract_tx_hash", cs.getContractTxHash());
        if (shape == null) {
            shape = cs.getStartTime() < 0 || cs.getStartTime() > Readings.MAX_INTERVAL_START
                    ? "start_time: expected 0.." + Readings.MAX_INTERVAL_START + ", got " + cs.getStartTime()
                    : cs.getEndTime() < 0 || cs.getEndTime() > Readings.MAX_INTERVAL_START
                    ? "end_time: expected 0.." + Readings.MAX_INTERVAL_START + ", got " + cs.getEndTime()
                    : Long.compareUnsigned(cs.getEndImportWh(), Long.MAX_VALUE) > 0
                    ? "end_import_wh: expected at most 2^63-1, got " + Long.toUnsignedString(cs.getEndImportWh())
                    : null;
        }
        if (shape != null) {
            return new Refusal(MALFORMED, shape);
        }
        DeviceId id = DeviceId.of(cs.getDeviceId().toByteArray());
        Refusal signer = deviceSignerProblem(tx, id);
        if (signer != null) {
            return signer;
        }
        DeviceState device = devices.get(id);
        byte[] recordHash = SignBytes.recordHash(SignBytes.of(BodyType.CHARGING_SESSION, chainId, tx.getBody().toByteArray()));
        Effect slot = place(device, cs.getSequence(), cs.getPreviousHash().toByteArray(), recordHash, false, 0, 0);
        if (!(slot instanceof Slot s)) {
            return slot;
        }
        String bookingHex = HEX.formatHex(cs.getContractTxHash().toByteArray());
        Booking b = charging.bookings.get(bookingHex);
        String problem = b == null ? "contract_tx_hash: expected a booking on the ledger, got " + bookingHex
                : !b.offer.pile.equals(id) ? "contract_tx_hash: expected a booking of pile " + id + ", got one of pile " + b.offer.pile
                : b.status != BookingStatus.ACTIVE ? "contract_tx_hash: expected a booking that is ACTIVE, got " + bookingHex + ", " + b.status
                : cs.getStartTime() != b.startTime ? "start_time: expected " + b.startTime + " (the SessionStart's), got " + cs.getStartTime()
                : cs.getStartImportWh() != b.startImportWh ? "start_import_wh: expected " + b.startImportWh + " (the SessionStart's), got "
                        + Long.toUnsignedString(cs.getStartImportWh())
                : cs.getEndTime() < cs.getStartTime() || cs.getEndTime() > b.windowEnd + END_GRACE_SECONDS
                ? "end_time: expected " + cs.getStartTime() + ".." + (b.windowEnd + END_GRACE_SECONDS)
                        + " (start_time to the booked window's end + " + END_GRACE_SECONDS + " s), got " + cs.getEndTime()
                : Long.compareUnsigned(cs.getEndImportWh(), cs.getStartImportWh()) < 0
                ? "end_import_wh: expected at least start_import_wh " + cs.getStartImportWh() + ", got " + cs.getEndImportWh()
                : cs.getEnergyWh() != cs.getEndImportWh() - cs.getStartImportWh()
                ? "energy_wh: expected end_import_wh - start_import_wh = " + (cs.getEndImportWh() - cs.getStartImportWh()) + ", got "
                        + Long.toUnsignedString(cs.getEnergyWh())
                : Long.compareUnsigned(cs.getEnergyWh(), b.maxEnergyWh + overshootAllowanceWh(b.offer.maxPowerW)) > 0
                ? "energy_wh: expected at most " + (b.maxEnergyWh + overshootAllowanceWh(b.offer.maxPowerW))
                        + " (the booking's max_energy_wh " + b.maxEnergyWh + " + " + overshootAllowanceWh(b.offer.maxPowerW)
                        + " Wh the offer's " + b.offer.maxPowerW + " W deliver in " + OVERSHOOT_SECONDS + " s), got "
                        + Long.toUnsignedString(cs.getEnergyWh())
                : null;
        return problem != null ? new Refusal(INVALID, problem) : new AcceptSession(device, cs, recordHash, s.gap(), b);
    }

    /**
     * A pile stops at the first meter sample at or over the booked energy, so a little more flows
     * before its relay opens: up to the offer's power for this long (samples at most every 10 s,
     * a relay opens within a few). A session within it is accepted; it is billed at most the
     * booked energy.
     */
    static final long OVERSHOOT_SECONDS = 15;

    /**
     * A pile stopping at the booked window's end opens its relay then and reads its end register
     * after that: a session may end this long after the window (no energy flows in it, the relay
     * being open), and the readings that settle it may reach as far.
     */
    static final long END_GRACE_SECONDS = 15;

    static long overshootAllowanceWh(long maxPowerW) {
        return (maxPowerW * OVERSHOOT_SECONDS + 3599) / 3600;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    // ---- application of effects -----------------------------------------------------------------

    private void apply(Effect effect) {
        switch (effect) {
            case Refusal r -> throw new IllegalArgumentException("a refusal has no effect to apply");
            case Slot s -> throw new IllegalArgumentException("a slot is part of an effect, not one");
            case AcceptReading a -> applyReading(a);
            case Credit c -> {
                nonce(c.operator, c.nonce);
                balances.merge(c.account, c.amount, Settlement::saturatedAdd);
            }
            case NewOffer o -> {
                charging.pileNonces.put(o.offer.pile.hex(), o.offer.nonce);
                charging.offers.put(HEX.formatHex(o.offer.txHash), o.offer);
            }
            case NewBooking b -> {
                Booking booking = b.booking;
                charging.driverNonces.put(b.driverHex, booking.nonce);
                charging.bookings.put(booking.hex(), booking);
                charging.open.put(booking.hex(), booking);
                // The deposit leaves the car owner's account for the booking (docs/charging.md, "Booking").
                balances.merge(booking.driverAccount, -booking.deposit, Settlement::saturatedAdd);
            }
            case StartSession st -> {
                st.booking.status = BookingStatus.ACTIVE;
                st.booking.startTime = st.startTime;
                st.booking.startImportWh = st.startImportWh;
            }
            case AcceptSession a -> applySession(a);
            case Register r -> {
                nonce(r.operator, r.nonce);
                add(r.device);
            }
            case Rotate r -> {
                nonce(r.operator, r.nonce);
                r.old.rotatedTo = r.successor.id;
                r.old.changed();
                touched.add(r.old);
                add(r.successor);
            }
            case Revoke r -> {
                nonce(r.operator, r.nonce);
                r.device.revoked = true;
                r.device.changed();
                touched.add(r.device);
            }
            case NewTariff t -> {
                nonce(t.operator, t.nonce);
                contracts.add(t.tariff);
            }
        }
    }

    private void nonce(Operator operator, long nonce) {
        operatorNonces.put(operator.idHex(), nonce);
    }

    private void add(DeviceState device) {
        devices.put(device.id, device);
        orderStale = true;
        touched.add(device);
    }

    private void applyReading(AcceptReading a) {
        DeviceState d = a.device;
        Reading r = a.reading;
        long start = r.getIntervalStart();
        long end = start + r.getIntervalSeconds();
        long missingBefore = d.missing;
        if (a.gap == null) {
            d.appendHead(r.getSequence(), a.recordHash, start, end, r.getPreviousHash().toByteArray());
        } else {
            d.fill(a.gap, a.recordHash, end);
        }
        openGapSequences += d.missing - missingBefore;
        readingsAccepted++;
        touched.add(d);
        book(d.account, start, r.getIntervalSeconds(), r.getExportDeltaWh(), r.getImportDeltaWh());
        // Evidence for the pile's open bookings whose window the interval overlaps.
        for (Booking b : charging.open.values()) {
            if (b.offer.pile.equals(d.id) && start < b.windowEnd + END_GRACE_SECONDS && end > b.windowStart) {
                b.evidence.add(new Evidence(start, end, r.getImportDeltaWh()));
            }
        }
    }

    private void applySession(AcceptSession a) {
        DeviceState d = a.device;
        ChargingSession cs = a.session;
        long missingBefore = d.missing;
        // A session keeps the chain's interval bounds as they are: it has no interval of its own.
        if (a.gap == null) {
            d.appendHead(cs.getSequence(), a.recordHash, Long.MAX_VALUE, d.headIntervalEnd, cs.getPreviousHash().toByteArray());
        } else {
            d.fill(a.gap, a.recordHash, a.gap.lowerIntervalEnd());
        }
        openGapSequences += d.missing - missingBefore;
        touched.add(d);
        Booking b = a.booking;
        b.status = BookingStatus.COMPLETED;
        b.endTime = cs.getEndTime();
        b.endImportWh = cs.getEndImportWh();
        b.energyWh = cs.getEnergyWh();
        charging.sessions++;
    }

    /**
     * End of block, after the transactions (docs/charging.md): expiry of offers and unstarted
     * bookings, the evidence check of completed sessions, and disputes of sessions not closed in
     * time. In booking-hash order, so the outcome does not depend on anything but the state.
     */
    private void closeCharging(long now) {
        for (Offer o : charging.offers.values()) {
            if (!o.expired && o.windowEnd <= now) {
                o.expired = true;
            }
        }
        var it = charging.open.values().iterator();
        while (it.hasNext()) {
            Booking b = it.next();
            boolean late = b.windowEnd <= now - CLOSE_GRACE_SECONDS;
            switch (b.status) {
                case BOOKED -> {
                    if (b.windowEnd <= now) {
                        b.status = BookingStatus.EXPIRED;
                        balances.merge(b.driverAccount, b.deposit, Settlement::saturatedAdd);
                    }
                }
                case ACTIVE -> {
                    if (late) {
                        b.status = BookingStatus.DISPUTED;
                        charging.disputes++;
                    }
                }
                case COMPLETED -> judge(b, late);
                case SETTLED, DISPUTED, EXPIRED -> { }
            }
            if (b.status != BookingStatus.BOOKED && b.status != BookingStatus.ACTIVE && b.status != BookingStatus.COMPLETED) {
                // Closed for good: its evidence can never be used again, so it leaves the state.
                b.evidence.clear();
                it.remove();
            }
        }
    }

    /**
     * The evidence check of a completed session (docs/charging.md, "Evidence"): once the pile's
     * readings cover [start, end] without a hole, the session's energy must lie between the import
     * deltas of the readings wholly inside and of those overlapping it, ± {@value #ROUNDING_WH} Wh;
     * then it is settled, else disputed. Not covered by window end + 1 h: disputed.
     */
    private void judge(Booking b, boolean late) {
        long start = b.startTime;
        // A session of zero length is judged by the reading holding its instant.
        long end = Math.max(b.endTime, start + 1);
        List<Evidence> overlapping = new ArrayList<>();
        for (Evidence e : b.evidence) {
            if (e.start() < end && e.end() > start) {
                overlapping.add(e);
            }
        }
        overlapping.sort((x, y) -> Long.compare(x.start(), y.start()));
        long covered = start;
        for (Evidence e : overlapping) {
            if (e.start() > covered) {
                break;
            }
            covered = Math.max(covered, e.end());
        }
        if (covered < end) {
            if (late) {
                b.status = BookingStatus.DISPUTED;
                charging.disputes++;
            }
            return;
        }
        long inner = 0;
        long outer = 0;
        for (Evidence e : overlapping) {
            outer += e.importDeltaWh();
            if (e.start() >= start && e.end() <= b.endTime) {
                inner += e.importDeltaWh();
            }
        }
        if (b.energyWh < inner - ROUNDING_WH || b.energyWh > outer + ROUNDING_WH) {
            b.status = BookingStatus.DISPUTED;
            charging.disputes++;
            return;
        }
        // The car owner pays for at most the energy booked, whatever flowed before the relay opened.
        long amount = Math.min(Math.floorDiv(Math.min(b.energyWh, b.maxEnergyWh) * b.offer.unitPrice, 1000), b.maxAmount);
        b.amount = amount;
        b.status = BookingStatus.SETTLED;
        charging.settled++;
        balances.merge(devices.get(b.offer.pile).account, amount, Settlement::saturatedAdd);
        balances.merge(b.driverAccount, b.deposit - amount, Settlement::saturatedAdd);
    }

    /**
     * Books a reading's energy: to its interval while that is open, else (its interval was settled
     * in an earlier block) straight against the grid.
     */
    private void book(String account, long start, long seconds, long supplyWh, long demandWh) {
        Tariff tariff = contractFor(start);
        long delay = tariff == null ? 0 : tariff.settlementDelaySeconds();
        if (start + seconds + delay <= lastBlockSecond) {
            credit(Settlement.gridOnly(account, supplyWh, demandWh, tariff));
            return;
        }
        long[] position = openIntervals.computeIfAbsent(new IntervalKey(start, seconds), k -> new TreeMap<>())
                .computeIfAbsent(account, k -> new long[2]);
        position[0] += supplyWh;
        position[1] += demandWh;
    }

    /** The contract governing intervals that start at {@code start}: the last included that covers it. */
    private Tariff contractFor(long start) {
        for (int i = contracts.size() - 1; i >= 0; i--) {
            if (contracts.get(i).covers(start)) {
                return contracts.get(i);
            }
        }
        return null;
    }

    /** Settles every open interval whose end + settlement delay is at or before {@code now}. */
    private void settleDue(long now) {
        var it = openIntervals.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            IntervalKey key = e.getKey();
            Tariff tariff = contractFor(key.start);
            long delay = tariff == null ? 0 : tariff.settlementDelaySeconds();
            if (key.end() + delay > now) {
                continue;
            }
            SortedMap<String, Settlement.Position> positions = new TreeMap<>();
            e.getValue().forEach((account, p) -> positions.put(account, new Settlement.Position(p[0], p[1])));
            Settlement.IntervalSettlement s = Settlement.settle(positions, tariff);
            for (Settlement.AccountSettlement a : s.accounts()) {
                credit(a);
            }
            p2pWh = Settlement.saturatedAdd(p2pWh, s.matchedWh());
            p2pMoney = Settlement.saturatedAdd(p2pMoney, s.p2pMoney());
            settledIntervals++;
            it.remove();
        }
    }

    private void credit(Settlement.AccountSettlement a) {
        balances.merge(a.account(), a.balanceChange(), Settlement::saturatedAdd);
        gridImportWh = Settlement.saturatedAdd(gridImportWh, a.gridImportWh());
        gridExportWh = Settlement.saturatedAdd(gridExportWh, a.gridExportWh());
        paidToGrid = Settlement.saturatedAdd(paidToGrid, a.gridPaid());
        paidByGrid = Settlement.saturatedAdd(paidByGrid, a.gridReceived());
    }

    /** A metering interval [start, start + seconds); ordered by end, then start. */
    private record IntervalKey(long start, long seconds) implements Comparable<IntervalKey> {
        long end() {
            return start + seconds;
        }

        @Override
        public int compareTo(IntervalKey o) {
            int c = Long.compare(end(), o.end());
            return c != 0 ? c : Long.compare(start, o.start);
        }
    }

    // ---- commit: app hash and snapshot ------------------------------------------------------------

    private void commit() {
        checkNonces.clear();
        checkFills.clear();
        if (orderStale) {
            List<DeviceState> all = new ArrayList<>(devices.values());
            all.sort(DeviceState::compareIds);
            ordered = all;
            orderStale = false;
        }
        appHash = stateHash();
        for (DeviceState d : touched) {
            views.put(d.id, view(d));
        }
        touched.clear();
        Map<DeviceId, DeviceView> inOrder = new LinkedHashMap<>();
        for (DeviceState d : ordered) {
            inOrder.put(d.id, views.get(d.id));
        }
        snapshot = new AppSnapshot(height, Optional.ofNullable(time), appHash, inOrder,
                new AppSnapshot.Totals(readingsAccepted, refusedByCode, openGapSequences), balances,
                new AppSnapshot.Grid(gridImportWh, gridExportWh, paidToGrid, paidByGrid, p2pWh, p2pMoney), settledIntervals,
                openIntervals.size(), Optional.ofNullable(time == null ? null : contractFor(lastBlockSecond)), operatorNonces,
                charging.view());
    }

    private static DeviceView view(DeviceState d) {
        List<GapRange> gaps = new ArrayList<>(d.gaps.size());
        for (Gap g : d.gaps.values()) {
            gaps.add(new GapRange(g.from(), g.to()));
        }
        return new DeviceView(d.id, d.algorithm, d.publicKeyInfo, d.board, d.location, d.account, d.revoked,
                Optional.ofNullable(d.rotatedTo), d.head, gaps, d.accepted);
    }

    /**
     * The app hash: SHA-256 over the canonical encoding of the whole state, version
     * {@value #STATE_ENCODING} (integers fixed-width big-endian, byte strings and text with a 4-byte
     * length, see {@link HashWriter}):
     *
     * <ol>
     *   <li>the version tag and the chain id (text);
     *   <li>height (i64), block time present (u8) with epoch seconds (i64) and nanos (u32);
     *   <li>operators: count (u32), then per operator in id order: id (20 bytes), last nonce (i64);
     *   <li>contracts: count (u32), then in inclusion order: contract id (text), valid from, valid
     *       until, p2p price, grid import price, grid export price, cap, settlement delay (i64 each);
     *   <li>devices: count (u32), then per device in id order (unsigned byte order): id (20 bytes) and
     *       the SHA-256 of the device's own encoding (32 bytes, {@link DeviceState#stateHash()}, cached
     *       per device so a block re-hashes only the devices it changed);
     *   <li>open intervals: count (u32), then by end, then start: start, length (i64), account count
     *       (u32), then per account in account order: account (text), supply Wh, demand Wh (i64);
     *   <li>balances: count (u32), then per account in account order: account (text), balance (i64);
     *   <li>grid import Wh, grid export Wh, paid to grid, paid by grid, P2P Wh, P2P money, settled
     *       interval count (i64 each);
     *   <li>the charging state ({@link ChargingBook#hashInto}, added in v2): pile and car-owner
     *       nonces, offers, bookings with their sessions and evidence, session/settled/dispute counts.
     * </ol>
     *
     * Refusal counters are statistics, not state: a refused transaction changes no hash.
     */
    private byte[] stateHash() {
        HashWriter w = new HashWriter().text(STATE_ENCODING).text(chainId).i64(height);
        if (time == null) {
            w.u8(0);
        } else {
            w.u8(1).i64(time.getEpochSecond()).u32(time.getNano());
        }
        w.u32(operatorNonces.size());
        operatorNonces.forEach((idHex, n) -> w.raw(HEX.parseHex(idHex)).i64(n));
        w.u32(contracts.size());
        for (Tariff t : contracts) {
            w.text(t.contractId()).i64(t.validFrom()).i64(t.validUntil()).i64(t.p2pPrice()).i64(t.gridImportPrice())
                    .i64(t.gridExportPrice()).i64(t.maxP2pWhPerInterval()).i64(t.settlementDelaySeconds());
        }
        w.u32(ordered.size());
        for (DeviceState d : ordered) {
            w.raw(d.idBytes).raw(d.stateHash());
        }
        w.u32(openIntervals.size());
        openIntervals.forEach((key, accounts) -> {
            w.i64(key.start).i64(key.seconds).u32(accounts.size());
            accounts.forEach((account, p) -> w.text(account).i64(p[0]).i64(p[1]));
        });
        w.u32(balances.size());
        balances.forEach((account, balance) -> w.text(account).i64(balance));
        w.i64(gridImportWh).i64(gridExportWh).i64(paidToGrid).i64(paidByGrid).i64(p2pWh).i64(p2pMoney).i64(settledIntervals);
        charging.hashInto(w);
        return w.finish();
    }
}
