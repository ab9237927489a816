package io.wattproof.simulator.verify;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.protocol.SignBytes;
import io.wattproof.protocol.v1.BodyType;
import io.wattproof.protocol.v1.ChargingSession;
import io.wattproof.protocol.v1.Reading;
import io.wattproof.protocol.v1.SignedTx;
import io.wattproof.simulator.verify.Verdict.Duplicate;
import io.wattproof.simulator.verify.Verdict.Held;
import io.wattproof.simulator.verify.Verdict.NotARecord;
import io.wattproof.simulator.verify.Verdict.Reason;
import io.wattproof.simulator.verify.Verdict.Rejected;
import io.wattproof.simulator.verify.Verdict.Verified;
import io.wattproof.simulator.verify.VerifierSnapshot.Counters;
import io.wattproof.simulator.verify.VerifierSnapshot.DeviceSnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Checks every received {@code SignedTx} carrying a record of a device's chain — a {@code Reading},
 * or a charging pile's {@code ChargingSession} (docs/charging.md, "Who signs what") — against the
 * keys registered at provisioning and against each device's hash chain (DESIGN.md §4, §7). A
 * session record is checked as a reading is, under its own sign-bytes domain, but has no interval:
 * it spans readings signed before it, so the interval check skips it and the chain's last interval
 * end stays the last reading's. Other transactions on the same topic (a pile's offer or session
 * start) are {@link NotARecord}: the ledger checks them, not this verifier.
 *
 * <p>Order of checks, cheapest and least trusting first: envelope and body shape (MALFORMED),
 * registered device (UNKNOWN_DEVICE), algorithm and optional public key (ALGORITHM_MISMATCH,
 * PUBLIC_KEY_MISMATCH), signature (BAD_SIGNATURE), then chain position. The signature is checked
 * before anything is compared with earlier records, so only bytes the device really signed can
 * ever be reported as DUPLICATE or EQUIVOCATION, or be held.
 *
 * <p>Per device it keeps the record hash of every verified sequence (they are always exactly
 * 1..chain head, so a list indexed by sequence) and the records held for a missing predecessor.
 * Only a {@link Verified} or {@link Held} verdict changes that state.
 *
 * <p>Pure logic: no I/O, clock, threads or logging. Not thread-safe; the caller serialises calls.
 */
public final class ReadingVerifier {
    /**
     * How far beyond a device's chain head a record may be and still be held: 4096 records are 42
     * days of 15-minute intervals, far more than an agent's reconnect reorders, and bound the memory
     * one device can make the verifier hold.
     */
    public static final int DEFAULT_MAX_AHEAD = 4096;

    private static final int HASH_LENGTH = 32;
    private static final HexFormat HEX = HexFormat.of();

    private final String chainId;
    private final SignatureCheck signatureCheck;
    private final int maxAhead;
    private final Map<DeviceId, DeviceChain> devices = new LinkedHashMap<>();
    /** Rejections that cannot be charged to a registered device. */
    private final EnumMap<Reason, Long> unattributedRejections = new EnumMap<>(Reason.class);
    private final List<Verdict> released = new ArrayList<>();

    public ReadingVerifier(String chainId) {
        this(chainId, new CryptoSeSignatureCheck(), DEFAULT_MAX_AHEAD);
    }

    /** @param maxAhead how far beyond a device's chain head a record may be held, at least 1 */
    public ReadingVerifier(String chainId, SignatureCheck signatureCheck, int maxAhead) {
        this.chainId = SignBytes.checkChainId(chainId);
        this.signatureCheck = Objects.requireNonNull(signatureCheck, "signature check");
        if (maxAhead < 1) {
            throw new IllegalArgumentException("max ahead: expected at least 1, got " + maxAhead);
        }
        this.maxAhead = maxAhead;
    }

