package io.wattproof.lightclient.encoding;

import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.Header;
import io.wattproof.lightclient.types.Validator;
import io.wattproof.lightclient.types.ValidatorSet;
import java.util.ArrayList;
import java.util.List;

/** The header hash and the validator-set hash, as CometBFT computes them. */
public final class Hashes {
    private Hashes() {}

    /**
     * types/block.go {@code Header.Hash}: the Merkle root over the 14 header fields, each encoded on
     * its own. Version, time and last block id are their proto messages; the other fields go through
     * {@code cdcEncode}, which wraps them in gogotypes {@code StringValue}/{@code Int64Value}/
     * {@code BytesValue} (value = field 1) — and so yields zero bytes, not a wrapper, for "", 0 or
     * empty bytes. An empty last block id still encodes to {@code 12 00}: its part set header is
     * non-nullable.
     */
    public static Bytes header(Header h) {
        List<byte[]> leaves = List.of(
                Protobuf.consensusVersion(h.version()),
                new ProtoWriter().string(1, h.chainId()).toByteArray(),
                new ProtoWriter().varint(1, h.height()).toByteArray(),
                Protobuf.timestamp(h.time()),
                Protobuf.blockId(h.lastBlockId()),
                wrapped(h.lastCommitHash()),
                wrapped(h.dataHash()),
                wrapped(h.validatorsHash()),
                wrapped(h.nextValidatorsHash()),
                wrapped(h.consensusHash()),
                wrapped(h.appHash()),
                wrapped(h.lastResultsHash()),
                wrapped(h.evidenceHash()),
                wrapped(h.proposerAddress()));
        return Bytes.of(MerkleTree.root(leaves));
    }

    /**
     * types/validator_set.go {@code ValidatorSet.Hash}: the Merkle root over each validator's
     * {@code SimpleValidator} encoding, in the set's CometBFT order. Address and proposer priority do
     * not take part.
     */
    public static Bytes validatorSet(ValidatorSet set) {
        List<byte[]> leaves = new ArrayList<>(set.size());
        for (Validator v : set.validators()) {
            leaves.add(Protobuf.simpleValidator(v));
        }
        return Bytes.of(MerkleTree.root(leaves));
    }

    private static byte[] wrapped(Bytes value) {
        return new ProtoWriter().bytes(1, value).toByteArray();
    }
}
