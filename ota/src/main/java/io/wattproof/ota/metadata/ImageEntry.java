package io.wattproof.ota.metadata;

import java.util.HexFormat;
import java.util.List;

/**
 * One image as listed in verified targets metadata.
 *
 * @param version monotonic release number, ≥ 1
 * @param compatibleBoards board names (docs/boards.md), one or more
 * @param length exact size in bytes, ≥ 1
 * @param minFromVersion the lowest running version that may install this image directly (0: any)
 */
public record ImageEntry(String name, long version, List<String> compatibleBoards, long length, byte[] sha256, long minFromVersion) {

    public ImageEntry {
        compatibleBoards = List.copyOf(compatibleBoards);
        sha256 = sha256.clone();
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    public boolean runsOn(String board) {
        return compatibleBoards.contains(board);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageEntry other && name.equals(other.name) && version == other.version
                && compatibleBoards.equals(other.compatibleBoards) && length == other.length
                && java.util.Arrays.equals(sha256, other.sha256) && minFromVersion == other.minFromVersion;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(name, version, compatibleBoards, length, java.util.Arrays.hashCode(sha256), minFromVersion);
    }

    @Override
    public String toString() {
        return "ImageEntry[name=" + name + ", version=" + version + ", boards=" + compatibleBoards + ", length=" + length
                + ", sha256=" + HexFormat.of().formatHex(sha256) + ", minFromVersion=" + minFromVersion + "]";
    }
}
