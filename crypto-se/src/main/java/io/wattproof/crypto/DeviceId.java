package io.wattproof.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A device's identity: the first 20 bytes of SHA-256 over the DER SubjectPublicKeyInfo of its
 * public key. Shown as 40 lowercase hex characters.
 */
public final class DeviceId {
    public static final int LENGTH = 20;

    private final byte[] bytes;

    private DeviceId(byte[] bytes) {
        this.bytes = bytes;
    }

    public static DeviceId of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("device id: expected " + LENGTH + " bytes, got " + bytes.length);
        }
        return new DeviceId(bytes.clone());
    }

    public static DeviceId fromHex(String hex) {
        if (hex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("device id: expected " + 2 * LENGTH + " hex characters, got " + hex.length());
        }
        return new DeviceId(HexFormat.of().parseHex(hex));
    }

    public static DeviceId fromPublicKeyInfo(byte[] subjectPublicKeyInfoDer) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(subjectPublicKeyInfoDer);
            return new DeviceId(Arrays.copyOf(digest, LENGTH));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
