package io.wattproof.lightclient.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.lightclient.ConformanceData;
import io.wattproof.lightclient.MalformedInputException;
import io.wattproof.lightclient.encoding.Hashes;
import io.wattproof.lightclient.types.BlockId;
import io.wattproof.lightclient.types.BlockIdFlag;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.CommitSig;
import io.wattproof.lightclient.types.Header;
import io.wattproof.lightclient.types.PublicKey;
import io.wattproof.lightclient.types.SignedHeader;
import io.wattproof.lightclient.types.ValidatorSet;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CometJsonTest {
    private static final String KNOWN_HASH = "F30A71F2409FB15AACAEDB6CC122DFA2525BEE9CAE521721B06BFDCA291B8D56";

    private static String knownHeader() throws Exception {
        return Files.readString(ConformanceData.file("cometbft/header_hash/header_with_known_hash.json"));
    }

    /** The same header as the RPC prints it: block_id.parts, numbers where the RPC has them, lower-case hex. */
    @Test
    void rpcShapeWithPartsAndLowerCaseHexReadsAsTheSameHeader() throws Exception {
        String text = knownHeader();
        String rpc = text.replace("\"part_set_header\"", "\"parts\"").toLowerCase(Locale.ROOT)
                .replace("\"block\": \"11\"", "\"block\": 11").replace("dockerchain", "dockerchain");
        Header fromCorpus = CometJson.anyHeader(CometJson.parse(text, "a"));
        Header fromRpc = CometJson.anyHeader(CometJson.parse(rpc, "b"));
        assertEquals(fromCorpus, fromRpc);
        assertEquals(KNOWN_HASH, Hashes.header(fromRpc).hex());
    }

    @Test
    void blockResponseAndSignedHeaderAreFoundInsideTheirEnvelopes() throws Exception {
        String header = knownHeader();
        String block = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"block_id\":{},\"block\":{\"header\":" + header
                + ",\"data\":{\"txs\":[]}}}}";
        assertEquals(KNOWN_HASH, Hashes.header(CometJson.anyHeader(CometJson.parse(block, "block"))).hex());
        String signed = "{\"header\":" + header + ",\"commit\":{}}";
        assertEquals(KNOWN_HASH, Hashes.header(CometJson.anyHeader(CometJson.parse(signed, "sh"))).hex());
    }

    @Test
    void absentLastBlockIdInAnyFormHashesTheSame() throws Exception {
        String base = "{\"version\":{\"block\":\"11\"},\"chain_id\":\"c\",\"height\":\"1\",\"time\":\"2020-01-01T00:00:00Z\","
                + "\"proposer_address\":\"0616A636E7D0579A632EC37ED3C3F2B7E8522A0A\"%s}";
        Header none = CometJson.anyHeader(CometJson.parse(base.formatted(""), "x"));
        Header nullId = CometJson.anyHeader(CometJson.parse(base.formatted(",\"last_block_id\":null,\"data_hash\":null"), "x"));
        Header emptyId = CometJson.anyHeader(CometJson.parse(
                base.formatted(",\"last_block_id\":{\"hash\":\"\",\"parts\":{\"total\":0,\"hash\":\"\"}},\"data_hash\":\"\""), "x"));
        assertEquals(BlockId.EMPTY, none.lastBlockId());
        assertEquals(none, nullId);
        assertEquals(none, emptyId);
    }

    @Test
    void timesKeepNanosecondsAndOffsets() throws Exception {
        assertEquals(Instant.parse("2020-09-14T16:33:54.21191421Z"),
                CometJson.time(CometJson.parse("\"2020-09-14T16:33:54.21191421Z\"", "t"), "t"));
        assertEquals(Instant.parse("2020-09-14T14:33:54.000000001Z"),
                CometJson.time(CometJson.parse("\"2020-09-14T16:33:54.000000001+02:00\"", "t"), "t"));
    }

    @Test
    void validatorsResponseAndCommitSignatureForms() throws Exception {
        String validators = "{\"jsonrpc\":\"2.0\",\"id\":-1,\"result\":{\"block_height\":\"5\",\"validators\":[{"
                + "\"address\":\"6AE5C701F508EB5B63343858E068C5843F28105F\",\"pub_key\":{\"type\":\"tendermint/PubKeyEd25519\","
                + "\"value\":\"GQEC/HB4sDBAVhHtUzyv4yct9ZGnudaP209QQBSTfSQ=\"},\"voting_power\":\"50\",\"proposer_priority\":\"-7\"}],"
                + "\"count\":\"1\",\"total\":\"1\"}}";
        ValidatorSet set = CometJson.anyValidatorSet(CometJson.parse(validators, "v"));
        assertEquals(1, set.size());
        assertEquals(-7, set.validators().get(0).proposerPriority());
        assertEquals(PublicKey.Type.ED25519, set.validators().get(0).publicKey().type());
        assertEquals(set.validators().get(0).address(), set.validators().get(0).publicKey().address());

        CommitSig absent = CometJson.commitSig(CometJson.parse(
                "{\"block_id_flag\":\"BLOCK_ID_FLAG_ABSENT\",\"validator_address\":\"\",\"timestamp\":\"0001-01-01T00:00:00Z\",\"signature\":null}",
                "s"), "s");
        assertEquals(CommitSig.absent(), absent);
        CommitSig commit = CometJson.commitSig(CometJson.parse(
                "{\"block_id_flag\":2,\"validator_address\":\"0a\",\"timestamp\":\"1970-01-01T00:00:01Z\",\"signature\":\"AQI=\"}",
                "s"), "s");
        assertEquals(new CommitSig(BlockIdFlag.COMMIT, Bytes.of(new byte[] {10}), Instant.ofEpochSecond(1),
                Bytes.of(new byte[] {1, 2})), commit);
    }

    @Test
    void aCommitResponseGivesTheSignedHeader() throws Exception {
        String rpc = "{\"result\":{\"signed_header\":{\"header\":" + knownHeader() + ",\"commit\":{\"height\":\"1608\",\"round\":0,"
                + "\"block_id\":{\"hash\":\"" + KNOWN_HASH + "\",\"parts\":{\"total\":1,\"hash\":\"" + KNOWN_HASH + "\"}},"
                + "\"signatures\":[]}},\"canonical\":true}}";
        SignedHeader sh = CometJson.anySignedHeader(CometJson.parse(rpc, "commit"));
        assertEquals(1608, sh.commit().height());
        assertEquals(Bytes.fromHex(KNOWN_HASH), sh.commit().blockId().partSetHeader().hash());
    }

    /** Bad input: the error names the field and what was wrong. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"version\":{\"block\":\"11\"},\"chain_id\":\"c\",\"height\":\"1x\",\"time\":\"2020-01-01T00:00:00Z\"}|height|expected a decimal integer, got \"1x\"",
        "{\"version\":{\"block\":\"11\"},\"chain_id\":\"c\",\"height\":\"99999999999999999999\",\"time\":\"2020-01-01T00:00:00Z\"}|height|expected an int64",
        "{\"version\":{\"block\":\"-1\"},\"chain_id\":\"c\",\"height\":\"1\",\"time\":\"2020-01-01T00:00:00Z\"}|version.block|expected a uint64",
        "{\"version\":{\"block\":\"11\"},\"chain_id\":\"c\",\"height\":\"1\",\"time\":\"2020-01-01 00:00:00\"}|time|expected an RFC 3339 time",
        "{\"version\":{\"block\":\"11\"},\"chain_id\":\"c\",\"height\":\"1\",\"time\":\"2020-01-01T00:00:00Z\",\"data_hash\":\"XYZ\"}|data_hash|expected hex, got \"XYZ\"",
        "{\"version\":{\"block\":\"11\"},\"chain_id\":\"c\",\"height\":\"1\",\"time\":\"2020-01-01T00:00:00Z\",\"app_hash\":\"ABC\"}|app_hash|expected hex",
        "{\"version\":{\"block\":\"11\"},\"chain_id\":7,\"height\":\"1\",\"time\":\"2020-01-01T00:00:00Z\"}|chain_id|expected a string, got number 7",
        "{\"version\":{\"block\":\"11\"},\"chain_id\":\"c\",\"height\":\"1\",\"time\":\"2020-01-01T00:00:00Z\",\"last_block_id\":{\"hash\":\"\",\"parts\":{\"total\":\"-1\"}}}|last_block_id.parts.total|expected a uint32",
        "{\"version\":{\"block\":\"11\"},\"chain_id\":\"c\",\"height\":1.5,\"time\":\"2020-01-01T00:00:00Z\"}|height|expected an integer, got number 1.5",
        "{\"chain_id\":\"c\",\"height\":\"1\",\"time\":\"2020-01-01T00:00:00Z\"}|version|missing",
    })
    void badHeadersAreRefusedNamingTheField(String json, String field, String problem) {
        MalformedInputException e = assertThrows(MalformedInputException.class,
                () -> CometJson.anyHeader(CometJson.parse(json, "header")));
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"validators\":[{\"address\":\"00\",\"pub_key\":{\"type\":\"tendermint/PubKeyBls\",\"value\":\"AA==\"},\"voting_power\":\"1\"}]}|validators[0].pub_key.type|expected tendermint/PubKeyEd25519 or tendermint/PubKeySecp256k1",
        "{\"validators\":[{\"address\":\"00\",\"pub_key\":{\"type\":\"tendermint/PubKeyEd25519\",\"value\":\"AAEC\"},\"voting_power\":\"1\"}]}|validators[0].pub_key|key is 32 bytes, got 3: 000102",
        "{\"validators\":[{\"address\":\"00\",\"pub_key\":{\"type\":\"tendermint/PubKeyEd25519\",\"value\":\"%%%\"},\"voting_power\":\"1\"}]}|validators[0].pub_key.value|expected base64",
        "{\"validators\":[{\"address\":\"00\",\"pub_key\":{\"type\":\"tendermint/PubKeyEd25519\",\"value\":\"GQEC/HB4sDBAVhHtUzyv4yct9ZGnudaP209QQBSTfSQ=\"}}]}|validators[0].voting_power|missing",
        "{\"validators\":{}}|validators|expected an array, got object",
        "[]|(document)|expected an object, got array",
    })
    void badValidatorSetsAreRefusedNamingTheField(String json, String field, String problem) {
        MalformedInputException e = assertThrows(MalformedInputException.class,
                () -> CometJson.anyValidatorSet(CometJson.parse(json, "set")));
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"block_id_flag\":7}|s.block_id_flag|expected 1 (absent), 2 (commit) or 3 (nil), got 7",
        "{\"block_id_flag\":\"BLOCK_ID_FLAG_MAYBE\"}|s.block_id_flag|expected BLOCK_ID_FLAG_ABSENT",
        "{\"block_id_flag\":2,\"timestamp\":5}|s.timestamp|expected an RFC 3339 time string, got number 5",
        "{\"block_id_flag\":2,\"signature\":\"!!\"}|s.signature|expected base64",
    })
    void badCommitSignaturesAreRefusedNamingTheField(String json, String field, String problem) {
        MalformedInputException e = assertThrows(MalformedInputException.class,
                () -> CometJson.commitSig(CometJson.parse(json, "s"), "s"));
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void textThatIsNotJsonIsRefusedWithItsPosition() {
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> CometJson.parse("{\n  \"a\": ", "file.json"));
        assertEquals("file.json", e.field());
        assertTrue(e.getMessage().contains("not valid JSON at line 2"), e.getMessage());
        e = assertThrows(MalformedInputException.class, () -> CometJson.parse("", "empty.json"));
        assertTrue(e.getMessage().contains("no JSON value"), e.getMessage());
    }

    @Test
    void aHeaderOutsideAnyKnownEnvelopeIsRefused() {
        MalformedInputException e = assertThrows(MalformedInputException.class,
                () -> CometJson.anyHeader(CometJson.parse("{\"result\":{\"something\":1}}", "x")));
        assertTrue(e.getMessage().contains("no header found"), e.getMessage());
    }

    /** Damaged case files either still read or are refused with MalformedInputException; nothing else escapes. */
    @Test
    void damagedJsonIsRefusedCleanly() throws Exception {
        String text = Files.readString(ConformanceData.file("cometbft/single_step/MC4_4_faulty_TestSuccess.json"));
        java.util.Random r = new java.util.Random(3);
        String alphabet = "0123456789abcdefABCDEF\"{}[]:,-+.Z T=/nul";
        int refused = 0;
        for (int i = 0; i < 500; i++) {
            StringBuilder b = new StringBuilder(text);
            for (int k = 0; k < 1 + r.nextInt(3); k++) {
                b.setCharAt(r.nextInt(b.length()), alphabet.charAt(r.nextInt(alphabet.length())));
            }
            try {
                io.wattproof.lightclient.conformance.SingleStepCase.fromJson(CometJson.parse(b.toString(), "case"));
            } catch (MalformedInputException e) {
                refused++;
            }
        }
        assertTrue(refused > 50, "only " + refused + " refused");
    }

    @Test
    void anRpcErrorAnswerIsReportedAsSuch() {
        String error = "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32603,\"message\":\"Internal error\","
                + "\"data\":\"height 99 must be less than or equal to the current blockchain height 5\"}}";
        MalformedInputException e = assertThrows(MalformedInputException.class,
                () -> CometJson.anyHeader(CometJson.parse(error, "x")));
        assertEquals("error", e.field());
        assertTrue(e.getMessage().contains("Internal error height 99 must be less"), e.getMessage());
    }
}
