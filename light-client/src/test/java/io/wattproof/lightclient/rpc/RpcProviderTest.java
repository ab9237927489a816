package io.wattproof.lightclient.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.lightclient.RpcJsonWriter;
import io.wattproof.lightclient.provider.ProviderException;
import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.lightclient.types.ValidatorSet;
import io.wattproof.lightclient.verifier.Verdict;
import io.wattproof.lightclient.verifier.VerificationOptions;
import io.wattproof.lightclient.verifier.Verifier;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The provider against a local HTTP server replaying answers: generated chains written in the RPC's
 * JSON shape, and hand-written files under {@code src/test/resources/rpc} for pagination and errors.
 */
class RpcProviderTest {
    private static final String CHAIN = "rpc-chain";
    private static final VerificationOptions OPTIONS = VerificationOptions.builder(Duration.ofDays(7)).build();

    private final FakeRpcNode node;
    private RpcProvider provider;

    RpcProviderTest() throws IOException {
        node = new FakeRpcNode();
    }

    @AfterEach
    void close() {
        if (provider != null) {
            provider.close();
        }
        node.close();
    }

    private RpcProvider provider(String chainId) {
        return provider(RpcProviderConfig.builder(node.endpoint(), chainId));
    }

    private RpcProvider provider(RpcProviderConfig.Builder config) {
        provider = new RpcProvider(config.build());
        return provider;
    }

    private static void assertSameBlock(LightBlock expected, LightBlock actual) {
        assertEquals(expected.signedHeader(), actual.signedHeader());
        assertEquals(expected.validators().validators(), actual.validators().validators());
        assertEquals(expected.nextValidators().map(ValidatorSet::validators), actual.nextValidators().map(ValidatorSet::validators));
    }

    @Test
    void blocksOfAGeneratedChainArriveIntactAndVerifyOneAfterTheOther() throws Exception {
        RecordedChain chain = new RecordedChain(11, CHAIN, 8, 7, 4);
        chain.serve(node, 100);
        RpcProvider p = provider(CHAIN);
        Verifier verifier = new Verifier();
        Instant now = chain.lastTime().plusSeconds(60);
        LightBlock trusted = p.lightBlock(1);
        assertSameBlock(chain.block(1), trusted);
        for (long h = 2; h <= 8; h++) {
            LightBlock b = p.lightBlock(h);
            assertSameBlock(chain.block(h), b);
            assertEquals(Verdict.SUCCESS, verifier.verify(trusted, b, OPTIONS, now), "height " + h);
            trusted = b;
        }
        LightBlock latest = p.latest();
        assertSameBlock(chain.block(8), latest);
        assertTrue(node.requests().contains("/validators?height=9&page=1&per_page=100"));
        assertEquals("http://127.0.0.1:" + node.endpoint().getPort(), p.id());
    }

    @Test
    void aChangedSignatureInTheAnswerIsCaughtByTheVerifierNotHidden() throws Exception {
        RecordedChain chain = new RecordedChain(12, CHAIN, 3, 4, 99);
        chain.serve(node, 100);
        String commit = RpcJsonWriter.text(RpcJsonWriter.commitResponse(chain.block(2).header(), chain.block(2).commit()));
        int at = commit.indexOf("\"signature\" : \"") + 20;
        char c = commit.charAt(at);
        node.json("/commit?height=2", commit.substring(0, at) + (c == 'A' ? 'B' : 'A') + commit.substring(at + 1));
        RpcProvider p = provider(CHAIN);
        Verdict v = new Verifier().verify(p.lightBlock(1), p.lightBlock(2), OPTIONS, chain.lastTime().plusSeconds(1));
        assertTrue(v instanceof Verdict.Invalid, v.toString());
    }

    @Test
    void aSetOfOneHundredFiftyComesInTwoPagesOfAHundred() throws Exception {
        RecordedChain chain = new RecordedChain(13, CHAIN, 2, 150, 99);
        chain.serve(node, 100);
        RpcProvider p = provider(CHAIN);
        LightBlock b2 = p.lightBlock(2);
        assertEquals(150, b2.validators().size());
        assertSameBlock(chain.block(2), b2);
        assertTrue(node.requests().containsAll(List.of(
                "/validators?height=2&page=1&per_page=100", "/validators?height=2&page=2&per_page=100")));
        assertEquals(Verdict.SUCCESS, new Verifier().verify(p.lightBlock(1), b2, OPTIONS, chain.lastTime().plusSeconds(1)));
    }

