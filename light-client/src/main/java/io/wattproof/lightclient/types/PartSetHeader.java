package io.wattproof.lightclient.types;

import java.util.Objects;

/**
 * Header of the set of parts a block was gossiped in. {@code total} is a proto {@code uint32}
 * (0..4294967295).
 */
public record PartSetHeader(long total, Bytes hash) {
    public static final PartSetHeader EMPTY = new PartSetHeader(0, Bytes.EMPTY);

    public PartSetHeader {
        Objects.requireNonNull(hash, "hash");
        if (total < 0 || total > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("part set total must be a uint32, got " + total);
        }
    }

    public boolean isZero() {
        return total == 0 && hash.isEmpty();
    }
}
