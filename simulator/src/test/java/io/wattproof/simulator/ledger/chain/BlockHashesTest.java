package io.wattproof.simulator.ledger.chain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.lightclient.encoding.MerkleTree;
import io.wattproof.lightclient.tx.TxInclusion;
import io.wattproof.lightclient.tx.TxProof;
import io.wattproof.lightclient.types.BlockId;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.Commit;
import io.wattproof.lightclient.types.PartSetHeader;
import io.wattproof.simulator.ledger.TxResult;
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