    /**
     * Registers the key a simulated device was provisioned with. Registering the same key again is
     * a no-op.
     *
     * @throws IllegalArgumentException if the id is not the first 20 bytes of SHA-256 of the key
     *     info, the key info is not a key of {@code algorithm}, or the id is registered otherwise
     */
    public RegisteredKey register(DeviceId id, KeyAlgorithm algorithm, byte[] subjectPublicKeyInfoDer) {
        DeviceId derived = DeviceId.fromPublicKeyInfo(subjectPublicKeyInfoDer);
        if (!derived.equals(id)) {
            throw new IllegalArgumentException("device id: expected " + derived
                    + " (first 20 bytes of sha-256 of the public key info), got " + id);
        }
        if (signatureCheck.checkPublicKey(algorithm, subjectPublicKeyInfoDer) instanceof SignatureCheck.Invalid bad) {
            throw new IllegalArgumentException(bad.detail());
        }
        RegisteredKey key = new RegisteredKey(id, algorithm, subjectPublicKeyInfoDer);
        DeviceChain existing = devices.get(id);
        if (existing != null) {
            if (!existing.key.equals(key)) {
                throw new IllegalArgumentException("device " + id + ": expected the registered algorithm "
                        + existing.key.algorithm() + ", got " + algorithm);
            }
            return existing.key;
        }
        devices.put(id, new DeviceChain(key));
        return key;
    }

    /**
     * Continues a registered device's chain from a point settled earlier (e.g. by a previous run of
     * the receiving side): the next record must be {@code sequence + 1}, link to
     * {@code recordHash} and start at or after {@code intervalEnd}. Only before any record of the
     * device was accepted.
     */
    public void resume(DeviceId id, long sequence, byte[] recordHash, long intervalEnd) {
        DeviceChain chain = devices.get(id);
        if (chain == null) {
            throw new IllegalArgumentException("device " + id + ": expected a registered device, got an unknown one");
        }
        if (chain.head() != 0 || !chain.held.isEmpty()) {
            throw new IllegalStateException("device " + id + ": expected no record accepted before resuming, got head " + chain.head());
        }
        if (sequence < 1 || recordHash.length != HASH_LENGTH) {
            throw new IllegalArgumentException("resume point: expected sequence >= 1 and a " + HASH_LENGTH
                    + "-byte hash, got " + sequence + " and " + recordHash.length + " bytes");
        }
        chain.base = sequence;
        chain.baseHash = recordHash.clone();
        chain.lastIntervalEnd = intervalEnd;
    }

    /** Where a device's chain stands: head sequence, its record hash and interval end; empty before any. */
    public Optional<ChainPoint> chainPoint(DeviceId id) {
        DeviceChain chain = devices.get(id);
        if (chain == null || chain.head() == 0) {
            return Optional.empty();
        }
        return Optional.of(new ChainPoint(chain.head(), chain.hashOf(chain.head()).clone(), chain.lastIntervalEnd));
    }

    /** A settled point of a device's chain, as {@link #resume} takes it. */
    public record ChainPoint(long sequence, byte[] recordHash, long intervalEnd) {}

    public Optional<RegisteredKey> registeredKey(DeviceId id) {
        DeviceChain chain = devices.get(id);
        return chain == null ? Optional.empty() : Optional.of(chain.key);
    }

    /**
     * Checks one MQTT payload. Never throws for any payload content.
     *
     * <p>When this returns {@link Verified}, records held for this device may have been chained
     * behind it: their verdicts ({@link Verified}, or {@link Rejected} with BROKEN_CHAIN) wait in
     * {@link #drainReleased()}, in sequence order.
     */
    public Verdict accept(byte[] payload) {
        Verdict verdict = evaluate(payload);
        count(verdict);
        return verdict;
    }

    /**
     * Returns and forgets the verdicts of held records that were resolved since the last call. Only
     * an {@link #accept} that returned {@link Verified} adds to them.
     */
    public List<Verdict> drainReleased() {
        List<Verdict> out = List.copyOf(released);
        released.clear();
        return out;
    }

