package io.wattproof.agent.ocmf;

/** The outcome of checking an OCMF line against a public key; every refusal says what failed. */
public sealed interface OcmfVerdict {

    /** The signature over {@code payload} (the section exactly as written) is the key's. */
    record Valid(String payload) implements OcmfVerdict {}

    /** The line is not an OCMF record we can read: sections, JSON, a missing or mistyped field. */
    record Malformed(String reason) implements OcmfVerdict {}

    /** SA, SE or SM names a method or encoding other than ECDSA-secp256r1-SHA256 as DER in hex. */
    record UnsupportedSignature(String reason) implements OcmfVerdict {}

    /** The public key is unreadable or not a P-256 key. */
    record KeyRefused(String reason) implements OcmfVerdict {}

    /** Well-formed, but not signed by this key over this payload (a changed reading, another key). */
    record SignatureMismatch(String reason) implements OcmfVerdict {}

    default boolean isValid() {
        return this instanceof Valid;
    }
}
