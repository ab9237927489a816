package io.wattproof.lightclient.types;

import java.util.List;
import java.util.Objects;

/**
 * The precommits that finalised a block. {@code round} is a proto {@code int32}; signatures are in
 * the order of the validator set at {@code height}.
 */
public record Commit(long height, int round, BlockId blockId, List<CommitSig> signatures) {
    public Commit {
        Objects.requireNonNull(blockId, "blockId");
        signatures = List.copyOf(signatures);
    }
}
