package io.wattproof.simulator.ledger.chain;

import io.wattproof.lightclient.encoding.MerkleTree;
import io.wattproof.lightclient.encoding.Protobuf;
import io.wattproof.lightclient.tx.ResultProof;
import io.wattproof.lightclient.tx.TxProof;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.Commit;
import io.wattproof.lightclient.types.CommitSig;
import io.wattproof.lightclient.types.Header;
import io.wattproof.lightclient.types.PartSetHeader;
import io.wattproof.simulator.ledger.TxResult;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The hashes a CometBFT header commits to, computed from block contents as CometBFT 0.34–0.38
 * computes them (types/block.go, types/results.go, types/params.go, types/part_set.go; spec
 * core/data_structures.md, "Header"). Pure: bytes in, bytes out. Every Merkle tree is the RFC 6962
 * tree of {@link MerkleTree}; an empty list hashes to SHA-256 of nothing (E3B0C442...), which is
 * what real chains carry for an empty block's {@code data_hash}, {@code evidence_hash} and
 * {@code last_results_hash} and for {@code last_commit_hash} at the initial height.
 */
public final class BlockHashes {
    /** CometBFT {@code DefaultBlockParams().MaxBytes}: 21 MiB. */
    public static final long DEFAULT_BLOCK_MAX_BYTES = 22_020_096;
    /** CometBFT {@code DefaultBlockParams().MaxGas}: no gas limit. */
    public static final long DEFAULT_BLOCK_MAX_GAS = -1;
    /** types/params.go {@code BlockPartSizeBytes}: blocks are gossiped in parts of 64 KiB. */
    public static final int BLOCK_PART_SIZE = 65_536;

    private BlockHashes() {}

    /** The root of the empty Merkle tree: SHA-256 of no bytes. */
    public static Bytes emptyMerkle() {
        return Bytes.of(MerkleTree.root(List.of()));
    }

    /** types/tx.go {@code Tx.Hash}: SHA-256 of the transaction (tmhash). */
    public static byte[] txHash(byte[] tx) {
        return sha256(tx);
    }

    /**
     * types/tx.go {@code Txs.Hash} (0.34 and later): the Merkle root over each transaction's SHA-256,
     * not over the transactions themselves (spec: "the leaves of the Merkle tree are the hashes").
     */
    public static Bytes dataHash(List<byte[]> txs) {
        return Bytes.of(MerkleTree.root(txLeaves(txs)));
    }

    /**
     * The inclusion proof of every transaction (types/tx.go {@code Txs.Proof}): leaf i of the tree
     * of {@link #dataHash}, its leaf hash SHA-256(0x00 || SHA-256(tx)) and its aunts, the leaf's own
     * sibling first (crypto/merkle/proof.go {@code ProofsFromByteSlices}). All proofs are built in
     * one pass over the tree, O(n log n), rather than one tree walk per transaction.
     */
    public static List<TxProof> txProofs(List<byte[]> txs) {
        List<byte[]> leaves = txLeaves(txs);
        List<List<Bytes>> aunts = allAunts(leaves);
        Bytes root = Bytes.of(MerkleTree.root(leaves));
        List<TxProof> proofs = new ArrayList<>(leaves.size());
        for (int i = 0; i < leaves.size(); i++) {
            proofs.add(new TxProof(root, Bytes.of(txs.get(i)), leaves.size(), i, Bytes.of(MerkleTree.leafHash(leaves.get(i))),
                    aunts.get(i)));
        }
        return proofs;
    }

    /**
     * The proof of every result of a block against the tree of {@link #resultsHash}, which the
     * <em>next</em> header carries as {@code last_results_hash}: leaf i is result i's
     * {@link #deterministicResult} bytes themselves (types/results.go {@code ABCIResults.toByteSlices};
     * no hashing first, unlike the transactions), built in the same one pass as {@link #txProofs}.
     * CometBFT has no RPC that returns such a proof; this is how anyone holding a block's results
     * ({@code /block_results}) makes one.
     */
    public static List<ResultProof> resultProofs(List<TxResult> results) {
        return resultProofsOf(resultLeaves(results));
    }

    /** {@link #resultProofs} over results already encoded by {@link #deterministicResult(long, byte[], long, long)}. */
    public static List<ResultProof> resultProofsOf(List<byte[]> leaves) {
        List<List<Bytes>> aunts = allAunts(leaves);
        List<ResultProof> proofs = new ArrayList<>(leaves.size());
        for (int i = 0; i < leaves.size(); i++) {
            proofs.add(new ResultProof(Bytes.of(leaves.get(i)), leaves.size(), i, Bytes.of(MerkleTree.leafHash(leaves.get(i))),
                    aunts.get(i)));
        }
        return proofs;
    }