    @Test
    void handWrittenPagesAreJoinedInCometBftOrder() throws Exception {
        node.resource("/validators?height=5&page=1&per_page=2", "validators-h5-page1-of-2.json");
        node.resource("/validators?height=5&page=2&per_page=2", "validators-h5-page2-of-2.json");
        RpcProvider p = provider(RpcProviderConfig.builder(node.endpoint(), CHAIN).validatorsPerPage(2));
        ValidatorSet set = p.validators(5);
        assertEquals(3, set.size());
        assertEquals(List.of(300L, 200L, 100L), set.validators().stream().map(v -> v.votingPower()).toList());
        assertEquals("A1B8A19DE156870BA7D8B2E47A58AE974DE6DD53", set.validators().get(2).address().hex());
        assertEquals(-150, set.validators().get(0).proposerPriority());
    }

    @Test
    void pagesThatDisagreeAreABadResponse() {
        for (var c : List.of(
                List.of("validators-h5-page2-total-changed.json", "result.total: page 1 said 3, this page says 4"),
                List.of("validators-h5-page2-repeats-page1.json", "validator A41DF1E4FF30DD94DF4ACF3F1A4A3BB41EFB9D7B appears on more than one page"),
                List.of("validators-h5-page2-short.json", "expected 1 validators on page 2 of a set of 3, got 0"),
                List.of("validators-h5-page2-wrong-height.json", "result.block_height: expected 5, got 6"))) {
            node.resource("/validators?height=5&page=1&per_page=2", "validators-h5-page1-of-2.json");
            node.resource("/validators?height=5&page=2&per_page=2", c.get(0));
            RpcProvider p = provider(RpcProviderConfig.builder(node.endpoint(), CHAIN).validatorsPerPage(2));
            ProviderException.BadResponse e = assertThrows(ProviderException.BadResponse.class, () -> p.validators(5), c.get(0));
            assertTrue(e.getMessage().contains(c.get(1)), e.getMessage());
            p.close();
        }
    }

    @Test
    void heightsTheNodeDoesNotHaveAreNotFound() {
        RpcProvider p = provider(CHAIN);
        node.reply("/commit?height=100", new FakeRpcNode.Reply(500,
                FakeRpcNode.resourceText("error-height-too-high.json").getBytes(), false, false));
        ProviderException.NotFound above = assertThrows(ProviderException.NotFound.class, () -> p.lightBlock(100));
        assertEquals(100, above.height());
        assertTrue(above.getMessage().contains("must be less than or equal to the current blockchain height 8"), above.getMessage());
        node.error("/commit?height=2", FakeRpcNode.resourceText("error-height-pruned.json"));
        assertEquals(2, assertThrows(ProviderException.NotFound.class, () -> p.lightBlock(2)).height());
        node.error("/commit?height=2", FakeRpcNode.resourceText("error-height-pruned-older-wording.json"));
        assertEquals(2, assertThrows(ProviderException.NotFound.class, () -> p.lightBlock(2)).height());
        node.resource("/commit?height=3", "commit-null-result.json");
        assertEquals(3, assertThrows(ProviderException.NotFound.class, () -> p.lightBlock(3)).height());
    }

    @Test
    void withoutTheNextSetTheBlockComesWithoutIt() throws Exception {
        RecordedChain chain = new RecordedChain(14, CHAIN, 3, 4, 99);
        chain.serve(node, 100);
        node.error("/validators?height=4&page=1&per_page=100", RpcJsonWriter.text(RpcJsonWriter.error(
                "height 4 must be less than or equal to the current blockchain height 3")));
        LightBlock b = provider(CHAIN).lightBlock(3);
        assertFalse(b.nextValidators().isPresent());
        assertEquals(chain.block(3).signedHeader(), b.signedHeader());
    }

    @Test
    void answersForAnotherChainOrHeightAreABadResponse() throws Exception {
        RecordedChain chain = new RecordedChain(15, CHAIN, 4, 4, 99);
        chain.serve(node, 100);
        ProviderException.BadResponse chainId = assertThrows(ProviderException.BadResponse.class,
                () -> provider("other-chain").lightBlock(2));
        assertTrue(chainId.getMessage().contains("chain_id: expected \"other-chain\", got \"rpc-chain\""), chainId.getMessage());
        provider.close();
        node.json("/commit?height=3",
                RpcJsonWriter.text(RpcJsonWriter.commitResponse(chain.block(4).header(), chain.block(4).commit())));
        ProviderException.BadResponse height = assertThrows(ProviderException.BadResponse.class, () -> provider(CHAIN).lightBlock(3));
        assertTrue(height.getMessage().contains("/commit?height=3: result.signed_header.header.height: expected 3, got 4"),
                height.getMessage());
        provider.close();
        node.resource("/status", "status-other-network.json");
        ProviderException.BadResponse network = assertThrows(ProviderException.BadResponse.class, () -> provider(CHAIN).latest());
        assertTrue(network.getMessage().contains("node_info.network: expected \"rpc-chain\", got \"some-other-chain\""),
                network.getMessage());
    }

