package io.wattproof.lightclient.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.lightclient.encoding.MerkleTree;
import io.wattproof.lightclient.types.BlockId;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.ConsensusVersion;
import io.wattproof.lightclient.types.ExecResult;
import io.wattproof.lightclient.types.Header;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ResultInclusion} on hand-built results trees: the leaves are ExecTxResult bytes written
 * field by field here, so the decoding of code, data and gas is checked against known bytes.
 */
class ResultInclusionTest {
    // code = 1 (varint 11), data = 2 ("ok"), gas_wanted = 5 (varint 300), gas_used = 6 (varint 7)
    private static final byte[] REFUSED_WITH_GAS = {0x08, 0x0B, 0x12, 0x02, 'o', 'k', 0x28, (byte) 0xAC, 0x02, 0x30, 0x07};
    // code 0 and nothing else: proto3 writes no bytes at all
    private static final byte[] ACCEPTED = {};
    // a length-delimited field running past the end: no protobuf message
    private static final byte[] GARBAGE = {0x12, 0x09, 0x01};

    private static Header header(long height, byte[] lastResultsHash) {
        Bytes h = Bytes.of(new byte[32]);
        return new Header(new ConsensusVersion(11, 0), "c", height, Instant.EPOCH, BlockId.EMPTY, h, h, h, h, h, h,
                Bytes.of(lastResultsHash), h, Bytes.of(new byte[20]));
    }

    private static ResultProof proof(List<byte[]> leaves, int index) {
        return new ResultProof(Bytes.of(leaves.get(index)), leaves.size(), index, Bytes.of(MerkleTree.leafHash(leaves.get(index))),
                MerkleTree.aunts(leaves, index).stream().map(Bytes::of).toList());
    }

    @Test
    void decodesTheProvenResultField() {
        List<byte[]> leaves = List.of(ACCEPTED, REFUSED_WITH_GAS);
        Header next = header(5, MerkleTree.root(leaves));
        ExecResult accepted = assertInstanceOf(ResultVerdict.Verified.class, ResultInclusion.verify(proof(leaves, 0), 4, 0, next)).result();
        assertEquals(new ExecResult(0, Bytes.EMPTY, 0, 0), accepted);
        assertTrue(accepted.isOk());
        ExecResult refused = assertInstanceOf(ResultVerdict.Verified.class, ResultInclusion.verify(proof(leaves, 1), 4, 1, next)).result();
        assertEquals(new ExecResult(11, Bytes.of("ok".getBytes(java.nio.charset.StandardCharsets.US_ASCII)), 300, 7), refused);
    }

    @Test
    void aProvenLeafThatIsNoExecTxResultIsRefusedNotThrown() {
        List<byte[]> leaves = List.of(GARBAGE);
        ResultVerdict v = ResultInclusion.verify(proof(leaves, 0), 1, 0, header(2, MerkleTree.root(leaves)));
        assertTrue(assertInstanceOf(ResultVerdict.MalformedResult.class, v).describe().startsWith("result: not an ExecTxResult"),
                v.describe());
    }

    @Test
    void outOfShapeProofsAreValuesNamingTheFailure() {
        List<byte[]> leaves = List.of(ACCEPTED, REFUSED_WITH_GAS, ACCEPTED);
        Header next = header(5, MerkleTree.root(leaves));
        ResultProof p = proof(leaves, 1);
        assertEquals(new ResultVerdict.IndexOutOfRange(1, 0),
                ResultInclusion.verify(new ResultProof(p.result(), 0, 1, p.leafHash(), p.aunts()), 4, 1, next));
        assertInstanceOf(ResultVerdict.AuntCountMismatch.class,
                ResultInclusion.verify(new ResultProof(p.result(), 3, 1, p.leafHash(), List.of()), 4, 1, next));
        assertEquals(new ResultVerdict.IndexMismatch(2, 1), ResultInclusion.verify(p, 4, 2, next));
        assertEquals(new ResultVerdict.HeightMismatch(5, 6), ResultInclusion.verify(p, 4, 1, header(6, MerkleTree.root(leaves))));
        ResultVerdict other = ResultInclusion.verify(p, 4, 1, header(5, new byte[32]));
        assertTrue(assertInstanceOf(ResultVerdict.RootMismatch.class, other).describe().contains("of the header at height 5"),
                other.describe());
    }
}
