package io.wattproof.lightclient.types;

import java.util.Objects;

/** A block's identity: its header hash and the header of its part set. */
public record BlockId(Bytes hash, PartSetHeader partSetHeader) {
    /** What {@code last_block_id} is at height 1 and what nil or absent votes sign for. */
    public static final BlockId EMPTY = new BlockId(Bytes.EMPTY, PartSetHeader.EMPTY);

    public BlockId {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(partSetHeader, "partSetHeader");
    }

    /** CometBFT {@code BlockID.IsZero}: no hash and an empty part set header. */
    public boolean isZero() {
        return hash.isEmpty() && partSetHeader.isZero();
    }
}
