package io.wattproof.simulator.ledger.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.agent.charging.ChargingTransactions;
import io.wattproof.agent.uplink.NoDelaySocketFactory;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.soft.SoftwareKeyStore;
import io.wattproof.lightclient.tx.ResultInclusion;
import io.wattproof.lightclient.tx.ResultVerdict;
import io.wattproof.lightclient.tx.TxInclusion;
import io.wattproof.lightclient.tx.TxVerdict;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.Header;
import io.wattproof.protocol.v1.Receipt;
import io.wattproof.protocol.v1.TxResultCode;
import io.wattproof.simulator.broker.EmbeddedBroker;
import io.wattproof.simulator.ledger.TxResult;
import io.wattproof.simulator.ledger.app.EnergyApplication;
import io.wattproof.simulator.ledger.app.Genesis;
import io.wattproof.simulator.ledger.app.OperatorTransactions;
import io.wattproof.simulator.ledger.chain.ReferenceLedger;
import io.wattproof.simulator.ledger.chain.ReferenceLedgerConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's charging topics (docs/charging.md, "Topics") on the embedded broker, in front of
 * the reference ledger running the energy application with its real charging rules: a car owner's
 * booking goes in on {@code drivers/<D>/tx} and its receipt comes back on {@code
 * drivers/<D>/receipts}; once the next block is committed, the pile hears of it on {@code
 * devices/<P>/bookings}, with an inclusion proof and a result proof that verify against the
 * ledger's headers, for an accepted booking and for one the block refused.
 */
class GatewayBookingsIT {
    private static final long WAIT_SECONDS = 30;
    private static final String CHAIN = "bookings-it";
    private static final byte[] OWNER = filled(0x0a);
    private static final byte[] DRIVER_PSEUDONYM = filled(0x0d);
    /** X25519 public key u = 9, the curve's base point (RFC 7748 section 4.1). */
    private static final byte[] SEAL_KEY = sealKey();

    private EmbeddedBroker broker;
    private ReferenceLedger ledger;
    private Gateway gateway;
    private MqttAsyncClient driverClient;
    private MqttAsyncClient pileClient;
    private DeviceKey operator;
    private DeviceKey pile;
    private DeviceKey driver;
    private final String prefix = "bk/v1";

    private static byte[] filled(int b) {
        byte[] out = new byte[32];
        Arrays.fill(out, (byte) b);
        return out;
    }

