package io.wattproof.crypto;

/**
 * Signature algorithms a device key can use. The wire protocol carries the same set as an enum
 * ({@code wattproof.v1.KeyAlgorithm}); the numbers here are those wire numbers.
 */
public enum KeyAlgorithm {
    /** ECDSA over NIST P-256 with SHA-256; signatures are low-S (s ≤ n/2). */
    ECDSA_P256_SHA256(1, 64),
    /** Ed25519 (RFC 8032, pure mode: the message is signed as given). */
    ED25519(2, 64),
    /**
     * SM2 digital signature with SM3 (GB/T 32918.2-2016 §6) over the curve sm2p256v1 (GB/T
     * 32918.5-2017), user id {@value Signatures#SM2_USER_ID}; signatures are raw r||s. SM2 has no
     * low-S rule: (r, n − s) is not a second valid signature (see {@link Signatures}).
     */
    SM2_SM3(3, 64);

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

    /** Length in bytes of a raw signature: r||s (32+32) for ECDSA and SM2, R||S for Ed25519. */
    public int rawSignatureLength() {
        return rawSignatureLength;
    }

    /** Parses the short names command lines use: {@code p256}, {@code ed25519}, {@code sm2} (any case). */
    public static KeyAlgorithm fromShortName(String name) {
        return switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "p256", "p-256" -> ECDSA_P256_SHA256;
            case "ed25519" -> ED25519;
            case "sm2" -> SM2_SM3;
            default -> throw new IllegalArgumentException("expected p256, ed25519 or sm2, got '" + name + "'");
        };
    }
}
