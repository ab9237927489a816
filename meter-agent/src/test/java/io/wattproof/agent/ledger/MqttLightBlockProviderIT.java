package io.wattproof.agent.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.ByteString;
import io.wattproof.agent.uplink.LedgerChannel;
import io.wattproof.agent.uplink.MqttUplink;
import io.wattproof.agent.uplink.MqttUplinkConfig;
import io.wattproof.agent.uplink.Uplink;
import io.wattproof.lightclient.encoding.Hashes;
import io.wattproof.lightclient.encoding.LightBlockCodec;
import io.wattproof.lightclient.provider.ProviderException;
import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.protocol.v1.LightBlockRequest;
import io.wattproof.protocol.v1.LightBlockResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
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
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Light blocks over Debian's Mosquitto (2.0, MQTT 5): the uplink publishes the request with a
 * response topic and correlation data, an in-test responder answers as the gateway does, and the
 * provider gets the block; it times out when nobody answers and ignores an answer carrying other
 * correlation data. Receipts reach the ledger subscriber on the same connection.
 */
class MqttLightBlockProviderIT {
    private static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");
    private static final String DEVICE = "00112233445566778899aabbccddeeff00112233";

    @TempDir
    Path dir;
    private Process broker;
    private int port;
    private MqttUplink uplink;
    private MqttAsyncClient responder;
    private final LedgerChain chain = new LedgerChain(11);
    private final BlockingQueue<byte[]> receipts = new LinkedBlockingQueue<>();
    private final BlockingQueue<byte[]> bookings = new LinkedBlockingQueue<>();
    /** What reached the device's tx topic, as the gateway would see it. */
    private final BlockingQueue<byte[]> txs = new LinkedBlockingQueue<>();
    private MqttLightBlockProvider provider;
    /** What the responder does with a request: answer it properly, not at all, or with foreign correlation data. */
    private volatile String mode = "answer";

