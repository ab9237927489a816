package io.wattproof.simulator.verify;

import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.KeyAlgorithm;
import com.google.protobuf.Message;
import io.wattproof.protocol.SignBytes;
import io.wattproof.protocol.v1.BodyType;
import io.wattproof.protocol.v1.ChargingSession;
import io.wattproof.protocol.v1.Reading;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of checking one received record. Match it with {@code switch}; only {@link Verified}
 * means the record is authentic and chained to every earlier record of its device.
 */
public sealed interface Verdict {

    /**
     * The record is signed by its registered device key and its {@code previous_hash} is the record
     * hash of the device's record {@code sequence - 1}; every sequence below it is verified too.
     *
     * <p>A device's chain holds two kinds of record (docs/charging.md, "Who signs what"): its
     * {@code Reading}s and, for a charging pile, its {@code ChargingSession}s.
     *
     * @param body the parsed body: a {@link Reading} or a {@link ChargingSession}
     * @param signBytes exactly the bytes the device signed (domain prefix, chain id, body)
     * @param signature the raw signature as carried in {@code SignedTx.signature}
     */
    record Verified(DeviceId deviceId, long sequence, KeyAlgorithm algorithm, Message body,
                    byte[] signBytes, byte[] signature) implements Verdict {
        public Verified {
            Objects.requireNonNull(deviceId, "device id");
            Objects.requireNonNull(algorithm, "algorithm");
            if (!(body instanceof Reading) && !(body instanceof ChargingSession)) {
                throw new IllegalArgumentException("body: expected a Reading or a ChargingSession, got "
                        + (body == null ? "null" : body.getClass().getSimpleName()));
            }
            signBytes = signBytes.clone();
            signature = signature.clone();
        }

        /** READING or CHARGING_SESSION: the {@code SignedTx.body_type} the record was signed under. */
        public BodyType bodyType() {
            return body instanceof Reading ? BodyType.READING : BodyType.CHARGING_SESSION;
        }

        /** The body when the record is a reading; empty for a charging pile's session record. */
        public Optional<Reading> reading() {
            return body instanceof Reading r ? Optional.of(r) : Optional.empty();
        }

        @Override
        public byte[] signBytes() {
            return signBytes.clone();
        }

        @Override
        public byte[] signature() {
            return signature.clone();
        }

        /** SHA-256 over the sign-bytes: what the device's next record carries as previous_hash. */
        public byte[] recordHash() {
            return SignBytes.recordHash(signBytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Verified v && deviceId.equals(v.deviceId) && sequence == v.sequence
                    && algorithm == v.algorithm && body.equals(v.body)
                    && Arrays.equals(signBytes, v.signBytes) && Arrays.equals(signature, v.signature);
        }

        @Override
        public int hashCode() {
            return Objects.hash(deviceId, sequence, Arrays.hashCode(signBytes));
        }

        @Override
        public String toString() {
            return "Verified[deviceId=" + deviceId + ", sequence=" + sequence + ", bodyType=" + bodyType()
                    + ", algorithm=" + algorithm
                    + ", recordHash=" + HexFormat.of().formatHex(recordHash()) + "]";
        }
    }

    /**
     * The record's signature is valid but a predecessor is missing (it arrived out of order, e.g.
     * after a reconnect). It is kept and chained as soon as {@code waitingFor} and the sequences
     * between arrive; its {@link Verified} verdict then comes from {@link
     * ReadingVerifier#drainReleased()}.
     *
     * @param waitingFor the lowest sequence of this device not yet verified
     */
    record Held(DeviceId deviceId, long sequence, long waitingFor) implements Verdict {
        public Held {
            Objects.requireNonNull(deviceId, "device id");
        }
    }

    /**
     * The same body (same sequence, identical bytes) as a record already verified or held, validly
     * signed. QoS 1 redelivery and re-publication after an agent restart produce these; they are
     * normal and change nothing.
     */
    record Duplicate(DeviceId deviceId, long sequence) implements Verdict {
        public Duplicate {
            Objects.requireNonNull(deviceId, "device id");
        }
    }

    /**
     * A well-formed transaction of another body type than a chain record (READING,
     * CHARGING_SESSION): a pile's offer or session start, a booking, an operator transaction. The
     * ledger checks those (docs/charging.md, docs/ledger.md); this verifier neither checks nor
     * counts them, and nothing changed.
     */
    record NotARecord(BodyType bodyType) implements Verdict {
        public NotARecord {
            Objects.requireNonNull(bodyType, "body type");
        }
    }

    /**
     * The record was refused and changed no chain state.
     *
     * @param deviceId the body's device id, or null when the payload did not get that far
     * @param sequence the body's sequence, or 0 when the payload did not get that far
     * @param detail lowercase, names the field, expected vs actual (hashes in hex)
     */
    record Rejected(DeviceId deviceId, long sequence, Reason reason, String detail) implements Verdict {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }

    enum Reason {
        /**
         * Not a SignedTx, body_type unspecified or not one of wattproof/v1, body not of its
         * body_type, or a field outside its range.
         */
        MALFORMED,
        /** No key is registered for the body's device id. */
        UNKNOWN_DEVICE,
        /** SignedTx.key_algorithm is not the algorithm the device was registered with. */
        ALGORITHM_MISMATCH,
        /** SignedTx.public_key is present and is not the registered key. */
        PUBLIC_KEY_MISMATCH,
        /** Wrong length, out-of-range or high-S values, or the signature does not verify. */
        BAD_SIGNATURE,
        /** A validly signed, different body for a sequence the device already used. */
        EQUIVOCATION,
        /** previous_hash is not the record hash of the device's previous record. */
        BROKEN_CHAIN,
        /** The interval starts before the previous record's interval ended: the same time recorded twice. */
        OVERLAPPING_INTERVAL,
        /** Too far ahead of the device's chain to hold in memory until its predecessors arrive. */
        TOO_FAR_AHEAD
    }
}