    /** The aunts of every leaf, the leaf's own sibling first (crypto/merkle/proof.go {@code ProofsFromByteSlices}). */
    private static List<List<Bytes>> allAunts(List<byte[]> leaves) {
        int n = leaves.size();
        List<List<byte[]>> aunts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            aunts.add(new ArrayList<>());
        }
        if (n > 0) {
            subtree(leaves, 0, n, aunts);
        }
        List<List<Bytes>> out = new ArrayList<>(n);
        for (List<byte[]> path : aunts) {
            out.add(path.stream().map(Bytes::of).toList());
        }
        return out;
    }

    /** Root of leaves [from, to), appending each subtree's sibling root to the aunts of its leaves, deepest first. */
    private static byte[] subtree(List<byte[]> leaves, int from, int to, List<List<byte[]>> aunts) {
        int n = to - from;
        if (n == 1) {
            return MerkleTree.leafHash(leaves.get(from));
        }
        int split = Integer.highestOneBit(n) == n ? n >>> 1 : Integer.highestOneBit(n);
        byte[] left = subtree(leaves, from, from + split, aunts);
        byte[] right = subtree(leaves, from + split, to, aunts);
        for (int i = from; i < from + split; i++) {
            aunts.get(i).add(right);
        }
        for (int i = from + split; i < to; i++) {
            aunts.get(i).add(left);
        }
        return MerkleTree.innerHash(left, right);
    }

    /**
     * types/block.go {@code Commit.Hash}: the Merkle root over each {@code CommitSig}'s protobuf
     * encoding, in the commit's order. An empty commit (the initial height's last commit) gives the
     * empty-tree root.
     */
    public static Bytes commitHash(Commit commit) {
        List<byte[]> leaves = new ArrayList<>(commit.signatures().size());
        for (CommitSig s : commit.signatures()) {
            leaves.add(Protobuf.commitSig(s));
        }
        return Bytes.of(MerkleTree.root(leaves));
    }

    /**
     * abci/types {@code DeterministicExecTxResult} marshalled ({@code tendermint.abci.ExecTxResult}):
     * code = 1 (uint32), data = 2, gas_wanted = 5, gas_used = 6 (int64); log, info, events and
     * codespace are left out because they need not be deterministic. Our results carry no gas, so
     * both gas fields are 0 and not written.
     */
    public static byte[] deterministicResult(TxResult result) {
        return deterministicResult(Integer.toUnsignedLong(result.code()), result.data(), 0, 0);
    }

    /** {@link #deterministicResult(TxResult)} with gas, as a node's {@code /block_results} reports it; zero fields are not written. */
    public static byte[] deterministicResult(long code, byte[] data, long gasWanted, long gasUsed) {
        return new ProtoOut().varint(1, code).bytes(2, data).varint(5, gasWanted).varint(6, gasUsed).toByteArray();
    }

    /** types/results.go {@code ABCIResults.Hash}: the Merkle root over the deterministic results of a block. */
    public static Bytes resultsHash(List<TxResult> results) {
        return Bytes.of(MerkleTree.root(resultLeaves(results)));
    }

    private static List<byte[]> resultLeaves(List<TxResult> results) {
        List<byte[]> leaves = new ArrayList<>(results.size());
        for (TxResult r : results) {
            leaves.add(deterministicResult(r));
        }
        return leaves;
    }

    /**
     * types/params.go {@code ConsensusParams.Hash}: SHA-256 of {@code tendermint.types.HashedParams}
     * (block_max_bytes = 1, block_max_gas = 2, int64): only those two params enter the header.
     */
    public static Bytes consensusHash(long blockMaxBytes, long blockMaxGas) {
        return Bytes.of(sha256(new ProtoOut().varint(1, blockMaxBytes).varint(2, blockMaxGas).toByteArray()));
    }

    /** types/evidence.go {@code EvidenceList.Hash} of no evidence: the reference ledger has no byzantine validators. */
    public static Bytes noEvidenceHash() {
        return emptyMerkle();
    }

    /**
     * {@code tendermint.types.Block}: header = 1, data = 2 ({@code Data}, txs = 1 repeated bytes),
     * evidence = 3 ({@code EvidenceList}, empty), last_commit = 4; the first three are non-nullable,
     * and the initial height's empty last commit is still a commit, so it is written too.
     */
    public static byte[] block(Header header, List<byte[]> txs, Commit lastCommit) {
        ProtoOut data = new ProtoOut();
        for (byte[] tx : txs) {
            data.element(1, tx);
        }
        return new ProtoOut()
                .element(1, Protobuf.header(header))
                .element(2, data.toByteArray())
                .element(3, new byte[0])
                .element(4, Protobuf.commit(lastCommit))
                .toByteArray();
    }

    /**
     * types/part_set.go {@code NewPartSetFromData}: the block's bytes cut into parts of
     * {@link #BLOCK_PART_SIZE}; total = number of parts, hash = Merkle root over the parts. Only
     * peers gossiping the block use it; no light client checks it.
     */
    public static PartSetHeader partSetHeader(byte[] blockBytes) {
        List<byte[]> parts = new ArrayList<>();
        for (int off = 0; off < blockBytes.length; off += BLOCK_PART_SIZE) {
            parts.add(Arrays.copyOfRange(blockBytes, off, Math.min(blockBytes.length, off + BLOCK_PART_SIZE)));
        }
        return new PartSetHeader(parts.size(), Bytes.of(MerkleTree.root(parts)));
    }

    private static List<byte[]> txLeaves(List<byte[]> txs) {
        List<byte[]> leaves = new ArrayList<>(txs.size());
        for (byte[] tx : txs) {
            leaves.add(sha256(tx));
        }
        return leaves;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
