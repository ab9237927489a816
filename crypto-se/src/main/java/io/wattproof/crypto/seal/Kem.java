package io.wattproof.crypto.seal;

import org.bouncycastle.crypto.hpke.HPKE;

/**
 * The key encapsulation mechanisms we seal with, with their RFC 9180 §7.1 (Table 2) ids and
 * lengths: Npk is the serialized public key, Nenc the encapsulated key (the same for DHKEM).
 */
public enum Kem {
    /** DHKEM(X25519, HKDF-SHA256): 32-byte public keys (RFC 7748 §5). */
    X25519_HKDF_SHA256(0x0020, 32, HPKE.kem_X25519_SHA256),
    /** DHKEM(P-256, HKDF-SHA256): 65-byte uncompressed points (SEC 1 §2.3.3, RFC 9180 §7.1.1). */
    P256_HKDF_SHA256(0x0010, 65, HPKE.kem_P256_SHA256);

    private final int id;
    private final int publicKeyLength;
    private final short bouncyCastleId;

    Kem(int id, int publicKeyLength, short bouncyCastleId) {
        this.id = id;
        this.publicKeyLength = publicKeyLength;
        this.bouncyCastleId = bouncyCastleId;
    }

    /** The RFC 9180 kem_id (two bytes on the wire). */
    public int id() {
        return id;
    }

    /** Npk, bytes. */
    public int publicKeyLength() {
        return publicKeyLength;
    }

    /** Nenc, bytes: for DHKEM the ephemeral public key, so equal to Npk. */
    public int encLength() {
        return publicKeyLength;
    }

    short bouncyCastleId() {
        return bouncyCastleId;
    }
}
