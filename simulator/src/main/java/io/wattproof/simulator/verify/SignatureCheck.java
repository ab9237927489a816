package io.wattproof.simulator.verify;

import io.wattproof.crypto.KeyAlgorithm;
import java.util.Objects;

/**
 * Strict signature verification as the verifier needs it: an interface, so the verifier can be
 * tested with a check of its own and the ledger can bring another implementation, without
 * touching {@link ReadingVerifier}.
 *
 * <p>Implementations must reject everything a device following the protocol never produces:
 * signatures of the wrong length, ECDSA values outside 1..n-1 or with s &gt; n/2 (high-S), and
 * public keys that are not DER SubjectPublicKeyInfo of the stated algorithm (P-256 only for ECDSA).
 */
public interface SignatureCheck {

    /** Whether {@code publicKeyInfo} is a well-formed public key of {@code algorithm}. */
    Result checkPublicKey(KeyAlgorithm algorithm, byte[] publicKeyInfo);

    /**
     * Verifies a raw signature (r||s for ECDSA P-256 over SHA-256 of the message, R||S for Ed25519
     * over the message itself) by the key in {@code publicKeyInfo}.
     */
    Result verify(KeyAlgorithm algorithm, byte[] publicKeyInfo, byte[] message, byte[] rawSignature);

    sealed interface Result {}

    record Valid() implements Result {}

    /** @param detail lowercase, names the field, expected vs actual */
    record Invalid(String detail) implements Result {
        public Invalid {
            Objects.requireNonNull(detail, "detail");
        }
    }

    Result VALID = new Valid();
}
