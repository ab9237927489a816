package io.wattproof.agent.record;

import java.util.HexFormat;

/**
 * Version and SHA-256 of the running agent build, carried in every Reading so a record says which
 * code produced it (and an auditor can match it against a signed release).
 *
 * @param version release version, e.g. {@code 0.1.0}
 * @param sha256 32 bytes
 */
public record FirmwareIdentity(String version, byte[] sha256) {
    public FirmwareIdentity {
        if (version.isEmpty() || version.length() > 32) {
            throw new IllegalArgumentException("firmware version: expected 1..32 characters, got " + version.length());
        }
        if (sha256.length != 32) {
            throw new IllegalArgumentException("firmware hash: expected 32 bytes, got " + sha256.length);
        }
        sha256 = sha256.clone();
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FirmwareIdentity f && version.equals(f.version) && java.util.Arrays.equals(sha256, f.sha256);
    }

    @Override
    public int hashCode() {
        return version.hashCode() * 31 + java.util.Arrays.hashCode(sha256);
    }

    @Override
    public String toString() {
        return version + " (" + HexFormat.of().formatHex(sha256) + ")";
    }
}
