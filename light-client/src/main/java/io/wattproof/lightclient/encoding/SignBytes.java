package io.wattproof.lightclient.encoding;

import io.wattproof.lightclient.types.BlockId;
import io.wattproof.lightclient.types.Commit;
import io.wattproof.lightclient.types.CommitSig;
import java.time.Instant;

/** The bytes a validator signs for a precommit (types/vote.go {@code VoteSignBytes}). */
public final class SignBytes {
    /** {@code tendermint.types.SignedMsgType.SIGNED_MSG_TYPE_PRECOMMIT}. */
    static final int PRECOMMIT = 2;

    private SignBytes() {}

    /**
     * The sign bytes of the vote behind {@code commit.signatures[index]} (types/block.go
     * {@code Commit.GetVote}): a precommit at the commit's height and round, for the commit's block
     * id when the flag is COMMIT and for no block otherwise, with the signature's own timestamp.
     */
    public static byte[] precommit(String chainId, Commit commit, int index) {
        CommitSig sig = commit.signatures().get(index);
        return precommit(chainId, commit.height(), commit.round(), sig.votedBlockId(commit.blockId()), sig.timestamp());
    }

    /**
     * {@code protoio.MarshalDelimited(CanonicalVote)} (types/canonical.go, proto/tendermint/types/canonical.proto):
     * type = 1 (varint), height = 2 (sfixed64), round = 3 (sfixed64, widened from int32), block_id = 4
     * ({@code CanonicalBlockID}, nullable: left out when the block id is zero, i.e. a nil vote),
     * timestamp = 5 (non-nullable, always written), chain_id = 6. Inside {@code CanonicalBlockID} the
     * {@code CanonicalPartSetHeader} (total = 1 uint32, hash = 2) is non-nullable.
     */
    public static byte[] precommit(String chainId, long height, int round, BlockId blockId, Instant timestamp) {
        ProtoWriter w = new ProtoWriter().varint(1, PRECOMMIT).sfixed64(2, height).sfixed64(3, round);
        if (!blockId.isZero()) {
            byte[] canonicalPartSetHeader = new ProtoWriter()
                    .varint(1, blockId.partSetHeader().total())
                    .bytes(2, blockId.partSetHeader().hash())
                    .toByteArray();
            w.message(4, new ProtoWriter().bytes(1, blockId.hash()).message(2, canonicalPartSetHeader).toByteArray());
        }
        w.message(5, Protobuf.timestamp(timestamp)).string(6, chainId);
        return ProtoWriter.delimited(w.toByteArray());
    }
}
