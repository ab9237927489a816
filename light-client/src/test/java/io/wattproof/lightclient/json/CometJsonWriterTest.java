package io.wattproof.lightclient.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wattproof.lightclient.ChainGenerator;
import io.wattproof.lightclient.LinkedChain;
import io.wattproof.lightclient.MalformedInputException;
import io.wattproof.lightclient.encoding.Hashes;
import io.wattproof.lightclient.types.BlockIdFlag;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.CommitSig;
import io.wattproof.lightclient.types.GenesisDoc;
import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.lightclient.types.SignedHeader;
import io.wattproof.lightclient.types.Validator;
import io.wattproof.lightclient.types.ValidatorSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link CometJsonWriter}: what it writes, {@link CometJson} reads back as the same records (the
 * header hash unchanged), for generated chains with Ed25519 and secp256k1 keys and absent and nil
 * votes; and the fields have the JSON types a CometBFT node gives them.
 */
class CometJsonWriterTest {
    private static final String CHAIN = "meter-ledger-1";

    private static JsonNode parse(String text) throws MalformedInputException {
        return CometJson.parse(text, "(document)");
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void commitsOfAGeneratedChainReadBackEqualWithTheSameHeaderHash(long seed) throws Exception {
        LinkedChain chain = new LinkedChain(seed, CHAIN, 30, LinkedChain.changing(seed, 2 + (int) seed * 2, 7, 30),
                ConsensusParams.DEFAULT, true);
        boolean sawAbsent = false;
        boolean sawNil = false;
        boolean sawSecp = false;
        for (long h = 1; h <= chain.height(); h++) {
            SignedHeader sh = chain.signedHeader(h);
            JsonNode root = parse(CometJsonWriter.commit(sh, h < chain.height()));
            SignedHeader back = CometJson.anySignedHeader(root);
            assertEquals(sh, back, "height " + h);
            assertEquals(sh.commit().blockId().hash(), Hashes.header(back.header()));
            assertEquals(h < chain.height(), root.at("/result/canonical").booleanValue());

            ValidatorSet set = chain.validators(h);
            CometJson.ValidatorsPage page = CometJson.validatorsPage(parse(CometJsonWriter.validators(h, set)));
            assertEquals(h, page.blockHeight());
            assertEquals(set.size(), page.count());
            assertEquals(set.size(), page.total());
            assertEquals(set.validators(), page.validators().validators());
            assertEquals(Hashes.validatorSet(set), Hashes.validatorSet(page.validators()));

            for (CommitSig s : sh.commit().signatures()) {
                sawAbsent |= s.blockIdFlag() == BlockIdFlag.ABSENT;
                sawNil |= s.blockIdFlag() == BlockIdFlag.NIL;
            }
            for (Validator v : set.validators()) {
                sawSecp |= v.publicKey().type() == io.wattproof.lightclient.types.PublicKey.Type.SECP256K1;
            }
        }
        assertTrue(sawAbsent && sawNil, "the chain has absent and nil votes");
        assertTrue(seed != 3 || sawSecp, "seed 3 has secp256k1 keys");
    }

    @Test
    void lightBlocksOfTheGeneratorWithMixedKeysReadBackEqual() throws Exception {
        ChainGenerator gen = new ChainGenerator(11);
        for (int i = 0; i < 20; i++) {
            List<ChainGenerator.TestValidator> vals = gen.validators(1 + gen.random().nextInt(12), true);
            LightBlock b = gen.block(CHAIN, 1 + gen.random().nextInt(1_000_000), gen.time(), vals, vals,
                    v -> gen.random().nextInt(4) != 0);
            assertEquals(b.signedHeader(), CometJson.anySignedHeader(parse(CometJsonWriter.commit(b.signedHeader(), true))));
            assertEquals(b.commit().blockId().hash(), Hashes.header(b.header()));
            CometJson.ValidatorsPage page = CometJson.validatorsPage(parse(CometJsonWriter.validators(b.height(), b.validators())));
            assertEquals(b.validators().validators(), page.validators().validators());
        }
    }

    @Test
    void genesisReadsBackWithItsTimeAppHashAndConsensusParams() throws Exception {
        ChainGenerator gen = new ChainGenerator(21);
        List<Validator> vals = new ArrayList<>();
        for (ChainGenerator.TestValidator v : gen.validators(7, true)) {
            vals.add(new Validator(v.address(), v.validator().publicKey(), v.validator().votingPower(), 0));
        }
        GenesisDoc doc = new GenesisDoc(CHAIN, 5, new ValidatorSet(vals));
        Instant time = Instant.parse("2026-11-27T09:30:00.5Z");
        Bytes appHash = gen.hash();
        ConsensusParams v037 = new ConsensusParams(1_000_000, 5_000, 10, Duration.ofMinutes(90), 4096,
                List.of("ed25519", "secp256k1"), 3, OptionalLong.empty());
        for (ConsensusParams params : List.of(ConsensusParams.DEFAULT, v037)) {
            JsonNode root = parse(CometJsonWriter.genesis(doc, time, appHash, params));
            assertEquals(doc, CometJson.genesis(root));
            assertEquals(time, CometJson.genesisTime(root));
            assertEquals(appHash, CometJson.hex(root.at("/result/genesis/app_hash"), "app_hash"));
            assertEquals(params, CometJson.consensusParams(root.at("/result/genesis/consensus_params"), "consensus_params"));
            assertEquals(params.voteExtensionsEnableHeight().isPresent(), root.at("/result/genesis/consensus_params").has("abci"));
            assertFalse(root.at("/result/genesis").has("app_state"));
        }
        ObjectNode state = JsonNodeFactory.instance.objectNode().put("operators", 2);
        JsonNode withState = parse(CometJsonWriter.genesis(doc, time, Bytes.EMPTY, ConsensusParams.DEFAULT, state));
        assertEquals(state, withState.at("/result/genesis/app_state"));
        assertEquals("", withState.at("/result/genesis/app_hash").textValue());
    }

    /**
     * The JSON types of the fields, as a CometBFT 0.37/0.38 node writes them (its recorded /genesis,
     * /commit and /validators answers): int64 as strings, int32 as numbers, upper-case hex, a null
     * signature and Go's zero time in an absent slot, {@code parts}, the envelope with id -1.
     */
    @Test
    void fieldsHaveTheJsonTypesOfANodesAnswers() throws Exception {
        LinkedChain chain = new LinkedChain(31, CHAIN, 12, LinkedChain.changing(31, 4, 100, 12), ConsensusParams.DEFAULT, true);
        SignedHeader sh = chain.signedHeader(2);
        JsonNode root = parse(CometJsonWriter.commit(sh, false));
        assertEquals("2.0", root.get("jsonrpc").textValue());
        assertEquals(-1, root.get("id").intValue());
        JsonNode header = root.at("/result/signed_header/header");
        assertEquals("11", header.at("/version/block").textValue());
        assertEquals("2", header.get("height").textValue());
        assertTrue(header.at("/last_block_id/parts/total").isInt());
        assertEquals(header.at("/last_block_id/hash").textValue(), chain.signedHeader(1).commit().blockId().hash().hex());
        assertTrue(header.get("app_hash").textValue().matches("[0-9A-F]{16}"));
        JsonNode commit = root.at("/result/signed_header/commit");
        assertEquals("2", commit.get("height").textValue());
        assertTrue(commit.get("round").isInt());
        int absent = 0;
        for (long h = 1; h <= chain.height(); h++) {
            for (JsonNode s : parse(CometJsonWriter.commit(chain.signedHeader(h), true)).at("/result/signed_header/commit/signatures")) {
                assertTrue(s.get("block_id_flag").isInt());
                if (s.get("block_id_flag").intValue() == 1) {
                    absent++;
                    assertEquals("", s.get("validator_address").textValue());
                    assertEquals("0001-01-01T00:00:00Z", s.get("timestamp").textValue());
                    assertTrue(s.get("signature").isNull());
                } else {
                    assertTrue(s.get("signature").textValue().matches("[A-Za-z0-9+/]+={0,2}"));
                    assertTrue(s.get("validator_address").textValue().matches("[0-9A-F]{40}"));
                }
            }
        }
        assertTrue(absent > 0, "the chain has absent slots");

        JsonNode vals = parse(CometJsonWriter.validators(2, chain.validators(2))).get("result");
        assertEquals("2", vals.get("block_height").textValue());
        assertEquals("4", vals.get("count").textValue());
        assertEquals("4", vals.get("total").textValue());
        JsonNode v = vals.get("validators").get(0);
        assertTrue(v.get("voting_power").isTextual() && v.get("proposer_priority").isTextual());
        assertTrue(v.at("/pub_key/type").textValue().startsWith("tendermint/PubKey"));

        JsonNode g = parse(CometJsonWriter.genesis(chain.genesis(), chain.genesisTime(), Bytes.EMPTY, ConsensusParams.DEFAULT))
                .at("/result/genesis");
        assertEquals("1", g.get("initial_height").textValue());
        assertEquals("172800000000000", g.at("/consensus_params/evidence/max_age_duration").textValue());
        assertEquals("-1", g.at("/consensus_params/block/max_gas").textValue());
        assertEquals("0", g.at("/consensus_params/abci/vote_extensions_enable_height").textValue());
        assertTrue(g.at("/validators/0/power").isTextual());
        assertEquals("", g.at("/validators/0/name").textValue());
        assertEquals(List.of("genesis_time", "chain_id", "initial_height", "consensus_params", "validators", "app_hash"),
                fieldNames(g));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void timesAreGoRfc3339NanoInUtc() {
        assertEquals("0001-01-01T00:00:00Z", CometJsonWriter.time(CommitSig.GO_ZERO_TIME));
        assertEquals("2023-02-24T15:09:40.123954449Z", CometJsonWriter.time(Instant.parse("2023-02-24T15:09:40.123954449Z")));
        assertEquals("2023-02-24T15:09:40.12Z", CometJsonWriter.time(Instant.parse("2023-02-24T15:09:40.120Z")));
        assertEquals("2023-02-24T15:09:40.000000001Z", CometJsonWriter.time(Instant.parse("2023-02-24T15:09:40.000000001Z")));
        assertEquals("1969-12-31T23:59:59.5Z", CometJsonWriter.time(Instant.ofEpochSecond(-1, 500_000_000)));
        assertEquals("2023-02-24T15:09:40Z", CometJsonWriter.time(Instant.parse("2023-02-24T15:09:40Z")));
        assertThrows(IllegalArgumentException.class, () -> CometJsonWriter.time(Instant.parse("+10000-01-01T00:00:00Z")));
    }

    /**
     * The consensus_hash in the headers of the kvstore recordings published by tendermint-rs
     * (rpc/tests/kvstore_fixtures/v0_37, a node with the default parameters: max_bytes 22020096,
     * max_gas -1).
     */
    @Test
    void defaultParametersHashToTheConsensusHashOfANodeWithDefaults() {
        assertEquals("048091BC7DDC283F77BFBF91D73C44DA58C3DF8A9CBC867405D8B7F3DAADA22F", ConsensusParams.DEFAULT.hash().hex());
    }

    @Test
    void malformedConsensusParamsAndValidatorPagesAreRefusedNamingTheField() throws Exception {
        JsonNode g = parse(CometJsonWriter.genesis(new GenesisDoc(CHAIN, 1, new ValidatorSet(List.of())), Instant.EPOCH,
                Bytes.EMPTY, ConsensusParams.DEFAULT));
        ObjectNode params = (ObjectNode) g.at("/result/genesis/consensus_params");
        ((ObjectNode) params.get("block")).put("max_gas", "lots");
        MalformedInputException e = assertThrows(MalformedInputException.class,
                () -> CometJson.consensusParams(params, "consensus_params"));
        assertTrue(e.getMessage().contains("consensus_params.block.max_gas"), e.getMessage());
        params.remove("evidence");
        e = assertThrows(MalformedInputException.class, () -> CometJson.consensusParams(params, "consensus_params"));
        assertTrue(e.getMessage().contains("consensus_params.evidence"), e.getMessage());

        e = assertThrows(MalformedInputException.class, () -> CometJson.validatorsPage(
                parse("{\"result\":{\"block_height\":\"3\",\"validators\":[],\"total\":\"0\"}}")));
        assertTrue(e.getMessage().contains("result.count"), e.getMessage());
        e = assertThrows(MalformedInputException.class, () -> CometJson.genesisTime(
                parse("{\"result\":{\"genesis\":{\"genesis_time\":\"yesterday\"}}}")));
        assertTrue(e.getMessage().contains("result.genesis.genesis_time"), e.getMessage());
    }
}