    public VerifierSnapshot snapshot() {
        Map<DeviceId, DeviceSnapshot> perDevice = new LinkedHashMap<>();
        Counters total = new Counters(0, 0, 0, unattributedRejections);
        for (DeviceChain chain : devices.values()) {
            Counters c = new Counters(chain.verified, chain.duplicates, chain.held.size(), chain.rejected);
            perDevice.put(chain.key.deviceId(), new DeviceSnapshot(chain.key.deviceId(), chain.head(), c));
            total = total.plus(c);
        }
        return new VerifierSnapshot(total, perDevice);
    }

    private Verdict evaluate(byte[] payload) {
        if (payload == null) {
            return new Rejected(null, 0, Reason.MALFORMED, "payload: expected bytes, got null");
        }
        SignedTx tx;
        try {
            tx = SignedTx.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            return new Rejected(null, 0, Reason.MALFORMED,
                    "payload: expected a serialized SignedTx, got " + payload.length + " bytes that do not parse");
        }
        BodyType bodyType = tx.getBodyType();
        Message body;
        ByteString deviceIdField;
        long sequence;
        ByteString previousHash;
        try {
            switch (bodyType) {
                case READING -> {
                    Reading reading = Reading.parseFrom(tx.getBody());
                    body = reading;
                    deviceIdField = reading.getDeviceId();
                    sequence = reading.getSequence();
                    previousHash = reading.getPreviousHash();
                }
                case CHARGING_SESSION -> {
                    ChargingSession session = ChargingSession.parseFrom(tx.getBody());
                    body = session;
                    deviceIdField = session.getDeviceId();
                    sequence = session.getSequence();
                    previousHash = session.getPreviousHash();
                }
                // 0 is what an empty or cut-off payload parses to, and a number wattproof.proto
                // does not define is no v1 transaction: both malformed, not someone else's business.
                case BODY_TYPE_UNSPECIFIED, UNRECOGNIZED -> {
                    return new Rejected(null, 0, Reason.MALFORMED, "body_type: expected a body type of wattproof/v1, got "
                            + bodyType + " (" + tx.getBodyTypeValue() + ")");
                }
                default -> {
                    return new NotARecord(bodyType);
                }
            }
        } catch (InvalidProtocolBufferException e) {
            return new Rejected(null, 0, Reason.MALFORMED, "body: expected a serialized " + SignBytes.messageType(bodyType)
                    + ", got " + tx.getBody().size() + " bytes that do not parse");
        }
        if (deviceIdField.size() != DeviceId.LENGTH) {
            return new Rejected(null, 0, Reason.MALFORMED, "device_id: expected " + DeviceId.LENGTH
                    + " bytes, got " + deviceIdField.size());
        }
        DeviceId id = DeviceId.of(deviceIdField.toByteArray());
        if (sequence == 0) {
            return new Rejected(id, 0, Reason.MALFORMED, "sequence: expected at least 1, got 0");
        }
        if (sequence < 0) {
            // uint64 on the wire; no device gets near 2^63 records, and refusing them keeps
            // sequence + 1 from overflowing below.
            return new Rejected(id, 0, Reason.MALFORMED,
                    "sequence: expected at most 2^63-1, got " + Long.toUnsignedString(sequence));
        }
        int previousLength = previousHash.size();
        if (previousLength != 0 && previousLength != HASH_LENGTH) {
            return new Rejected(id, sequence, Reason.MALFORMED,
                    "previous_hash: expected 0 or " + HASH_LENGTH + " bytes, got " + previousLength);
        }

        DeviceChain chain = devices.get(id);
        if (chain == null) {
            return new Rejected(id, sequence, Reason.UNKNOWN_DEVICE,
                    "device_id: expected a registered device, got " + id);
        }
        RegisteredKey key = chain.key;
        KeyAlgorithm algorithm = key.algorithm();
        if (tx.getKeyAlgorithmValue() != algorithm.wireNumber()) {
            return new Rejected(id, sequence, Reason.ALGORITHM_MISMATCH, "key_algorithm: expected " + algorithm
                    + " (" + algorithm.wireNumber() + "), got " + tx.getKeyAlgorithm() + " (" + tx.getKeyAlgorithmValue() + ")");
        }
        if (!tx.getPublicKey().isEmpty() && !key.hasPublicKeyInfo(tx.getPublicKey().toByteArray())) {
            return new Rejected(id, sequence, Reason.PUBLIC_KEY_MISMATCH, "public_key: expected the registered key of device "
                    + id + ", got a key of device " + DeviceId.fromPublicKeyInfo(tx.getPublicKey().toByteArray()));
        }
        byte[] signBytes = SignBytes.of(bodyType, chainId, tx.getBody().toByteArray());
        byte[] signature = tx.getSignature().toByteArray();
        if (signatureCheck.verify(algorithm, key.publicKeyInfo(), signBytes, signature)
                instanceof SignatureCheck.Invalid bad) {
            return new Rejected(id, sequence, Reason.BAD_SIGNATURE, bad.detail());
        }
        return place(chain, new Candidate(id, sequence, algorithm, body, previousHash.toByteArray(), signBytes, signature,
                SignBytes.recordHash(signBytes)));
    }

