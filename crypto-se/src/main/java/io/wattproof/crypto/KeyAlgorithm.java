package io.wattproof.crypto;

/**
 * Signature algorithms a device key can use. The wire protocol carries the same set as an enum
 * ({@code wattproof.v1.KeyAlgorithm}); the numbers here are those wire numbers.
 */
public enum KeyAlgorithm {
    /** ECDSA over NIST P-256 with SHA-256; signatures are low-S (s ≤ n/2). */
    ECDSA_P256_SHA256(1, 64),
    /** Ed25519 (RFC 8032, pure mode: the message is signed as given). */
    ED25519(2, 64);

    private final int wireNumber;
    private final int rawSignatureLength;

    KeyAlgorithm(int wireNumber, int rawSignatureLength) {
        this.wireNumber = wireNumber;
        this.rawSignatureLength = rawSignatureLength;
    }

    /** The value of this algorithm in the wire protocol's {@code KeyAlgorithm} enum. */
    public int wireNumber() {
        return wireNumber;
    }

    /** Length in bytes of a raw signature: r||s (32+32) for ECDSA, R||S for Ed25519. */
    public int rawSignatureLength() {
        return rawSignatureLength;
    }

    /** Parses the short names command lines use: {@code p256} and {@code ed25519} (any case). */
    public static KeyAlgorithm fromShortName(String name) {
        return switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "p256", "p-256" -> ECDSA_P256_SHA256;
            case "ed25519" -> ED25519;
            default -> throw new IllegalArgumentException("expected p256 or ed25519, got '" + name + "'");
        };
    }
}
