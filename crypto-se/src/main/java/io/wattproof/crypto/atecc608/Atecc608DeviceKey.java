package io.wattproof.crypto.atecc608;

import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.MonotonicCounter;
import io.wattproof.crypto.Signatures;
import io.wattproof.crypto.VerifyingKey;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A P-256 device key in an ATECC608 slot. The chip signs 32-byte digests only (Sign, external
 * mode), so the message is hashed with SHA-256 here and the digest passed through Nonce unchanged;
 * the result is the same ECDSA-with-SHA-256 signature a software key makes. The chip picks s
 * from either half, so signatures are normalised to low S like every other provider's.
 */
public final class Atecc608DeviceKey implements DeviceKey {
    private final Atecc608Driver chip;
    private final int slot;
    private final VerifyingKey verifyingKey;

    Atecc608DeviceKey(Atecc608Driver chip, int slot, VerifyingKey verifyingKey) {
        this.chip = chip;
        this.slot = slot;
        this.verifyingKey = verifyingKey;
    }

    public int slot() {
        return slot;
    }

    /** The chip's counter for the update floor ({@link Atecc608KeyStore#floorCounter}); it shares this key's driver, whose sessions take turns. */
    public MonotonicCounter floorCounter() {
        return Atecc608KeyStore.floorCounter(chip);
    }

    @Override
    public VerifyingKey verifyingKey() {
        return verifyingKey;
    }

    @Override
    public synchronized byte[] sign(byte[] message) throws Atecc608Failure {
        byte[] raw = chip.signDigest(slot, sha256(message));
        try {
            return Signatures.normalizeLowS(raw);
        } catch (IllegalArgumentException e) {
            throw new Atecc608Failure.BadKey(chip.address(), slot, "sign: expected r||s with 1 ≤ r, s < n, got " + e.getMessage());
        }
    }

    private static byte[] sha256(byte[] message) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(message);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "Atecc608DeviceKey[address=" + Atecc608Failure.hexAddress(chip.address()) + ", slot=" + slot + ", deviceId=" + deviceId() + "]";
    }
}