    /** Decides where an authentic record goes in its device's chain. */
    private Verdict place(DeviceChain chain, Candidate record) {
        long sequence = record.sequence;
        long head = chain.head();
        if (sequence <= head) {
            return duplicateOrEquivocation(record, chain.hashOf(sequence), "verified");
        }
        Candidate waiting = chain.held.get(sequence);
        if (waiting != null) {
            return duplicateOrEquivocation(record, waiting.recordHash, "held");
        }
        if (sequence - head > maxAhead) {
            return new Rejected(record.deviceId, sequence, Reason.TOO_FAR_AHEAD, "sequence: expected at most "
                    + (head + maxAhead) + " (chain head " + head + " + " + maxAhead + "), got " + sequence);
        }
        if (sequence > head + 1) {
            chain.held.put(sequence, record);
            return new Held(record.deviceId, sequence, head + 1);
        }
        Optional<Problem> broken = linkProblem(chain, record);
        if (broken.isPresent()) {
            return new Rejected(record.deviceId, sequence, broken.get().reason(), broken.get().detail());
        }
        chain.append(record.recordHash, intervalEnd(chain, record));
        releaseSuccessors(chain);
        return record.verified();
    }

    private static Verdict duplicateOrEquivocation(Candidate record, byte[] knownHash, String state) {
        if (knownHash == null || Arrays.equals(knownHash, record.recordHash)) {
            // Null: settled before this verifier resumed the chain; only its successor's link
            // was kept, so a re-sent old record can only be recognised as old.
            return new Duplicate(record.deviceId, record.sequence);
        }
        // Both bodies carry valid signatures: the device signed two different records for one
        // sequence. That is evidence against the device, kept as a rejection of the later one.
        return new Rejected(record.deviceId, record.sequence, Reason.EQUIVOCATION, "record hash: expected "
                + HEX.formatHex(knownHash) + " (sequence " + record.sequence + ", already " + state + "), got "
                + HEX.formatHex(record.recordHash));
    }

    private record Problem(Reason reason, String detail) {}

    /**
     * The chain's last interval end once {@code record} is chained: a session record has no interval
     * of its own (docs/charging.md, "ChargingSession"), so the next reading is checked against the
     * reading before the session.
     */
    private static long intervalEnd(DeviceChain chain, Candidate record) {
        return record.body instanceof Reading reading
                ? reading.getIntervalStart() + reading.getIntervalSeconds()
                : chain.lastIntervalEnd;
    }