    private static byte[] sealKey() {
        byte[] k = new byte[32];
        k[0] = 9;
        return k;
    }

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret");
        SoftwareKeyStore.createSecret(secret);
        operator = SoftwareKeyStore.create(dir.resolve("operator"), KeyAlgorithm.ED25519, secret);
        pile = SoftwareKeyStore.create(dir.resolve("pile"), KeyAlgorithm.ED25519, secret);
        driver = SoftwareKeyStore.create(dir.resolve("driver"), KeyAlgorithm.ECDSA_P256_SHA256, secret);
        broker = EmbeddedBroker.start(dir.resolve("broker"), 0);
        EnergyApplication app = new EnergyApplication(new Genesis(CHAIN,
                List.of(new Genesis.OperatorKey(operator.algorithm(), operator.publicKeyInfo()))));
        ledger = new ReferenceLedger(ReferenceLedgerConfig.builder().chainId(CHAIN).validators(4).seed(11).build(), app);
        gateway = Gateway.start(GatewayConfig.builder(broker.uri()).clientId("gw-bookings").topicPrefix(prefix).build(), ledger);
    }

    @AfterEach
    void stop() throws Exception {
        for (MqttAsyncClient c : new MqttAsyncClient[] {driverClient, pileClient}) {
            if (c != null) {
                if (c.isConnected()) {
                    c.disconnect().waitForCompletion(ms());
                }
                c.close();
            }
        }
        if (gateway != null) {
            gateway.close();
        }
        if (ledger != null) {
            ledger.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aBookingOfThePilesOfferReachesItsBookingsTopicWithProofsThatVerifyAndTheCarOwnerGetsItsReceipts() throws Exception {
        String pileId = pile.deviceId().hex();
        String driverId = driver.deviceId().hex();
        BlockingQueue<Receipt> driverReceipts = new LinkedBlockingQueue<>();
        BlockingQueue<Receipt> bookings = new LinkedBlockingQueue<>();
        driverClient = client("driver", prefix + "/drivers/" + driverId + "/receipts", driverReceipts);
        pileClient = client("pile", Topics.bookings(prefix, pileId), bookings);

        // The pile registered, its offer and the car owner's credit on the ledger (rules: ChargingRulesTest).
        assertOk(ledger.submit(OperatorTransactions.register(CHAIN, operator, 1, pile.algorithm(), pile.publicKeyInfo(), "raspberry-pi-4",
                "lab", "pile-owner")));
        ledger.produceBlock();
        long now = Instant.now().getEpochSecond();
        byte[] offer = ChargingTransactions.offer(CHAIN, pile, 1, OWNER, 300_000, now - 60, now + 86_400, 11_000);
        assertOk(ledger.submit(offer));
        assertOk(ledger.submit(OperatorTransactions.accountCredit(CHAIN, operator, 2, ChargingTransactions.driverAccount(driver.deviceId()),
                20_000_000)));
        ledger.produceBlock();

        // Two bookings of the same hour: both pass CheckTx (against the last block), the block refuses the second.
        byte[] offerHash = ChargingTransactions.txHash(offer);
        byte[] accepted = ChargingTransactions.booking(CHAIN, driver, 1, offerHash, DRIVER_PSEUDONYM, 20_000, 5_000_000, now + 3600,
                now + 7200, 6_000_000, SEAL_KEY);
        byte[] overlapping = ChargingTransactions.booking(CHAIN, driver, 2, offerHash, DRIVER_PSEUDONYM, 20_000, 5_000_000, now + 3600,
                now + 7200, 6_000_000, SEAL_KEY);
        publish(driverClient, prefix + "/drivers/" + driverId + "/tx", accepted);
        publish(driverClient, prefix + "/drivers/" + driverId + "/tx", overlapping);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (ledger.mempoolSize() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(2, ledger.mempoolSize(), "both bookings in the mempool");
        long h = ledger.produceBlock().height();

        // The car owner's receipts, on its own subtree.
        Receipt first = poll(driverReceipts, "the car owner's receipt");
        Receipt second = poll(driverReceipts, "the car owner's second receipt");
        Receipt ok = Arrays.equals(first.getTxHash().toByteArray(), ChargingTransactions.txHash(accepted)) ? first : second;
        Receipt refused = ok == first ? second : first;
        assertEquals(0, ok.getCode());
        assertEquals(TxResultCode.RESULT_INVALID_VALUE, refused.getCode(), refused.getLog());
        assertEquals(h, ok.getHeight());

        // Nothing on the pile's topic until block h + 1 proves the results.
        assertTrue(gateway.awaitIdle(TimeUnit.SECONDS.toMillis(WAIT_SECONDS)));
        assertNull(bookings.poll(300, TimeUnit.MILLISECONDS), "a booking receipt before its result can be verified");
        ledger.produceBlock();
        Header header = ledger.lightBlock(h).orElseThrow().header();
        Header next = ledger.lightBlock(h + 1).orElseThrow().header();
        for (int i = 0; i < 2; i++) {
            Receipt r = poll(bookings, "a booking receipt on the pile's topic");
            boolean isAccepted = Arrays.equals(r.getTxHash().toByteArray(), ChargingTransactions.txHash(accepted));
            byte[] tx = isAccepted ? accepted : overlapping;
            assertEquals(h, r.getHeight());
            assertArrayEquals(tx, r.getProof().getData().toByteArray(), "proof.data is the booking itself");
            TxVerdict inclusion = TxInclusion.verify(WireMessages.fromWire(r.getProof()), header);
            assertTrue(inclusion.isVerified(), inclusion.describe());
            ResultVerdict result = ResultInclusion.verify(WireMessages.fromWire(r.getResultProof()), h, r.getProof().getProof().getIndex(),
                    next);
            long provenCode = assertInstanceOf(ResultVerdict.Verified.class, result, result.describe()).result().code();
            assertEquals(isAccepted ? 0 : TxResultCode.RESULT_INVALID_VALUE, provenCode);
            assertEquals(provenCode, r.getCode());
        }
        assertTrue(gateway.awaitIdle(TimeUnit.SECONDS.toMillis(WAIT_SECONDS)));
        assertEquals(2, gateway.bookingsPublished());
        // Published once: further blocks send nothing more.
        ledger.produceBlock();
        assertTrue(gateway.awaitIdle(TimeUnit.SECONDS.toMillis(WAIT_SECONDS)));
        assertNull(bookings.poll(300, TimeUnit.MILLISECONDS));
        assertEquals(2, gateway.bookingsPublished());
    }

    private static void assertOk(TxResult r) {
        assertTrue(r.isOk(), r.toString());
    }

    private static Receipt poll(BlockingQueue<Receipt> q, String what) throws InterruptedException {
        Receipt r = q.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(r, "no " + what);
        return r;
    }

    private static long ms() {
        return TimeUnit.SECONDS.toMillis(WAIT_SECONDS);
    }

    private static void publish(MqttAsyncClient c, String topic, byte[] payload) throws MqttException {
        MqttMessage m = new MqttMessage(payload);
        m.setQos(1);
        c.publish(topic, m).waitForCompletion(ms());
    }

    private MqttAsyncClient client(String id, String topic, BlockingQueue<Receipt> into) throws MqttException {
        MqttAsyncClient c = new MqttAsyncClient(broker.uri(), id + "-" + HexFormat.of().toHexDigits(System.nanoTime()), new MemoryPersistence());
        c.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {}

            @Override
            public void mqttErrorOccurred(MqttException exception) {}

            @Override
            public void messageArrived(String t, MqttMessage message) throws Exception {
                into.add(Receipt.parseFrom(message.getPayload()));
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
        o.setSocketFactory(new NoDelaySocketFactory());
        c.connect(o).waitForCompletion(ms());
        c.subscribe(new MqttSubscription[] {new MqttSubscription(topic, 1)}).waitForCompletion(ms());
        return c;
    }
}
