package io.wattproof.simulator.ledger.app;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Feeds the canonical state encoding straight into SHA-256. Integers are fixed-width big-endian
 * (two's complement for signed values); byte strings and text carry a 4-byte big-endian length
 * prefix, so no two different field sequences encode to the same bytes.
 */
final class HashWriter {
    private final MessageDigest digest;
    private final byte[] scratch = new byte[8];

    HashWriter() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    HashWriter u8(int v) {
        digest.update((byte) v);
        return this;
    }

    HashWriter bool(boolean v) {
        return u8(v ? 1 : 0);
    }

    HashWriter u32(int v) {
        scratch[0] = (byte) (v >>> 24);
        scratch[1] = (byte) (v >>> 16);
        scratch[2] = (byte) (v >>> 8);
        scratch[3] = (byte) v;
        digest.update(scratch, 0, 4);
        return this;
    }

    HashWriter i64(long v) {
        for (int i = 0; i < 8; i++) {
            scratch[i] = (byte) (v >>> (56 - 8 * i));
        }
        digest.update(scratch, 0, 8);
        return this;
    }

    /** Fixed-length bytes (device ids, hashes of fixed size): no prefix. */
    HashWriter raw(byte[] v) {
        digest.update(v);
        return this;
    }

    HashWriter bytes(byte[] v) {
        u32(v.length);
        digest.update(v);
        return this;
    }

    HashWriter text(String v) {
        return bytes(v.getBytes(StandardCharsets.UTF_8));
    }

    byte[] finish() {
        return digest.digest();
    }
}
