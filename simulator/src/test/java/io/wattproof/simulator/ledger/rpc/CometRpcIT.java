package io.wattproof.simulator.ledger.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.lightclient.encoding.Hashes;
import io.wattproof.lightclient.rpc.RpcProvider;
import io.wattproof.lightclient.rpc.RpcProviderConfig;
import io.wattproof.lightclient.tx.ResultInclusion;
import io.wattproof.lightclient.tx.ResultVerdict;
import io.wattproof.lightclient.tx.TxInclusion;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.lightclient.verifier.TrustThreshold;
import io.wattproof.lightclient.verifier.VerificationOptions;
import io.wattproof.lightclient.verifier.Verdict;
import io.wattproof.lightclient.verifier.Verifier;
import io.wattproof.protocol.v1.TxResultCode;
import io.wattproof.simulator.ledger.Application;
import io.wattproof.simulator.ledger.BlockResult;
import io.wattproof.simulator.ledger.CommittedBlock;
import io.wattproof.simulator.ledger.IncludedTx;
import io.wattproof.simulator.ledger.LedgerException;
import io.wattproof.simulator.ledger.TxResult;
import io.wattproof.simulator.ledger.chain.ReferenceLedger;
import io.wattproof.simulator.ledger.chain.ReferenceLedgerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reference ledger served over CometBFT's RPC and reached again through it: the light client's
 * JSON-RPC provider (the one checked against real CometBFT nodes' recordings) follows the served
 * chain, and the gateway's {@link CometRpcNode} submits, finds proofs and follows new blocks over
 * the WebSocket, exactly as it would against a CometBFT node.
 */
class CometRpcIT {
    private static final String CHAIN = "wattproof-rpc-it";

    private ReferenceLedger ledger;
    private CometRpcServer server;

    /** Accepts every transaction except one starting with 0xFF (code 4), keeps a hash of all. */
    static final class AcceptingApplication implements Application {
        private byte[] hash = new byte[32];

        @Override
        public TxResult checkTx(byte[] tx) {
            return tx.length > 0 && tx[0] == (byte) 0xFF ? TxResult.refused(4, "tx: expected a first byte other than 0xff") : TxResult.ok();
        }

        @Override
        public BlockResult finalizeBlock(long height, Instant time, List<byte[]> txs) {
            List<TxResult> results = new ArrayList<>();
            for (byte[] tx : txs) {
                hash = sha256(concat(hash, tx));
                results.add(TxResult.ok());
            }
            return new BlockResult(results, hash);
        }

        @Override
        public byte[] appHash() {
            return hash.clone();
        }
    }

    @BeforeEach
    void start() throws Exception {
        ledger = new ReferenceLedger(ReferenceLedgerConfig.builder().chainId(CHAIN).validators(4).seed(7)
                .blockInterval(Duration.ofMillis(200)).build(), new AcceptingApplication());
        server = CometRpcServer.start(new CometRpcSource(ledger), 0);
    }

    @AfterEach
    void stop() {
        server.close();
        ledger.close();
    }

    @Test
    void theLightClientsRpcProviderFollowsTheServedChainAndEachBlockVerifies() throws Exception {
        for (int i = 0; i < 5; i++) {
            ledger.produceBlock();
        }
        try (RpcProvider provider = new RpcProvider(RpcProviderConfig.builder(server.uri(), CHAIN).validatorsPerPage(3).build())) {
            assertEquals(5, provider.latestHeight());
            Verifier verifier = new Verifier();
            VerificationOptions options = new VerificationOptions(TrustThreshold.ONE_THIRD, Duration.ofDays(14), Duration.ofSeconds(10));
            LightBlock trusted = provider.lightBlock(1);
            assertEquals(Hashes.header(ledger.lightBlock(1).orElseThrow().header()), Hashes.header(trusted.header()));
            for (long h = 2; h <= 5; h++) {
                LightBlock next = provider.lightBlock(h);
                Verdict v = verifier.verify(trusted, next, options, Instant.now());
                assertTrue(v.isSuccess(), "height " + h + ": " + v);
                trusted = next;
            }
        }
    }

    @Test
    void theGatewaysNodeSubmitsFindsProofsAndFollowsNewBlocksOverTheWebsocket() throws Exception {
        try (CometRpcNode node = CometRpcNode.connect(server.uri(), CHAIN, Duration.ofSeconds(5), Duration.ofSeconds(5))) {
            BlockingQueue<CommittedBlock> blocks = new LinkedBlockingQueue<>();
            try (AutoCloseable subscription = node.onCommit(blocks::add)) {
                ledger.start();
                byte[] tx = "reading 1".getBytes(StandardCharsets.US_ASCII);
                assertEquals(0, node.submit(tx).code());
                IncludedTx included = awaitTx(blocks, tx);
                LightBlock block = node.lightBlock(included.height()).orElseThrow();
                assertTrue(TxInclusion.verify(included.proof(), block.header()).isVerified());
                assertArrayEquals(tx, included.proof().data().toArray());

                IncludedTx found = node.findTx(sha256(tx)).orElseThrow();
                assertEquals(included.height(), found.height());
                // The result proof built from /block_results is the reference ledger's own and
                // verifies against the next header once that block is committed.
                assertEquals(ledger.findTx(sha256(tx)).orElseThrow().resultProof(), found.resultProof());
                LightBlock next = awaitLightBlock(node, included.height() + 1);
                ResultVerdict result = ResultInclusion.verify(found.resultProof(), found.height(), found.index(), next.header());
                assertInstanceOf(ResultVerdict.Verified.class, result, result.describe());
                assertEquals(TxResultCode.RESULT_ALREADY_INCLUDED_VALUE, node.submit(tx).code(), "the same tx again");
                assertEquals(4, node.submit(new byte[] {(byte) 0xFF, 1}).code());
                assertTrue(node.findTx(sha256("never sent".getBytes(StandardCharsets.US_ASCII))).isEmpty());

                // Blocks arrive in order and none is skipped, empty ones included.
                long last = blocks.stream().mapToLong(CommittedBlock::height).max().orElse(0);
                CommittedBlock later = blocks.poll(10, TimeUnit.SECONDS);
                while (later != null && later.height() <= last) {
                    later = blocks.poll(10, TimeUnit.SECONDS);
                }
                assertEquals(last + 1, later.height());
            }
        }
    }

    @Test
    void aNodeOfAnotherChainIsRefusedAtConnect() {
        LedgerException e = assertThrows(LedgerException.class,
                () -> CometRpcNode.connect(server.uri(), "another-chain", Duration.ofSeconds(5), Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("expected chain another-chain, got '" + CHAIN + "'"), e.getMessage());
    }

    @Test
    void errorsComeInCometBftsEnvelopeAndUnknownMethodsAre404() throws Exception {
        ledger.produceBlock();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> tooHigh = http.send(HttpRequest.newBuilder(URI.create(server.uri() + "/commit?height=99")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(500, tooHigh.statusCode());
        assertTrue(tooHigh.body().contains("must be less than or equal to the current blockchain height 1"), tooHigh.body());
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(server.uri() + "/dump_consensus_state")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, unknown.statusCode());
        HttpResponse<String> badTx = http.send(HttpRequest.newBuilder(URI.create(server.uri() + "/broadcast_tx_sync?tx=0xZZ")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(500, badTx.statusCode());
        assertTrue(badTx.body().contains("tx: expected 0x-prefixed hex"), badTx.body());
        assertFalse(server.uri().toString().contains("0.0.0.0"));
        http.close();
    }

    private static LightBlock awaitLightBlock(CometRpcNode node, long height) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (node.latestHeight() < height && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return node.lightBlock(height).orElseThrow();
    }

    private static IncludedTx awaitTx(BlockingQueue<CommittedBlock> blocks, byte[] tx) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        List<CommittedBlock> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            CommittedBlock b = blocks.poll(1, TimeUnit.SECONDS);
            if (b == null) {
                continue;
            }
            seen.add(b);
            for (IncludedTx t : b.txs()) {
                if (Bytes.of(t.tx()).equals(Bytes.of(tx))) {
                    blocks.addAll(seen);
                    return t;
                }
            }
        }
        throw new AssertionError("the transaction was not in any block delivered: " + seen.size() + " blocks");
    }

    static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
