package io.wattproof.crypto.seal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;

/**
 * A party's HPKE public key in its RFC 9180 §7.1.1 serialization (SerializePublicKey): 32 raw
 * bytes for X25519, a 65-byte uncompressed point for P-256. Its {@link #keyId()} names it in a
 * sealed record.
 */
public final class RecipientPublicKey {
    /**
     * Length of a key id, bytes. The id only tells a recipient which entry to try; it protects
     * nothing (an entry for another key simply fails to open), so it needs to be unique among the
     * keys that could share a record, not unforgeable. 16 bytes keep a random collision below
     * 2^-64 even among 2^32 keys, and save 16 bytes per recipient over the full SHA-256.
     */
    public static final int KEY_ID_LENGTH = 16;

    private final Kem kem;
    private final byte[] encoded;
    private final AsymmetricKeyParameter parameters;

    private RecipientPublicKey(Kem kem, byte[] encoded, AsymmetricKeyParameter parameters) {
        this.kem = kem;
        this.encoded = encoded;
        this.parameters = parameters;
    }

    /**
     * Parses a serialized public key (a registry entry, a party's configuration).
     *
     * @throws IllegalArgumentException if the length is wrong or, for P-256, the bytes are not an
     *     uncompressed point on the curve
     */
    public static RecipientPublicKey of(Kem kem, byte[] encoded) {
        if (encoded.length != kem.publicKeyLength()) {
            throw new IllegalArgumentException(kem + " public key: expected " + kem.publicKeyLength() + " bytes, got "
                    + encoded.length);
        }
        if (kem == Kem.P256_HKDF_SHA256 && encoded[0] != 0x04) {
            throw new IllegalArgumentException(kem + " public key: expected uncompressed point starting 0x04, got 0x"
                    + HexFormat.of().toHexDigits(encoded[0]));
        }
        byte[] copy = encoded.clone();
        try {
            return new RecipientPublicKey(kem, copy, hpke(kem).deserializePublicKey(copy));
        } catch (RuntimeException e) {
            // Bouncy Castle refuses points off the curve or at infinity.
            throw new IllegalArgumentException(kem + " public key: expected a valid point, got " + HexFormat.of().formatHex(copy)
                    + " (" + e.getMessage() + ")", e);
        }
    }

    static HPKE hpke(Kem kem) {
        // Key (de)serialization depends on the KEM only; the AEAD named here is never used.
        return new Suite(kem, Aead.AES_128_GCM).hpke();
    }

    public Kem kem() {
        return kem;
    }

    public byte[] encoded() {
        return encoded.clone();
    }

    AsymmetricKeyParameter parameters() {
        return parameters;
    }

    /** The first {@value #KEY_ID_LENGTH} bytes of SHA-256 over {@link #encoded()}. */
    public byte[] keyId() {
        return keyIdOf(encoded);
    }

    static byte[] keyIdOf(byte[] encodedPublicKey) {
        try {
            return Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(encodedPublicKey), KEY_ID_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecipientPublicKey other && kem == other.kem && Arrays.equals(encoded, other.encoded);
    }

    @Override
    public int hashCode() {
        return 31 * kem.hashCode() + Arrays.hashCode(encoded);
    }

    @Override
    public String toString() {
        return kem + ":" + HexFormat.of().formatHex(encoded);
    }
}