    /**
     * The record must sit at chain head + 1: returns what is wrong with its previous_hash, or with
     * its interval when it covers time an earlier record already covered (a reading signed twice).
     * Session records have no interval and are checked for their link only.
     */
    private static Optional<Problem> linkProblem(DeviceChain chain, Candidate record) {
        byte[] previous = record.previousHash;
        if (record.sequence == 1) {
            return previous.length == 0
                    ? Optional.empty()
                    : Optional.of(new Problem(Reason.BROKEN_CHAIN, "previous_hash: expected empty for sequence 1, got "
                            + HEX.formatHex(previous)));
        }
        byte[] expected = chain.hashOf(record.sequence - 1);
        if (!Arrays.equals(expected, previous)) {
            return Optional.of(new Problem(Reason.BROKEN_CHAIN, "previous_hash: expected " + HEX.formatHex(expected)
                    + " (record hash of sequence " + (record.sequence - 1) + "), got "
                    + (previous.length == 0 ? "empty" : HEX.formatHex(previous))));
        }
        if (record.body instanceof Reading reading && reading.getIntervalStart() < chain.lastIntervalEnd) {
            return Optional.of(new Problem(Reason.OVERLAPPING_INTERVAL, "interval_start: expected at or after "
                    + chain.lastIntervalEnd + " (end of the last reading before sequence " + record.sequence + "), got "
                    + reading.getIntervalStart()));
        }
        return Optional.empty();
    }

    /**
     * Chains held records that now follow the head. One whose link is broken is dropped (the device
     * may still deliver a correct record for that sequence); those after it stay held.
     */
    private void releaseSuccessors(DeviceChain chain) {
        Candidate next;
        while ((next = chain.held.remove(chain.head() + 1)) != null) {
            Optional<Problem> broken = linkProblem(chain, next);
            Verdict verdict;
            if (broken.isPresent()) {
                verdict = new Rejected(next.deviceId, next.sequence, broken.get().reason(), broken.get().detail());
            } else {
                chain.append(next.recordHash, intervalEnd(chain, next));
                verdict = next.verified();
            }
            count(verdict);
            released.add(verdict);
            if (broken.isPresent()) {
                return;
            }
        }
    }

    private void count(Verdict verdict) {
        switch (verdict) {
            case Verified v -> devices.get(v.deviceId()).verified++;
            case Duplicate d -> devices.get(d.deviceId()).duplicates++;
            case Held h -> { } // counted as the size of the held map: a gauge
            case NotARecord n -> { } // not a chain record: the ledger's to check, not counted here
            case Rejected r -> {
                DeviceChain chain = r.deviceId() == null ? null : devices.get(r.deviceId());
                (chain != null ? chain.rejected : unattributedRejections).merge(r.reason(), 1L, Long::sum);
            }
        }
    }

    /** A record whose signature verified, before it is chained. */
    private record Candidate(DeviceId deviceId, long sequence, KeyAlgorithm algorithm, Message body, byte[] previousHash,
                             byte[] signBytes, byte[] signature, byte[] recordHash) {
        Verified verified() {
            return new Verified(deviceId, sequence, algorithm, body, signBytes, signature);
        }
    }

    private static final class DeviceChain {
        final RegisteredKey key;
        /** hashes.get(i) is the record hash of sequence base + i + 1; base + its size is the chain head. */
        final List<byte[]> hashes = new ArrayList<>();
        /** Sequence the chain was resumed at (0: followed from the first record). */
        long base;
        /** Record hash of sequence {@code base}, known when resumed. */
        byte[] baseHash;
        /** End (epoch s) of the last reading's interval; a session record after it leaves it unchanged. */
        long lastIntervalEnd = Long.MIN_VALUE;
        final NavigableMap<Long, Candidate> held = new TreeMap<>();
        final EnumMap<Reason, Long> rejected = new EnumMap<>(Reason.class);
        long verified;
        long duplicates;

        DeviceChain(RegisteredKey key) {
            this.key = key;
        }

        long head() {
            return base + hashes.size();
        }

        /** Record hash of {@code sequence}; null for records before a resume point (not kept). */
        byte[] hashOf(long sequence) {
            if (sequence == base) {
                return baseHash;
            }
            return sequence < base ? null : hashes.get(Math.toIntExact(sequence - base - 1));
        }

        void append(byte[] recordHash, long intervalEnd) {
            hashes.add(recordHash);
            lastIntervalEnd = intervalEnd;
        }
    }
}
