package io.wattproof.simulator.ledger.app;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.PublicKeys;
import io.wattproof.crypto.VerifyingKey;
import io.wattproof.protocol.SignBytes;
import io.wattproof.protocol.v1.BodyType;
import io.wattproof.protocol.v1.DeviceRegistration;
import io.wattproof.protocol.v1.Reading;
import io.wattproof.protocol.v1.SignedTx;
import io.wattproof.protocol.v1.TariffContract;
import io.wattproof.protocol.v1.TxResultCode;
import io.wattproof.simulator.ledger.Application;
import io.wattproof.simulator.ledger.BlockResult;
import io.wattproof.simulator.ledger.TxResult;
import io.wattproof.simulator.ledger.app.AppSnapshot.DeviceView;
import io.wattproof.simulator.ledger.app.AppSnapshot.GapRange;
import io.wattproof.simulator.ledger.app.DeviceState.Gap;
import io.wattproof.simulator.verify.CryptoSeSignatureCheck;
import io.wattproof.simulator.verify.SignatureCheck;
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
 * <p>Pure: block height and time come in as arguments; no I/O, clock, threads or logging. Not
 * thread-safe (the chain calls it from one thread), except {@link #snapshot()}, which returns the
 * immutable state published by the last commit and may be called from any thread.
 */
public final class EnergyApplication implements Application {
    /** Version tag at the start of the app-hash encoding; a change of the encoding gets a new one. */
    static final String STATE_ENCODING = "wattproof/energy-app/v1";

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
    private static final HexFormat HEX = HexFormat.of();

    private final String chainId;
    private final SignatureCheck keyCheck = new CryptoSeSignatureCheck();
    /** Genesis operators by the hex of their DER key. */
    private final Map<String, Operator> operators = new HashMap<>();
    /** Last nonce per operator, by operator id hex (sorted: the hex order is the byte order). */
    private final TreeMap<String, Long> operatorNonces = new TreeMap<>();
    /** CheckTx only: the last nonce admitted per operator since the last commit (not state, not hashed). */
    private final Map<String, Long> checkNonces = new java.util.HashMap<>();
    /** True while {@link #checkTx} evaluates. */
    private boolean checking;

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

    private sealed interface Effect permits Refusal, AcceptReading, Register, Rotate, Revoke, NewTariff {}

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
            case DEVICE_REGISTRATION, TARIFF_CONTRACT -> evaluateOperator(tx, now);
            case CHARGING_SESSION, PILE_OFFER, BOOKING, SESSION_START, START_REQUEST, STOP_REQUEST, ACCOUNT_CREDIT,
                    BODY_TYPE_UNSPECIFIED, UNRECOGNIZED -> new Refusal(MALFORMED,
                    "body_type: expected READING (1), DEVICE_REGISTRATION (3) or TARIFF_CONTRACT (4), got "
                            + tx.getBodyType() + " (" + tx.getBodyTypeValue() + ")");
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
        byte[] signBytes = SignBytes.of(BodyType.READING, chainId, tx.getBody().toByteArray());
        String signatureProblem = signatureProblem(device.key, signBytes, tx.getSignature(), "device " + id);
        if (signatureProblem != null) {
            return new Refusal(BAD_SIGNATURE, signatureProblem);
        }
        return place(device, reading, SignBytes.recordHash(signBytes));
    }

    /** Where an authentic reading goes in its device's chain (docs/ledger.md, "Readings"). */
    private static Effect place(DeviceState device, Reading reading, byte[] recordHash) {
        long sequence = reading.getSequence();
        byte[] previous = reading.getPreviousHash().toByteArray();
        long start = reading.getIntervalStart();
        long end = start + reading.getIntervalSeconds();
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
            if (start < device.headIntervalEnd) {
                return new Refusal(OVERLAPPING_INTERVAL, "interval_start: expected at or after " + device.headIntervalEnd
                        + " (end of sequence " + device.head + "), got " + start);
            }
            return new AcceptReading(device, reading, recordHash, null);
        }
        Gap gap = device.gapHolding(sequence);
        if (gap == null) {
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
        if (start < gap.lowerIntervalEnd()) {
            return new Refusal(OVERLAPPING_INTERVAL, "interval_start: expected at or after " + gap.lowerIntervalEnd()
                    + " (end of sequence " + (sequence - 1) + "), got " + start);
        }
        if (end > gap.upperIntervalStart()) {
            return new Refusal(OVERLAPPING_INTERVAL, "interval end: expected at or before " + gap.upperIntervalStart()
                    + " (start of sequence " + (gap.to() + 1) + "), got " + end);
        }
        return new AcceptReading(device, reading, recordHash, gap);
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
        long nonce;
        try {
            if (type == BodyType.DEVICE_REGISTRATION) {
                registration = DeviceRegistration.parseFrom(tx.getBody());
                nonce = registration.getNonce();
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

    // ---- application of effects -----------------------------------------------------------------

    private void apply(Effect effect) {
        switch (effect) {
            case Refusal r -> throw new IllegalArgumentException("a refusal has no effect to apply");
            case AcceptReading a -> applyReading(a);
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
                openIntervals.size(), Optional.ofNullable(time == null ? null : contractFor(lastBlockSecond)), operatorNonces);
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
     *       interval count (i64 each).
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
        return w.i64(gridImportWh).i64(gridExportWh).i64(paidToGrid).i64(paidByGrid).i64(p2pWh).i64(p2pMoney)
                .i64(settledIntervals).finish();
    }
}
