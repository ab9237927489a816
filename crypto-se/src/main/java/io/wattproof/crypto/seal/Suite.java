package io.wattproof.crypto.seal;

import java.util.Optional;
import org.bouncycastle.crypto.hpke.HPKE;

/**
 * An HPKE cipher suite (RFC 9180 §5.1: KEM, KDF, AEAD) in base mode. The KDF is always
 * HKDF-SHA256 (kdf_id 0x0001): it is the one both KEMs use internally, so a second hash adds code
 * without adding strength.
 */
public record Suite(Kem kem, Aead aead) {
    /** RFC 9180 §7.2, Table 3: HKDF-SHA256. */
    public static final int KDF_HKDF_SHA256 = 0x0001;

    public static final Suite X25519_AES_128_GCM = new Suite(Kem.X25519_HKDF_SHA256, Aead.AES_128_GCM);
    public static final Suite X25519_CHACHA20_POLY1305 = new Suite(Kem.X25519_HKDF_SHA256, Aead.CHACHA20_POLY1305);
    public static final Suite P256_AES_128_GCM = new Suite(Kem.P256_HKDF_SHA256, Aead.AES_128_GCM);
    public static final Suite P256_CHACHA20_POLY1305 = new Suite(Kem.P256_HKDF_SHA256, Aead.CHACHA20_POLY1305);

    public Suite {
        if (kem == null || aead == null) {
            throw new IllegalArgumentException("suite: expected a kem and an aead, got kem=" + kem + " aead=" + aead);
        }
    }

    /** The RFC 9180 kdf_id; constant, see the class comment. */
    public int kdfId() {
        return KDF_HKDF_SHA256;
    }

    /** The suite with these RFC 9180 ids, or empty if we do not support that combination. */
    public static Optional<Suite> fromIds(int kemId, int kdfId, int aeadId) {
        if (kdfId != KDF_HKDF_SHA256) {
            return Optional.empty();
        }
        for (Kem kem : Kem.values()) {
            for (Aead aead : Aead.values()) {
                if (kem.id() == kemId && aead.id() == aeadId) {
                    return Optional.of(new Suite(kem, aead));
                }
            }
        }
        return Optional.empty();
    }

    /** Length of a wrapped content key: the content key plus the AEAD tag. */
    public int wrappedKeyLength() {
        return aead.keyLength() + Aead.TAG_LENGTH;
    }

    HPKE hpke() {
        return new HPKE(HPKE.mode_base, kem.bouncyCastleId(), HPKE.kdf_HKDF_SHA256, aead.bouncyCastleId());
    }

    @Override
    public String toString() {
        return String.format("DHKEM(%s, HKDF-SHA256)/HKDF-SHA256/%s (kem 0x%04x, kdf 0x%04x, aead 0x%04x)",
                kem == Kem.X25519_HKDF_SHA256 ? "X25519" : "P-256",
                aead == Aead.AES_128_GCM ? "AES-128-GCM" : "ChaCha20-Poly1305",
                kem.id(), KDF_HKDF_SHA256, aead.id());
    }
}
