package io.wattproof.lightclient.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.lightclient.MalformedInputException;
import io.wattproof.lightclient.json.CometJson;
import io.wattproof.lightclient.json.TxJson;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.ConsensusVersion;
import io.wattproof.lightclient.types.BlockId;
import io.wattproof.lightclient.types.Header;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The RPC's transaction answers. {@code rpc/tx_search-prove.json} and {@code rpc/tx-openapi-names.json}
 * were written for these tests, with hashes, leaf hashes and aunts computed independently with
 * Python's hashlib for three transactions at height 7 (root D949…8184).
 */
class TxJsonTest {
    static final Bytes ROOT = Bytes.fromHex("D9497331D10804763DAB481303E18A48999AB67A20461FFF75DB960D3D778184");

    static String resource(String name) throws IOException {
        try (InputStream in = TxJsonTest.class.getResourceAsStream("/rpc/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static Header headerWithDataHash(long height, Bytes dataHash) {
        return new Header(new ConsensusVersion(11, 0), "c", height, Instant.parse("2026-01-01T00:00:00Z"), BlockId.EMPTY,
                Bytes.EMPTY, dataHash, Bytes.EMPTY, Bytes.EMPTY, Bytes.EMPTY, Bytes.EMPTY, Bytes.EMPTY, Bytes.EMPTY, Bytes.EMPTY);
    }

    @Test
    void txSearchWithProofsReadsEveryFieldAndVerifiesAgainstTheDataHash() throws Exception {
        List<IndexedTx> txs = TxJson.anyTxs(CometJson.parse(resource("tx_search-prove.json"), "tx_search"));
        assertEquals(3, txs.size());
        IndexedTx first = txs.get(0);
        assertEquals("meter=1;kwh=12.5", new String(first.tx().toArray(), StandardCharsets.UTF_8));
        assertEquals(Bytes.fromHex("F76F550336031C193C4BBFD2CCA5E095912B0D6A0269E7AA17250416DE5E6084"), first.hash());
        assertEquals(7, first.height());
        TxProof p = first.proof().orElseThrow();
        assertEquals(ROOT, p.rootHash());
        assertEquals(3, p.total());
        assertEquals(2, p.aunts().size());
        for (int i = 0; i < 3; i++) {
            assertEquals(i, txs.get(i).index());
            TxVerdict v = TxInclusion.verify(txs.get(i), headerWithDataHash(7, ROOT));
            assertTrue(v.isVerified(), i + ": " + v.describe());
        }
        Bytes otherDataHash = ROOT.withFlipped(31, 1);
        assertEquals(new TxVerdict.DataHashMismatch(7, ROOT, otherDataHash),
                TxInclusion.verify(txs.get(1), headerWithDataHash(7, otherDataHash)));
        assertEquals(new TxVerdict.HeightMismatch(7, 8), TxInclusion.verify(txs.get(1), headerWithDataHash(8, ROOT)));
    }

    @Test
    void aSingleTxAnswerWithTheOpenApiFieldNames() throws Exception {
        List<IndexedTx> txs = TxJson.anyTxs(CometJson.parse(resource("tx-openapi-names.json"), "tx"));
        assertEquals(1, txs.size());
        assertEquals(2, txs.get(0).index());
        assertEquals(ROOT, txs.get(0).proof().orElseThrow().rootHash());
        assertTrue(TxInclusion.verify(txs.get(0)).isVerified());
    }

    @Test
    void badFieldsAreNamed() throws Exception {
        String text = resource("tx_search-prove.json");
        String badLeaf = text.replaceFirst("\"leaf_hash\": \"9Ym", "\"leaf_hash\": \"!Ym");
        MalformedInputException e = assertThrows(MalformedInputException.class,
                () -> TxJson.anyTxs(CometJson.parse(badLeaf, "f")));
        assertEquals("result.txs[0].proof.proof.leaf_hash", e.field());
        String badHash = text.replaceFirst("\"hash\": \"F76F", "\"hash\": \"X76F");
        assertEquals("result.txs[0].hash", assertThrows(MalformedInputException.class,
                () -> TxJson.anyTxs(CometJson.parse(badHash, "f"))).field());
        String noTotal = text.replaceFirst("\"total\": \"3\",", "");
        assertEquals("result.txs[0].proof.proof.total", assertThrows(MalformedInputException.class,
                () -> TxJson.anyTxs(CometJson.parse(noTotal, "f"))).field());
        String error = "{\"jsonrpc\":\"2.0\",\"id\":-1,\"error\":{\"code\":-32603,\"message\":\"Internal error\","
                + "\"data\":\"tx (F76F) not found\"}}";
        assertEquals("error", assertThrows(MalformedInputException.class,
                () -> TxJson.anyTxs(CometJson.parse(error, "f"))).field());
    }
}
