package io.wattproof.crypto;

/**
 * Outcome of checking a signature from outside. A verifier that only said {@code false} would
 * leave the caller unable to tell a forged reading from a badly encoded one, so the reason travels
 * with the verdict.
 */
public sealed interface SignatureCheck {

    /** The signature is well formed, canonical and made by the key over the message. */
    record Valid() implements SignatureCheck {}

    /**
     * The input can never be a valid signature (or key) of this scheme: wrong length, a scalar out
     * of range, high-S ECDSA, an unparseable or unsupported public key. {@code reason} names the
     * field with expected and actual values.
     */
    record Malformed(String reason) implements SignatureCheck {}

    /** The signature is well formed but was not made by this key over this message. */
    record Mismatch() implements SignatureCheck {}

    default boolean isValid() {
        return this instanceof Valid;
    }
}
