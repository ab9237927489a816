package io.wattproof.lightclient.types;

import java.time.Instant;
import java.util.Objects;

/**
 * One validator's slot in a commit. For {@link BlockIdFlag#ABSENT} CometBFT leaves address and
 * signature empty and the timestamp at Go's zero time (0001-01-01T00:00:00Z).
 */
public record CommitSig(BlockIdFlag blockIdFlag, Bytes validatorAddress, Instant timestamp, Bytes signature) {
    /** Go's zero {@code time.Time}, which CometBFT puts in absent signatures. */
    public static final Instant GO_ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

    public CommitSig {
        Objects.requireNonNull(blockIdFlag, "blockIdFlag");
        Objects.requireNonNull(validatorAddress, "validatorAddress");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(signature, "signature");
    }

    public static CommitSig absent() {
        return new CommitSig(BlockIdFlag.ABSENT, Bytes.EMPTY, GO_ZERO_TIME, Bytes.EMPTY);
    }

    /** CometBFT {@code CommitSig.BlockID}: the block this signature's vote is for. */
    public BlockId votedBlockId(BlockId commitBlockId) {
        return blockIdFlag == BlockIdFlag.COMMIT ? commitBlockId : BlockId.EMPTY;
    }
}