    @BeforeEach
    void start() throws Exception {
        for (int i = 0; i < 4; i++) {
            chain.commit(List.of(new byte[] {(byte) i}));
        }
        if (!Files.isExecutable(MOSQUITTO)) {
            fail(MOSQUITTO + " is missing: install it with 'apt-get install mosquitto'");
        }
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path conf = Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n",
                "user " + System.getProperty("user.name"), "persistence false", "log_dest stderr",
                "listener " + port + " 127.0.0.1", "allow_anonymous true", ""));
        broker = new ProcessBuilder(MOSQUITTO.toString(), "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.log").toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                break;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline || !broker.isAlive()) {
                    fail("mosquitto did not listen on " + port + ": " + Files.readString(dir.resolve("mosquitto.log")));
                }
                Thread.sleep(50);
            }
        }
        startResponder();
        uplink = new MqttUplink(MqttUplinkConfig.of("tcp://127.0.0.1:" + port, DEVICE));
        provider = new MqttLightBlockProvider("tcp://127.0.0.1:" + port, uplink, Duration.ofSeconds(5));
        CountDownLatch subscribed = new CountDownLatch(1);
        uplink.ledger(new LedgerChannel.Subscriber() {
            @Override
            public void connected() {
                subscribed.countDown();
            }

            @Override
            public void receipt(byte[] payload) {
                receipts.add(payload);
            }

            @Override
            public void booking(byte[] payload) {
                bookings.add(payload);
            }

            @Override
            public void lightBlockResponse(byte[] correlationData, byte[] payload) {
                provider.answered(correlationData, payload);
            }
        });
        uplink.start(new Uplink.Listener() {
            public void connected(int window) {}

            public void disconnected(String reason) {}

            public void acknowledged(long sequence) {}

            public void refused(long sequence, int reasonCode) {}
        });
        assertTrue(subscribed.await(15, TimeUnit.SECONDS), "uplink did not connect");
    }

    /** The gateway's half: shared-subscription-free, one responder answering on the request's response topic. */
    private void startResponder() throws MqttException {
        responder = new MqttAsyncClient("tcp://127.0.0.1:" + port, "gateway-under-test", new MemoryPersistence());
        responder.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) throws Exception {
                if (topic.endsWith("/tx")) {
                    txs.add(message.getPayload());
                    return;
                }
                MqttProperties in = message.getProperties();
                long height = LightBlockRequest.parseFrom(message.getPayload()).getHeight();
                if (mode.equals("silent")) {
                    return;
                }
                long h = height == 0 ? chain.height() : height;
                LightBlock b = chain.block(h);
                MqttMessage answer = new MqttMessage(LightBlockResponse.newBuilder()
                        .setLightBlock(ByteString.copyFrom(LightBlockCodec.encode(b)))
                        .setNextValidatorSet(ByteString.copyFrom(LightBlockCodec.encodeValidatorSet(b.nextValidators().orElseThrow())))
                        .setLatestHeight(chain.height()).build().toByteArray());
                answer.setQos(1);
                MqttProperties out = new MqttProperties();
                byte[] correlation = in.getCorrelationData().clone();
                if (mode.equals("foreign")) {
                    correlation[correlation.length - 1] ^= 1;
                }
                out.setCorrelationData(correlation);
                answer.setProperties(out);
                responder.publish(in.getResponseTopic(), answer);
            }

            public void disconnected(MqttDisconnectResponse r) {}

            public void mqttErrorOccurred(MqttException e) {}

            public void deliveryComplete(IMqttToken t) {}

            public void connectComplete(boolean reconnect, String uri) {}

            public void authPacketArrived(int code, MqttProperties p) {}
        });
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        responder.connect(o).waitForCompletion(10_000);
        responder.subscribe("wattproof/v1/devices/+/ledger/request", 1).waitForCompletion(10_000);
        responder.subscribe("wattproof/v1/devices/+/tx", 1).waitForCompletion(10_000);
    }

    @AfterEach
    void stop() throws Exception {
        if (uplink != null) {
            uplink.close();
        }
        if (responder != null) {
            try {
                responder.disconnect().waitForCompletion(3000);
            } catch (MqttException ignored) {
                // The broker goes next anyway.
            }
            responder.close(true);
        }
        if (broker != null) {
            broker.destroy();
            if (!broker.waitFor(10, TimeUnit.SECONDS)) {
                broker.destroyForcibly();
            }
        }
    }

    @Test
    void theProviderGetsTheBlockItAskedForAndTheLatest() throws Exception {
        LightBlock three = provider.lightBlock(3);
        assertEquals(Hashes.header(chain.block(3).header()), Hashes.header(three.header()));
        assertTrue(three.nextValidators().isPresent());
        assertEquals(4, provider.latest().height());
    }

    @Test
    void nobodyAnsweringIsUnavailable() {
        mode = "silent";
        MqttLightBlockProvider quick = new MqttLightBlockProvider("broker", uplink, Duration.ofMillis(500));
        assertThrows(ProviderException.Unavailable.class, () -> quick.lightBlock(2));
    }

    @Test
    void anAnswerWithForeignCorrelationDataIsIgnored() throws Exception {
        mode = "foreign";
        MqttLightBlockProvider quick = new MqttLightBlockProvider("broker", uplink, Duration.ofMillis(1500));
        provider = quick;
        ProviderException.Unavailable e = assertThrows(ProviderException.Unavailable.class, () -> quick.lightBlock(2));
        assertTrue(e.getMessage().contains("no answer"), e.getMessage());
        mode = "answer";
        assertEquals(2, quick.lightBlock(2).height());
    }

    @Test
    void receiptsReachTheLedgerSubscriber() throws Exception {
        MqttMessage m = new MqttMessage(new byte[] {1, 2, 3});
        m.setQos(1);
        responder.publish("wattproof/v1/devices/" + DEVICE + "/receipts", m).waitForCompletion(5000);
        byte[] got = receipts.poll(10, TimeUnit.SECONDS);
        assertTrue(got != null && got.length == 3 && got[2] == 3, "receipt not delivered");
    }

    @Test
    void bookingsReachTheLedgerSubscriberApartFromReceipts() throws Exception {
        MqttMessage m = new MqttMessage(new byte[] {4, 5});
        m.setQos(1);
        responder.publish(uplink.bookingsTopic(), m).waitForCompletion(5000);
        byte[] got = bookings.poll(10, TimeUnit.SECONDS);
        assertTrue(got != null && got.length == 2 && got[1] == 5, "booking not delivered");
        assertEquals("wattproof/v1/devices/" + DEVICE + "/bookings", uplink.bookingsTopic());
        assertEquals(null, receipts.poll(200, TimeUnit.MILLISECONDS), "a booking is no receipt");
    }

    @Test
    void aTransactionThatIsNoRecordGoesToTheTxTopic() throws Exception {
        assertTrue(uplink.sendTransaction(new byte[] {7, 7, 7}));
        byte[] got = txs.poll(10, TimeUnit.SECONDS);
        assertTrue(got != null && got.length == 3 && got[0] == 7, "transaction not delivered");
    }
}
