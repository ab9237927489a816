package io.wattproof.crypto.seal;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.hpke.HPKE;

/**
 * A party's HPKE key pair, what it opens sealed records with. The private key is exported only on
 * request ({@link #privateKey()}) and never appears in {@link #toString()}.
 */
public final class RecipientKeyPair {
    private static final int SEED_LENGTH = 32;

    private final RecipientPublicKey publicKey;
    private final AsymmetricCipherKeyPair pair;

    private RecipientKeyPair(RecipientPublicKey publicKey, AsymmetricCipherKeyPair pair) {
        this.publicKey = publicKey;
        this.pair = pair;
    }

    /**
     * A new key pair: RFC 9180 §7.1.3 DeriveKeyPair over 32 bytes from {@code random} (Nsk bytes
     * of input keying material, as §7.1.3 asks for at least).
     */
    public static RecipientKeyPair generate(Kem kem, SecureRandom random) {
        byte[] ikm = new byte[SEED_LENGTH];
        random.nextBytes(ikm);
        return of(kem, RecipientPublicKey.hpke(kem).deriveKeyPair(ikm));
    }

    /**
     * The key pair of a serialized private key (RFC 9180 §7.1.2 SerializePrivateKey: 32 bytes for
     * both KEMs); the public key is recomputed from it.
     *
     * @throws IllegalArgumentException if the bytes are not a private key of this KEM
     */
    public static RecipientKeyPair fromPrivateKey(Kem kem, byte[] privateKey) {
        if (privateKey.length != SEED_LENGTH) {
            throw new IllegalArgumentException(kem + " private key: expected " + SEED_LENGTH + " bytes, got " + privateKey.length);
        }
        try {
            return of(kem, RecipientPublicKey.hpke(kem).deserializePrivateKey(privateKey.clone(), null));
        } catch (RuntimeException e) {
            // P-256: zero or a scalar not below the group order.
            throw new IllegalArgumentException(kem + " private key: expected a valid scalar (" + e.getMessage() + ")", e);
        }
    }

    private static RecipientKeyPair of(Kem kem, AsymmetricCipherKeyPair pair) {
        HPKE hpke = RecipientPublicKey.hpke(kem);
        return new RecipientKeyPair(RecipientPublicKey.of(kem, hpke.serializePublicKey(pair.getPublic())), pair);
    }

    public RecipientPublicKey publicKey() {
        return publicKey;
    }

    public Kem kem() {
        return publicKey.kem();
    }

    /** The serialized private key (RFC 9180 §7.1.2), for the caller to store as a secret. */
    public byte[] privateKey() {
        return RecipientPublicKey.hpke(kem()).serializePrivateKey(pair.getPrivate());
    }

    AsymmetricCipherKeyPair pair() {
        return pair;
    }

    @Override
    public String toString() {
        return "RecipientKeyPair[" + kem() + ", key id " + HexFormat.of().formatHex(publicKey.keyId()) + "]";
    }
}
