package io.wattproof.simulator.ledger.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.lightclient.encoding.Hashes;
import io.wattproof.lightclient.encoding.LightBlockCodec;
import io.wattproof.lightclient.tx.IndexedTx;
import io.wattproof.lightclient.tx.ResultInclusion;
import io.wattproof.lightclient.tx.ResultVerdict;
import io.wattproof.lightclient.tx.TxInclusion;
import io.wattproof.lightclient.tx.TxVerdict;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.lightclient.verifier.Failure;
import io.wattproof.lightclient.verifier.Verdict;
import io.wattproof.lightclient.verifier.Verifier;
import io.wattproof.protocol.v1.LightBlockRequest;
import io.wattproof.protocol.v1.LightBlockResponse;
import io.wattproof.protocol.v1.Receipt;
import io.wattproof.simulator.broker.EmbeddedBroker;
import io.wattproof.simulator.ledger.gateway.ByzantinePolicy.Lie;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway on the embedded broker (HiveMQ CE), in front of {@link FakeLedgerNode}, with
 * device-like Paho v5 clients. Each test has its own topic prefix, so retained messages and shared
 * subscriptions of one test never reach another. Waits are upper bounds, never asserted durations;
 * "nothing arrives" is checked after the gateway is idle plus a grace period.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayIT {
    private static final long WAIT_SECONDS = 30;
    private static final long GRACE_MILLIS = 500;
    private static final AtomicInteger RUN = new AtomicInteger();

    private EmbeddedBroker broker;
    private final Deque<AutoCloseable> open = new ArrayDeque<>();
    private String prefix;

    @BeforeAll
    void startBroker(@TempDir Path dir) throws Exception {
        broker = EmbeddedBroker.start(dir.resolve("broker"), 0);
    }

    @AfterAll
    void stopBroker() {
        broker.close();
    }

    @AfterEach
    void closeAll() throws Exception {
        while (!open.isEmpty()) {
            open.pop().close();
        }
    }

    private String prefix() {
        return prefix;
    }

    /** Every test starts with its node, and with it a topic prefix of its own. */
    private FakeLedgerNode node(long seed) {
        prefix = "gw" + RUN.incrementAndGet() + "/v1";
        FakeLedgerNode node = new FakeLedgerNode("gateway-it", seed);
        open.push(node);
        return node;
    }

    private Gateway gateway(FakeLedgerNode node, String clientId, ByzantinePolicy policy) throws Exception {
        Gateway g = Gateway.start(GatewayConfig.builder(broker.uri()).clientId(clientId).topicPrefix(prefix()).byzantine(policy).build(), node);
        open.push(g);
        return g;
    }

    // ---------------------------------------------------------------- honest gateway

    @Test
    void aTxGetsAReceiptWhoseProofVerifiesAgainstItsBlocksHeader() throws Exception {
        FakeLedgerNode node = node(1);
        Gateway gateway = gateway(node, "gw-a", ByzantinePolicy.honest());
        Device device = device("0101010101010101010101010101010101010101");

        byte[] tx = "reading-1".getBytes(StandardCharsets.UTF_8);
        device.submit(tx);
        await(() -> node.mempoolSize(), 1);
        node.commit();

        Receipt r = device.receipt();
        assertEquals(0, r.getCode());
        assertEquals(1, r.getHeight());
        assertEquals(TxInclusion.txHash(Bytes.of(tx)), Bytes.of(r.getTxHash().toByteArray()));
        LightBlock block = node.lightBlock(1).orElseThrow();
        assertEquals(new TxVerdict.Verified(), TxInclusion.verify(deviceView(tx, r), block.header()));
        // The result proof: against the next header's last_results_hash, once that block exists.
        assertTrue(r.hasResultProof());
        node.commit();
        ResultVerdict result = ResultInclusion.verify(WireMessages.fromWire(r.getResultProof()), 1, r.getProof().getProof().getIndex(),
                node.lightBlock(2).orElseThrow().header());
        assertEquals(0, assertInstanceOf(ResultVerdict.Verified.class, result, result.describe()).result().code());

        assertTrue(gateway.awaitIdle(TimeUnit.SECONDS.toMillis(WAIT_SECONDS)));
        GatewayCounters c = gateway.counters();
        assertEquals(1, c.txsSubmitted());
        assertEquals(1, c.receiptsPublished());
        assertEquals(0, c.refused());
        assertEquals(0, c.forgedHeadersServed() + c.badProofsServed() + c.receiptsWithheld(), "an honest gateway never lies");
    }

    @Test
    void aRefusedTxGetsItsCodeAndLogAtHeightZeroWithoutProof() throws Exception {
        FakeLedgerNode node = node(2);
        Gateway gateway = gateway(node, "gw-a", ByzantinePolicy.honest());
        Device device = device("0202020202020202020202020202020202020202");

        byte[] tx = {FakeLedgerNode.REFUSE_MARKER, 1, 2, 3};
        device.submit(tx);
        Receipt r = device.receipt();
        assertEquals(4, r.getCode());
        assertEquals("signature: does not verify", r.getLog());
        assertEquals(0, r.getHeight());
        assertFalse(r.hasProof());
        assertEquals(TxInclusion.txHash(Bytes.of(tx)), Bytes.of(r.getTxHash().toByteArray()));
        assertEquals(Map.of(4, 1L), gateway.refusedByCode());
    }

    @Test
    void aDuplicateGetsTheReceiptOfTheBlockThatHoldsIt() throws Exception {
        FakeLedgerNode node = node(3);
        Gateway gateway = gateway(node, "gw-a", ByzantinePolicy.honest());
        Device device = device("0303030303030303030303030303030303030303");

        byte[] tx = "reading-dup".getBytes(StandardCharsets.UTF_8);
        device.submit(tx);
        await(() -> node.mempoolSize(), 1);
        node.commit();
        Receipt first = device.receipt();
        node.commit();
        node.commit();

        device.submit(tx); // no receipt verified in time: the device sends it again
        Receipt again = device.receipt();
        assertEquals(0, again.getCode());
        assertEquals(1, again.getHeight());
        assertEquals(first, again);
        assertTrue(TxInclusion.verify(deviceView(tx, again), node.lightBlock(1).orElseThrow().header()).isVerified());
        assertEquals(Map.of(12, 1L), gateway.refusedByCode());
    }

    @Test
    void answersLightBlockRequestsOnTheDevicesOwnResponseTopicWithTheCorrelationData() throws Exception {
        FakeLedgerNode node = node(4);
        Gateway gateway = gateway(node, "gw-a", ByzantinePolicy.honest());
        node.commit();
        node.commit();
        node.commit();
        Device device = device("0404040404040404040404040404040404040404");

        byte[] corr = {9, 8, 7};
        device.request(LightBlockRequest.newBuilder().setHeight(2).build().toByteArray(), device.responseTopic(), corr);
        MqttMessage m = device.response();
        assertArrayEquals(corr, m.getProperties().getCorrelationData());
        LightBlockResponse resp = LightBlockResponse.parseFrom(m.getPayload());
        assertEquals("", resp.getError());
        assertEquals(3, resp.getLatestHeight());
        LightBlock two = LightBlockCodec.decode(resp.getLightBlock().toByteArray());
        assertEquals(2, two.height());
        assertEquals(two.header().nextValidatorsHash(),
                Hashes.validatorSet(LightBlockCodec.decodeValidatorSet(resp.getNextValidatorSet().toByteArray())));
        LightBlock one = node.lightBlock(1).orElseThrow();
        assertTrue(new Verifier().verify(one, two, ForgeryTest.OPTIONS, Instant.now()).isSuccess());

        device.request(new byte[0], device.responseTopic(), new byte[] {1});
        LightBlockResponse latest = LightBlockResponse.parseFrom(device.response().getPayload());
        assertEquals(3, LightBlockCodec.decode(latest.getLightBlock().toByteArray()).height());

        device.request(LightBlockRequest.newBuilder().setHeight(9).build().toByteArray(), device.responseTopic(), new byte[] {2});
        MqttMessage above = device.response();
        assertArrayEquals(new byte[] {2}, above.getProperties().getCorrelationData());
        LightBlockResponse aboveResp = LightBlockResponse.parseFrom(above.getPayload());
        assertEquals("height 9 is above the latest height 3", aboveResp.getError());
        assertTrue(aboveResp.getLightBlock().isEmpty());

        device.request(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}, device.responseTopic(), new byte[] {3});
        MqttMessage malformed = device.response();
        assertArrayEquals(new byte[] {3}, malformed.getProperties().getCorrelationData());
        assertTrue(LightBlockResponse.parseFrom(malformed.getPayload()).getError().startsWith("light block request: not a LightBlockRequest"));

        // After all that, the gateway still answers.
        device.request(LightBlockRequest.newBuilder().setHeight(1).build().toByteArray(), device.responseTopic(), new byte[] {4});
        assertEquals(1, LightBlockCodec.decode(LightBlockResponse.parseFrom(device.response().getPayload()).getLightBlock().toByteArray()).height());
        assertTrue(gateway.awaitIdle(TimeUnit.SECONDS.toMillis(WAIT_SECONDS)));
        assertEquals(5, gateway.requestsAnswered());
    }

    @Test
    void ignoresARequestWhoseResponseTopicIsOutsideTheDevicesSubtree() throws Exception {
        FakeLedgerNode node = node(5);
        Gateway gateway = gateway(node, "gw-a", ByzantinePolicy.honest());
        node.commit();
        Device attacker = device("0505050505050505050505050505050505050505");
        Device victim = device("0606060606060606060606060606060606060606");

        byte[] request = LightBlockRequest.newBuilder().setHeight(1).build().toByteArray();
        attacker.request(request, victim.responseTopic(), new byte[] {1});
        attacker.request(request, null, new byte[] {2});
        attacker.request(request, prefix() + "/ledger/latest", new byte[] {3});
        // awaitIdle covers what the gateway has received; the broker may still be delivering the last request.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (gateway.requestsIgnored() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(gateway.awaitIdle(TimeUnit.SECONDS.toMillis(WAIT_SECONDS)));
        assertEquals(3, gateway.requestsIgnored());
        assertEquals(0, gateway.requestsAnswered());
        assertNull(victim.responses.poll(GRACE_MILLIS, TimeUnit.MILLISECONDS), "the victim's topic got an answer");
        assertNull(attacker.responses.poll(1, TimeUnit.MILLISECONDS));
    }

    @Test
    void theRetainedLatestBlockReachesALateSubscriber() throws Exception {
        FakeLedgerNode node = node(6);
        Gateway gateway = gateway(node, "gw-a", ByzantinePolicy.honest());
        node.commit();
        node.commit();
        assertTrue(gateway.awaitIdle(TimeUnit.SECONDS.toMillis(WAIT_SECONDS)));

        LightBlockResponse latest = lateLatest();
        assertEquals(2, latest.getLatestHeight());
        assertArrayEquals(LightBlockCodec.encode(node.lightBlock(2).orElseThrow()), latest.getLightBlock().toByteArray());
    }

    @Test
    void twoGatewaysInOneGroupSplitTheFleetAndEveryTxGetsExactlyOneReceipt() throws Exception {
        FakeLedgerNode node = node(7);
        Gateway a = gateway(node, "gw-a", ByzantinePolicy.honest());
        Gateway b = gateway(node, "gw-b", ByzantinePolicy.honest());
        BlockingQueue<MqttMessage> receipts = new LinkedBlockingQueue<>();
        MqttAsyncClient fleet = client("fleet", (t, m) -> receipts.add(m));
        fleet.subscribe(new MqttSubscription(prefix() + "/devices/+/receipts", 1)).waitForCompletion(ms());

        int n = 30;
        Map<Bytes, Integer> expected = new HashMap<>();
        for (int i = 0; i < n; i++) {
            byte[] tx = ("fleet-reading-" + i).getBytes(StandardCharsets.UTF_8);
            expected.put(TxInclusion.txHash(Bytes.of(tx)), 0);
            MqttMessage m = new MqttMessage(tx);
            m.setQos(1);
            fleet.publish(prefix() + "/devices/" + String.format("%040x", i) + "/tx", m).waitForCompletion(ms());
            // One at a time: HiveMQ offers each message to a member picked at random (docs/broker.md).
            int submitted = i + 1;
            await(node::submitted, submitted);
        }
        node.commit();
        for (int i = 0; i < n; i++) {
            MqttMessage m = receipts.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(m, "receipt " + i + " of " + n);
            Receipt r = Receipt.parseFrom(m.getPayload());
            assertEquals(1, r.getHeight());
            expected.merge(Bytes.of(r.getTxHash().toByteArray()), 1, Integer::sum);
        }
        assertTrue(a.awaitIdle(ms()) && b.awaitIdle(ms()));
        assertNull(receipts.poll(GRACE_MILLIS, TimeUnit.MILLISECONDS), "a receipt too many");
        expected.forEach((hash, count) -> assertEquals(1, count, "receipts for " + hash.hex()));
        assertEquals(n, a.txsSubmitted() + b.txsSubmitted());
        assertTrue(a.txsSubmitted() > 0 && b.txsSubmitted() > 0, "split: a=" + a.txsSubmitted() + " b=" + b.txsSubmitted());
        assertEquals(n, a.receiptsPublished() + b.receiptsPublished());
        assertEquals(a.counters().txsSubmitted() + b.counters().txsSubmitted(), a.counters().plus(b.counters()).txsSubmitted());
    }

    @Test
    void anUnreachableNodeGetsNoReceiptAndAnErrorAnswerAndTheGatewayCarriesOn() throws Exception {
        FakeLedgerNode node = node(11);
        node.commit();
        Gateway gateway = gateway(node, "gw-a", ByzantinePolicy.honest());
        Device device = device("1111111111111111111111111111111111111111");
        node.unreachable(true);

        device.submit("reading-lost".getBytes(StandardCharsets.UTF_8));
        device.request(new byte[0], device.responseTopic(), new byte[] {6});
        LightBlockResponse resp = LightBlockResponse.parseFrom(device.response().getPayload());
        assertEquals("ledger unavailable: connection refused: 127.0.0.1:26657", resp.getError());
        assertTrue(gateway.awaitIdle(ms()));
        assertNull(device.receipts.poll(GRACE_MILLIS, TimeUnit.MILLISECONDS), "no receipt without an answer from the node");
        assertEquals(1, gateway.counters().submitFailures());

        node.unreachable(false);
        byte[] tx = "reading-lost".getBytes(StandardCharsets.UTF_8);
        device.submit(tx); // the device re-submits after its timeout
        await(() -> node.mempoolSize(), 1);
        node.commit();
        Receipt r = device.receipt();
        assertEquals(2, r.getHeight());
        assertTrue(TxInclusion.verify(deviceView(tx, r), node.lightBlock(2).orElseThrow().header()).isVerified());
    }

    @Test
    void pastThePendingLimitTheOldestWaitingReceiptIsForgotten() throws Exception {
        FakeLedgerNode node = node(12);
        Gateway gateway = Gateway.start(GatewayConfig.builder(broker.uri()).clientId("gw-small").topicPrefix(prefix()).pendingLimit(1).build(),
                node);
        open.push(gateway);
        Device device = device("1212121212121212121212121212121212121212");
        byte[] first = "reading-1".getBytes(StandardCharsets.UTF_8);
        byte[] second = "reading-2".getBytes(StandardCharsets.UTF_8);
        device.submit(first);
        device.submit(second);
        await(() -> node.mempoolSize(), 2);
        node.commit();
        Receipt r = device.receipt();
        assertEquals(TxInclusion.txHash(Bytes.of(second)), Bytes.of(r.getTxHash().toByteArray()));
        assertTrue(gateway.awaitIdle(ms()));
        assertNull(device.receipts.poll(GRACE_MILLIS, TimeUnit.MILLISECONDS));
        assertEquals(1, gateway.counters().receiptsForgotten());

        device.submit(first); // re-submitted: answered from the block
        assertEquals(TxInclusion.txHash(Bytes.of(first)), Bytes.of(device.receipt().getTxHash().toByteArray()));
    }

    // ---------------------------------------------------------------- byzantine gateway

    @Test
    void aForgedHeaderFailsLightClientVerificationAndTheRetainedLatestStaysHonest() throws Exception {
        FakeLedgerNode node = node(8);
        Gateway gateway = gateway(node, "gw-liar", ByzantinePolicy.lying(8, 1.0, EnumSet.of(Lie.FORGED_HEADER)));
        node.commit();
        node.commit();
        Device device = device("0808080808080808080808080808080808080808");

        device.request(LightBlockRequest.newBuilder().setHeight(2).build().toByteArray(), device.responseTopic(), new byte[] {5});
        LightBlock forged = LightBlockCodec.decode(LightBlockResponse.parseFrom(device.response().getPayload()).getLightBlock().toByteArray());
        LightBlock honest = node.lightBlock(2).orElseThrow();
        assertNotEquals(honest.header(), forged.header());
        assertNotEquals(forged.commit().blockId().hash(), Hashes.header(forged.header()));
        Verdict v = new Verifier().verify(node.lightBlock(1).orElseThrow(), forged, ForgeryTest.OPTIONS, Instant.now());
        assertInstanceOf(Failure.CommitBlockHashMismatch.class, assertInstanceOf(Verdict.Invalid.class, v).reason());
        assertEquals(1, gateway.forgedHeadersServed());
        assertEquals(List.of("0808080808080808080808080808080808080808"),
                gateway.forgeriesServed().stream().map(ServedForgeries.Served::requester).toList(), "whom the lie was told");

        assertTrue(gateway.awaitIdle(ms()));
        LightBlockResponse latest = lateLatest();
        assertArrayEquals(LightBlockCodec.encode(honest), latest.getLightBlock().toByteArray());
        assertEquals(1, gateway.forgedHeadersServed(), "the retained latest is never forged");
        assertEquals(0, gateway.badProofsServed() + gateway.receiptsWithheld());
    }

    @Test
    void aBadProofFailsInclusion() throws Exception {
        FakeLedgerNode node = node(9);
        Gateway gateway = gateway(node, "gw-liar", ByzantinePolicy.lying(9, 1.0, EnumSet.of(Lie.BAD_PROOF)));
        Device device = device("0909090909090909090909090909090909090909");
        Map<Bytes, byte[]> sent = new HashMap<>();
        for (int i = 0; i < 4; i++) {
            byte[] tx = ("reading-" + i).getBytes(StandardCharsets.UTF_8);
            sent.put(TxInclusion.txHash(Bytes.of(tx)), tx);
            device.submit(tx);
        }
        await(() -> node.mempoolSize(), 4);
        node.commit();
        LightBlock block = node.lightBlock(1).orElseThrow();
        for (int i = 0; i < 4; i++) {
            Receipt r = device.receipt();
            byte[] tx = sent.get(Bytes.of(r.getTxHash().toByteArray()));
            TxVerdict v = TxInclusion.verify(deviceView(tx, r), block.header());
            assertFalse(v.isVerified(), "a bad proof verified");
        }
        assertTrue(gateway.awaitIdle(ms()));
        assertEquals(4, gateway.badProofsServed());
        assertEquals(List.of("0909090909090909090909090909090909090909"),
                gateway.forgeriesServed().stream().map(ServedForgeries.Served::requester).distinct().toList());
        assertEquals(4, gateway.forgeriesServed().size());
        assertEquals(4, gateway.receiptsPublished());
        assertEquals(0, gateway.forgedHeadersServed() + gateway.receiptsWithheld());
    }

    @Test
    void aWrongResultKeepsBothProofsButNotTheProvenCode() throws Exception {
        FakeLedgerNode node = node(11);
        Gateway gateway = gateway(node, "gw-liar", ByzantinePolicy.lying(11, 1.0, EnumSet.of(Lie.WRONG_RESULT)));
        Device device = device("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
        Map<Bytes, byte[]> sent = new HashMap<>();
        for (int i = 0; i < 3; i++) {
            byte[] tx = ("reading-" + i).getBytes(StandardCharsets.UTF_8);
            sent.put(TxInclusion.txHash(Bytes.of(tx)), tx);
            device.submit(tx);
        }
        await(() -> node.mempoolSize(), 3);
        node.commit();
        node.commit();
        LightBlock block = node.lightBlock(1).orElseThrow();
        LightBlock next = node.lightBlock(2).orElseThrow();
        for (int i = 0; i < 3; i++) {
            Receipt r = device.receipt();
            byte[] tx = sent.get(Bytes.of(r.getTxHash().toByteArray()));
            assertTrue(TxInclusion.verify(deviceView(tx, r), block.header()).isVerified(), "the inclusion proof stays honest");
            ResultVerdict v = ResultInclusion.verify(WireMessages.fromWire(r.getResultProof()), 1, r.getProof().getProof().getIndex(),
                    next.header());
            long proven = assertInstanceOf(ResultVerdict.Verified.class, v, v.describe()).result().code();
            assertNotEquals(proven, r.getCode(), "the receipt's code is not the one the block committed");
        }
        assertTrue(gateway.awaitIdle(ms()));
        assertEquals(3, gateway.badProofsServed(), "counted as served forgeries");
        assertEquals(0, gateway.forgedHeadersServed() + gateway.receiptsWithheld());
    }

    @Test
    void aWithheldReceiptIsNotDeliveredButARefusalStillIs() throws Exception {
        FakeLedgerNode node = node(10);
        Gateway gateway = gateway(node, "gw-liar", ByzantinePolicy.lying(10, 1.0, EnumSet.of(Lie.WITHHELD_RECEIPT)));
        Device device = device("1010101010101010101010101010101010101010");
        device.submit("reading-a".getBytes(StandardCharsets.UTF_8));
        device.submit("reading-b".getBytes(StandardCharsets.UTF_8));
        await(() -> node.mempoolSize(), 2);
        node.commit();
        assertTrue(gateway.awaitIdle(ms()));
        assertNull(device.receipts.poll(GRACE_MILLIS, TimeUnit.MILLISECONDS), "a withheld receipt arrived");
        assertEquals(2, gateway.receiptsWithheld());

        device.submit("reading-a".getBytes(StandardCharsets.UTF_8)); // re-submitted: withheld again at rate 1.0
        device.submit(new byte[] {FakeLedgerNode.REFUSE_MARKER});
        Receipt refusal = device.receipt();
        assertEquals(4, refusal.getCode());
        assertTrue(gateway.awaitIdle(ms()));
        assertNull(device.receipts.poll(GRACE_MILLIS, TimeUnit.MILLISECONDS));
        assertEquals(3, gateway.receiptsWithheld());
        assertEquals(1, gateway.receiptsPublished());
        assertEquals(0, gateway.badProofsServed() + gateway.forgedHeadersServed());
    }

    // ---------------------------------------------------------------- helpers

    /** What the device checks: the receipt's proof for the bytes it sent, at the proof's index. */
    private static IndexedTx deviceView(byte[] tx, Receipt r) {
        var proof = WireMessages.fromWire(r.getProof());
        return new IndexedTx(Bytes.of(r.getTxHash().toByteArray()), r.getHeight(), proof.index(), Bytes.of(tx), Optional.of(proof));
    }

    private LightBlockResponse lateLatest() throws Exception {
        BlockingQueue<MqttMessage> got = new LinkedBlockingQueue<>();
        MqttAsyncClient late = client("late-" + RUN.get(), (t, m) -> got.add(m));
        late.subscribe(new MqttSubscription(prefix() + "/ledger/latest", 1)).waitForCompletion(ms());
        MqttMessage m = got.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(m, "no retained latest");
        assertTrue(m.isRetained());
        return LightBlockResponse.parseFrom(m.getPayload());
    }

    private static void await(IntSupplier value, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (value.getAsInt() < expected && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertEquals(expected, value.getAsInt());
    }

    private static long ms() {
        return TimeUnit.SECONDS.toMillis(WAIT_SECONDS);
    }

    private Device device(String id) throws MqttException {
        return new Device(id);
    }

    /** A device's side of the ledger topics: tx out, receipts in, light-block requests and responses. */
    private final class Device {
        final String id;
        final MqttAsyncClient client;
        final BlockingQueue<MqttMessage> receipts = new LinkedBlockingQueue<>();
        final BlockingQueue<MqttMessage> responses = new LinkedBlockingQueue<>();

        Device(String id) throws MqttException {
            this.id = id;
            String base = prefix() + "/devices/" + id;
            this.client = client("device-" + id, (topic, m) -> {
                if (topic.equals(base + "/receipts")) {
                    receipts.add(m);
                } else {
                    responses.add(m);
                }
            });
            client.subscribe(new MqttSubscription[] {new MqttSubscription(base + "/receipts", 1),
                    new MqttSubscription(responseTopic(), 1)}).waitForCompletion(ms());
        }

        String responseTopic() {
            return prefix() + "/devices/" + id + "/ledger/response";
        }

        void submit(byte[] tx) throws MqttException {
            MqttMessage m = new MqttMessage(tx);
            m.setQos(1);
            client.publish(prefix() + "/devices/" + id + "/tx", m).waitForCompletion(ms());
        }

        void request(byte[] payload, String responseTopic, byte[] correlation) throws MqttException {
            MqttMessage m = new MqttMessage(payload);
            m.setQos(1);
            MqttProperties p = new MqttProperties();
            if (responseTopic != null) {
                p.setResponseTopic(responseTopic);
            }
            p.setCorrelationData(correlation);
            m.setProperties(p);
            client.publish(prefix() + "/devices/" + id + "/ledger/request", m).waitForCompletion(ms());
        }

        Receipt receipt() throws Exception {
            MqttMessage m = receipts.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(m, "no receipt for " + id);
            return Receipt.parseFrom(m.getPayload());
        }

        MqttMessage response() throws InterruptedException {
            MqttMessage m = responses.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(m, "no light block response for " + id);
            return m;
        }
    }

    private MqttAsyncClient client(String id, java.util.function.BiConsumer<String, MqttMessage> onMessage) throws MqttException {
        MqttAsyncClient c = new MqttAsyncClient(broker.uri(), id + "-" + HexFormat.of().toHexDigits(RUN.get()), new MemoryPersistence());
        c.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {}

            @Override
            public void mqttErrorOccurred(MqttException exception) {}

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                onMessage.accept(topic, message);
            }

            @Override
            public void deliveryComplete(IMqttToken token) {}

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {}

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {}
        });
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setSocketFactory(new io.wattproof.agent.uplink.NoDelaySocketFactory());
        c.connect(o).waitForCompletion(ms());
        open.push(() -> {
            if (c.isConnected()) {
                c.disconnect().waitForCompletion(ms());
            }
            c.close();
        });
        return c;
    }
}
