package io.wattproof.simulator.ledger.chain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.lightclient.encoding.MerkleTree;
import io.wattproof.lightclient.tx.ResultInclusion;
import io.wattproof.lightclient.tx.ResultProof;
import io.wattproof.lightclient.tx.ResultVerdict;
import io.wattproof.lightclient.tx.TxInclusion;
import io.wattproof.lightclient.tx.TxProof;
import io.wattproof.lightclient.types.BlockId;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.Commit;
import io.wattproof.lightclient.types.Header;
import io.wattproof.lightclient.types.PartSetHeader;
import io.wattproof.simulator.ledger.TxResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BlockHashesTest {
    private static final Bytes SHA256_OF_NOTHING = Bytes.fromHex("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855");

    /**
     * The consensus_hash of CometBFT's default params (block max bytes 22020096, max gas -1), as
     * carried by the headers of chains that keep the defaults, e.g. the Osmosis genesis block and
     * CometBFT RPC examples.
     */
    @Test
    void consensusHashOfTheDefaultParamsIsTheOneRealChainsCarry() {
        assertEquals(Bytes.fromHex("048091BC7DDC283F77BFBF91D73C44DA58C3DF8A9CBC867405D8B7F3DAADA22F"),
                BlockHashes.consensusHash(BlockHashes.DEFAULT_BLOCK_MAX_BYTES, BlockHashes.DEFAULT_BLOCK_MAX_GAS));
    }

    @Test
    void emptyListsHashToSha256OfNothing() {
        assertEquals(SHA256_OF_NOTHING, BlockHashes.emptyMerkle());
        assertEquals(SHA256_OF_NOTHING, BlockHashes.dataHash(List.of()));
        assertEquals(SHA256_OF_NOTHING, BlockHashes.resultsHash(List.of()));
        assertEquals(SHA256_OF_NOTHING, BlockHashes.noEvidenceHash());
        assertEquals(SHA256_OF_NOTHING, BlockHashes.commitHash(new Commit(0, 0, BlockId.EMPTY, List.of())));
        assertTrue(BlockHashes.txProofs(List.of()).isEmpty());
    }

    /** abci ExecTxResult: code = 1 (varint), data = 2 (bytes); zero values left out. */
    @Test
    void deterministicResultKeepsCodeAndDataOnly() {
        assertArrayEquals(new byte[0], BlockHashes.deterministicResult(new TxResult(0, "ignored log", new byte[0])));
        assertArrayEquals(HexFormat.of().parseHex("080c12020102"),
                BlockHashes.deterministicResult(new TxResult(12, "already included", new byte[] {1, 2})));
        assertEquals(BlockHashes.resultsHash(List.of(new TxResult(3, "a", new byte[] {9}))),
                BlockHashes.resultsHash(List.of(new TxResult(3, "b", new byte[] {9}))), "the log takes no part");
        // One successful result without data: the leaf is SHA-256(0x00) (6E340B9C...), the value seen in
        // real headers after a block of one such transaction.
        assertEquals(Bytes.fromHex("6E340B9CFFB37A989CA544E6BB780A2C78901D3FB33738768511A30617AFA01D"),
                BlockHashes.resultsHash(List.of(TxResult.ok())));
    }

    /** One pass over the tree gives the same aunts as light-client's MerkleTree.aunts, leaf by leaf. */
    @Test
    void txProofsMatchMerkleTreeAuntsAndVerify() {
        Random random = new Random(5);
        for (int n = 1; n <= 40; n++) {
            List<byte[]> txs = new ArrayList<>();
            List<byte[]> leaves = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                byte[] tx = new byte[1 + random.nextInt(50)];
                random.nextBytes(tx);
                txs.add(tx);
                leaves.add(BlockHashes.txHash(tx));
            }
            List<TxProof> proofs = BlockHashes.txProofs(txs);
            Bytes root = BlockHashes.dataHash(txs);
            for (int i = 0; i < n; i++) {
                TxProof p = proofs.get(i);
                List<byte[]> expected = MerkleTree.aunts(leaves, i);
                assertEquals(expected.size(), p.aunts().size(), "n " + n + " leaf " + i);
                for (int a = 0; a < expected.size(); a++) {
                    assertEquals(Bytes.of(expected.get(a)), p.aunts().get(a), "n " + n + " leaf " + i + " aunt " + a);
                }
                assertEquals(root, p.rootHash());
                assertEquals(n, p.total());
                assertEquals(i, p.index());
                assertTrue(TxInclusion.verify(p).isVerified(), TxInclusion.verify(p).describe());
                TxProof changed = new TxProof(p.rootHash(), p.data().withFlipped(0, 1), p.total(), p.index(), p.leafHash(), p.aunts());
                assertFalse(TxInclusion.verify(changed).isVerified());
            }
        }
    }

    /**
     * Results proofs lead to {@link BlockHashes#resultsHash} (the next header's last_results_hash)
     * for blocks of 1 to 20 transactions, carry the result's code, and fail for a changed code, for
     * another index, and against another height's header.
     */
    @Test
    void resultProofsLeadToTheResultsHashAndProveTheCode() {
        Random random = new Random(7);
        for (int n = 1; n <= 20; n++) {
            List<TxResult> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                byte[] data = new byte[random.nextInt(3) * 8];
                random.nextBytes(data);
                results.add(random.nextBoolean() ? new TxResult(0, "", data) : TxResult.refused(1 + random.nextInt(12), "no"));
            }
            Header next = headerWithResults(9, BlockHashes.resultsHash(results));
            List<ResultProof> proofs = BlockHashes.resultProofs(results);
            assertEquals(n, proofs.size());
            for (int i = 0; i < n; i++) {
                ResultProof p = proofs.get(i);
                assertEquals(Bytes.of(BlockHashes.deterministicResult(results.get(i))), p.result());
                ResultVerdict v = ResultInclusion.verify(p, 8, i, next);
                ResultVerdict.Verified ok = assertInstanceOf(ResultVerdict.Verified.class, v, "n " + n + " leaf " + i + ": "
                        + v.describe());
                assertEquals(results.get(i).code(), ok.result().code());
                assertEquals(Bytes.of(results.get(i).data()), ok.result().data());

                TxResult other = results.get(i).isOk() ? TxResult.refused(4, "") : new TxResult(0, "", results.get(i).data());
                ResultProof changedCode = new ResultProof(Bytes.of(BlockHashes.deterministicResult(other)), p.total(), p.index(),
                        p.leafHash(), p.aunts());
                assertInstanceOf(ResultVerdict.LeafHashMismatch.class, ResultInclusion.verify(changedCode, 8, i, next));
                ResultProof changedBoth = new ResultProof(changedCode.result(),
                        p.total(), p.index(), Bytes.of(MerkleTree.leafHash(changedCode.result().toArray())), p.aunts());
                assertInstanceOf(ResultVerdict.RootMismatch.class, ResultInclusion.verify(changedBoth, 8, i, next));

                assertInstanceOf(ResultVerdict.IndexMismatch.class, ResultInclusion.verify(p, 8, (i + 1) % (n + 1), next));
                assertInstanceOf(ResultVerdict.HeightMismatch.class, ResultInclusion.verify(p, 9, i, next));
                if (n > 1) {
                    // The proof of the result beside ours, presented as ours: refused by its index.
                    ResultProof beside = proofs.get((i + 1) % n);
                    assertFalse(ResultInclusion.verify(beside, 8, i, next) instanceof ResultVerdict.Verified);
                    // Relabelled as leaf i, it no longer leads to the root (or has the wrong number of aunts).
                    ResultProof relabelled = new ResultProof(beside.result(), beside.total(), i, beside.leafHash(), beside.aunts());
                    if (!beside.result().equals(p.result())) {
                        assertFalse(ResultInclusion.verify(relabelled, 8, i, next) instanceof ResultVerdict.Verified);
                    }
                }
            }
        }
        assertTrue(BlockHashes.resultProofs(List.of()).isEmpty());
    }

    private static Header headerWithResults(long height, Bytes lastResultsHash) {
        return new Header(ReferenceLedger.VERSION, "c", height, Instant.EPOCH, BlockId.EMPTY, SHA256_OF_NOTHING, SHA256_OF_NOTHING,
                SHA256_OF_NOTHING, SHA256_OF_NOTHING, SHA256_OF_NOTHING, SHA256_OF_NOTHING, lastResultsHash, SHA256_OF_NOTHING,
                Bytes.of(new byte[20]));
    }

    @Test
    void partSetHeaderCountsPartsOf64KiB() {
        byte[] small = new byte[100];
        PartSetHeader one = BlockHashes.partSetHeader(small);
        assertEquals(1, one.total());
        assertEquals(Bytes.of(MerkleTree.leafHash(small)), one.hash());
        assertEquals(2, BlockHashes.partSetHeader(new byte[BlockHashes.BLOCK_PART_SIZE + 1]).total());
        assertEquals(1, BlockHashes.partSetHeader(new byte[BlockHashes.BLOCK_PART_SIZE]).total());
    }
}
