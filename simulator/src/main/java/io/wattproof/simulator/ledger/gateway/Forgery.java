package io.wattproof.simulator.ledger.gateway;

import io.wattproof.lightclient.tx.TxProof;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.Header;
import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.lightclient.types.SignedHeader;
import java.time.Duration;

/**
 * The lies a byzantine gateway tells, as pure functions: each takes an honest value and returns a
 * forged one that a device following docs/ledger.md must refuse. Which lie and where is decided by
 * {@link ByzantinePolicy}; here everything is explicit, so a test can name the exact forgery.
 */
public final class Forgery {
    private Forgery() {}

    /** The header field a forged light block changes. */
    public enum HeaderField {
        APP_HASH,
        DATA_HASH,
        TIME
    }

    /** How a forged receipt's proof differs from the honest one. */
    public enum ProofLie {
        /** One byte of one aunt flipped: the path leads to another root (crypto/merkle computeHashFromAunts). */
        FLIP_AUNT,
        /** One byte of the leaf hash flipped: it is no longer SHA-256(0x00 || SHA-256(tx)). */
        FLIP_LEAF_HASH,
        /** Another transaction's proof of the same block: valid for the block, but for other bytes. */
        OTHER_TX_PROOF
    }

    /**
     * The block with one header field changed and everything else, the commit included, kept. The
     * commit's block id still names the honest header's hash, so the forged header no longer hashes
     * to what the validators signed (CometBFT light/verifier.go: {@code sh.Commit.BlockID.Hash} must
     * equal {@code sh.Header.Hash()}), and a light client refuses it.
     */
    public static LightBlock forgeHeader(LightBlock honest, HeaderField field) {
        Header h = honest.header();
        Header forged = switch (field) {
            case APP_HASH -> new Header(h.version(), h.chainId(), h.height(), h.time(), h.lastBlockId(), h.lastCommitHash(),
                    h.dataHash(), h.validatorsHash(), h.nextValidatorsHash(), h.consensusHash(), otherHash(h.appHash()),
                    h.lastResultsHash(), h.evidenceHash(), h.proposerAddress());
            case DATA_HASH -> new Header(h.version(), h.chainId(), h.height(), h.time(), h.lastBlockId(), h.lastCommitHash(),
                    otherHash(h.dataHash()), h.validatorsHash(), h.nextValidatorsHash(), h.consensusHash(), h.appHash(),
                    h.lastResultsHash(), h.evidenceHash(), h.proposerAddress());
            case TIME -> new Header(h.version(), h.chainId(), h.height(), h.time().minus(Duration.ofSeconds(1)), h.lastBlockId(),
                    h.lastCommitHash(), h.dataHash(), h.validatorsHash(), h.nextValidatorsHash(), h.consensusHash(), h.appHash(),
                    h.lastResultsHash(), h.evidenceHash(), h.proposerAddress());
        };
        return new LightBlock(new SignedHeader(forged, honest.commit()), honest.validators(), honest.nextValidators());
    }

    /**
     * The proof with the given lie. {@code byteIndex} picks the byte to flip (taken modulo the length)
     * and, for {@link ProofLie#FLIP_AUNT}, the aunt ({@code byteIndex} modulo the number of aunts);
     * {@code other} is the proof to hand out instead for {@link ProofLie#OTHER_TX_PROOF}.
     *
     * @throws IllegalArgumentException if the lie cannot be told of this proof: no aunts to flip (a
     *     block of one transaction), an empty leaf hash, or no other proof for different bytes
     */
    public static TxProof badProof(TxProof honest, ProofLie lie, int byteIndex, TxProof other) {
        int i = Math.floorMod(byteIndex, Integer.MAX_VALUE);
        return switch (lie) {
            case FLIP_AUNT -> {
                if (honest.aunts().isEmpty()) {
                    throw new IllegalArgumentException("proof: has no aunts to flip (leaf " + honest.index() + " of " + honest.total() + ")");
                }
                var aunts = new java.util.ArrayList<>(honest.aunts());
                int which = i % aunts.size();
                Bytes aunt = aunts.get(which);
                aunts.set(which, aunt.isEmpty() ? Bytes.of(new byte[] {1}) : aunt.withFlipped(i % aunt.length(), 0x01));
                yield new TxProof(honest.rootHash(), honest.data(), honest.total(), honest.index(), honest.leafHash(), aunts);
            }
            case FLIP_LEAF_HASH -> {
                if (honest.leafHash().isEmpty()) {
                    throw new IllegalArgumentException("proof: leaf hash is empty");
                }
                yield new TxProof(honest.rootHash(), honest.data(), honest.total(), honest.index(),
                        honest.leafHash().withFlipped(i % honest.leafHash().length(), 0x01), honest.aunts());
            }
            case OTHER_TX_PROOF -> {
                if (other == null || other.data().equals(honest.data())) {
                    throw new IllegalArgumentException("proof: no proof of another transaction to hand out instead");
                }
                yield other;
            }
        };
    }

    private static Bytes otherHash(Bytes hash) {
        if (hash.isEmpty()) {
            byte[] b = new byte[32];
            b[0] = 1;
            return Bytes.of(b);
        }
        return hash.withFlipped(0, 0x01);
    }
}