    @Test
    void malformedJsonIsABadResponseNamingTheField() throws Exception {
        RecordedChain chain = new RecordedChain(16, CHAIN, 2, 3, 99);
        chain.serve(node, 100);
        node.resource("/commit?height=1", "commit-truncated.json");
        RpcProvider p = provider(CHAIN);
        ProviderException.BadResponse truncated = assertThrows(ProviderException.BadResponse.class, () -> p.lightBlock(1));
        assertTrue(truncated.getMessage().contains("/commit?height=1: not valid JSON at line"), truncated.getMessage());
        String commit = RpcJsonWriter.text(RpcJsonWriter.commitResponse(chain.block(2).header(), chain.block(2).commit()));
        node.json("/commit?height=2", commit.replaceFirst("\"signature\" : \"", "\"signature\" : \"%"));
        ProviderException.BadResponse field = assertThrows(ProviderException.BadResponse.class, () -> p.lightBlock(2));
        assertTrue(field.getMessage().contains("result.signed_header.commit.signatures[0].signature: expected base64"),
                field.getMessage());
    }

    @Test
    void theNodeFailingIsUnavailable() throws Exception {
        RpcProvider p = provider(CHAIN);
        node.error("/commit?height=1", FakeRpcNode.resourceText("error-internal.json"));
        ProviderException.Unavailable internal = assertThrows(ProviderException.Unavailable.class, () -> p.lightBlock(1));
        assertTrue(internal.getMessage().contains("leveldb: closed"), internal.getMessage());
        node.reply("/commit?height=1", FakeRpcNode.Reply.status(503, "<html>upstream unavailable</html>"));
        assertTrue(assertThrows(ProviderException.Unavailable.class, () -> p.lightBlock(1)).getMessage().contains("HTTP 503"));
        // A route CometBFT does not have (our fake answers 404 to anything not recorded): not a node.
        assertTrue(assertThrows(ProviderException.BadResponse.class, () -> p.lightBlock(7)).getMessage().contains("HTTP 404"));
    }

    @Test
    void aRefusedConnectionIsUnavailable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        RpcProvider p = provider(RpcProviderConfig.builder(URI.create("http://127.0.0.1:" + port), CHAIN));
        ProviderException.Unavailable e = assertThrows(ProviderException.Unavailable.class, () -> p.lightBlock(1));
        assertTrue(e.getMessage().contains("/commit?height=1"), e.getMessage());
    }

    @Test
    void aNodeThatNeverAnswersIsUnavailable() {
        node.reply("/commit?height=1", new FakeRpcNode.Reply(200, new byte[0], false, true));
        RpcProvider p = provider(RpcProviderConfig.builder(node.endpoint(), CHAIN).requestTimeout(Duration.ofMillis(300)));
        assertThrows(ProviderException.Unavailable.class, () -> p.lightBlock(1));
    }

    @Test
    void bodiesAboveTheLimitAreRefusedWithOrWithoutContentLength() {
        byte[] big = ("{\"jsonrpc\":\"2.0\",\"id\":-1,\"result\":\"" + "A".repeat(10_000) + "\"}").getBytes();
        RpcProvider p = provider(RpcProviderConfig.builder(node.endpoint(), CHAIN).maxResponseBytes(4096));
        node.reply("/commit?height=1", new FakeRpcNode.Reply(200, big, false, false));
        ProviderException.BadResponse declared = assertThrows(ProviderException.BadResponse.class, () -> p.lightBlock(1));
        assertTrue(declared.getMessage().contains("(Content-Length) exceeds the limit of 4096"), declared.getMessage());
        node.reply("/commit?height=1", new FakeRpcNode.Reply(200, big, true, false));
        ProviderException.BadResponse streamed = assertThrows(ProviderException.BadResponse.class, () -> p.lightBlock(1));
        assertTrue(streamed.getMessage().contains("response body exceeds the limit of 4096 bytes"), streamed.getMessage());
    }

    @Test
    void configurationIsCheckedAndTheIdHidesUserInfo() {
        assertThrows(IllegalArgumentException.class, () -> RpcProviderConfig.builder(URI.create("ftp://h:1"), CHAIN).build());
        assertThrows(IllegalArgumentException.class, () -> RpcProviderConfig.builder(URI.create("http://u:p@h:1"), CHAIN).build());
        assertThrows(IllegalArgumentException.class,
                () -> RpcProviderConfig.builder(URI.create("http://h:1"), CHAIN).validatorsPerPage(101).build());
        RpcProvider p = provider(RpcProviderConfig.builder(URI.create("https://rpc.example.org/cometbft/"), CHAIN));
        assertEquals("https://rpc.example.org/cometbft/", p.id());
        assertThrows(IllegalArgumentException.class, () -> p.lightBlock(0));
    }
}
