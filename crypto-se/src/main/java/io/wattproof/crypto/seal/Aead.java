package io.wattproof.crypto.seal;

import org.bouncycastle.crypto.hpke.HPKE;

/**
 * The AEADs we seal with, with their RFC 9180 §7.3 (Table 5) ids. The same AEAD protects the
 * wrapped content key (inside HPKE) and the payload (with the content key), so a suite never mixes
 * two ciphers.
 */
public enum Aead {
    /** AES-128-GCM: Nk 16, Nn 12, Nt 16 (NIST SP 800-38D). */
    AES_128_GCM(0x0001, 16, HPKE.aead_AES_GCM128),
    /** ChaCha20-Poly1305: Nk 32, Nn 12, Nt 16 (RFC 8439). Faster than AES without AES instructions. */
    CHACHA20_POLY1305(0x0003, 32, HPKE.aead_CHACHA20_POLY1305);

    /** Nt of both AEADs, bytes. */
    public static final int TAG_LENGTH = 16;
    /** Nn of both AEADs, bytes. */
    public static final int NONCE_LENGTH = 12;

    private final int id;
    private final int keyLength;
    private final short bouncyCastleId;

    Aead(int id, int keyLength, short bouncyCastleId) {
        this.id = id;
        this.keyLength = keyLength;
        this.bouncyCastleId = bouncyCastleId;
    }

    /** The RFC 9180 aead_id (two bytes on the wire). */
    public int id() {
        return id;
    }

    /** Nk, bytes: also the length of the content key. */
    public int keyLength() {
        return keyLength;
    }

    short bouncyCastleId() {
        return bouncyCastleId;
    }
}
