package io.wattproof.ota.metadata;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * What a device remembers of the last targets metadata it trusted: its version and the SHA-256 of
 * its body. New targets must have a higher version, or the same version with the same body; the
 * device stores this after each accepted check, and {@link #NONE} before the first.
 *
 * @param version 0 before any targets were trusted, else ≥ 1
 * @param bodySha256 32 bytes, or empty with version 0
 */
public record LastTargets(long version, byte[] bodySha256) {
    public static final LastTargets NONE = new LastTargets(0, new byte[0]);

    public LastTargets {
        if (version < 0 || (version == 0) != (bodySha256.length == 0) || (version > 0 && bodySha256.length != Bodies.SHA256_LENGTH)) {
            throw new IllegalArgumentException("last targets: expected version 0 with no hash or version ≥ 1 with a 32-byte hash, got version "
                    + version + " with " + bodySha256.length + " bytes");
        }
        bodySha256 = bodySha256.clone();
    }

    @Override
    public byte[] bodySha256() {
        return bodySha256.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LastTargets other && version == other.version && Arrays.equals(bodySha256, other.bodySha256);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(version) * 31 + Arrays.hashCode(bodySha256);
    }

    @Override
    public String toString() {
        return "LastTargets[version=" + version + ", bodySha256=" + HexFormat.of().formatHex(bodySha256) + "]";
    }
}
