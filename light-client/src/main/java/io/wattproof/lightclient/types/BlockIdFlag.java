package io.wattproof.lightclient.types;

import java.util.Optional;

/** Which block a commit signature is for (CometBFT {@code types.BlockIDFlag}, proto enum values). */
public enum BlockIdFlag {
    /** The validator did not vote; the signature slot is empty. */
    ABSENT(1),
    /** A precommit for the commit's block. */
    COMMIT(2),
    /** A precommit for nil. */
    NIL(3);

    private final int code;

    BlockIdFlag(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Optional<BlockIdFlag> fromCode(long code) {
        for (BlockIdFlag flag : values()) {
            if (flag.code == code) {
                return Optional.of(flag);
            }
        }
        return Optional.empty();
    }
}
