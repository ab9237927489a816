package io.wattproof.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.ByteString;
import io.wattproof.agent.MeterAgentTest.CountingMeter;
import io.wattproof.agent.ledger.FakeGateway;
import io.wattproof.agent.ledger.LedgerChain;
import io.wattproof.agent.ledger.LedgerCounters;
import io.wattproof.agent.ledger.LedgerSettings;
import io.wattproof.agent.outbox.MemoryOutbox;
import io.wattproof.agent.provision.TrustAnchor;
import io.wattproof.agent.record.FirmwareIdentity;
import io.wattproof.agent.uplink.MqttUplink;
import io.wattproof.agent.uplink.MqttUplinkConfig;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole loop through Debian's Mosquitto: the agent sends records on its tx topic, a gateway in
 * the test puts them into blocks and answers with receipts and light blocks on the device's topics
 * (docs/ledger.md), and every record becomes final; the first block is served forged once, which
 * is counted and changes nothing until the re-submission is answered honestly.
 */
class MeterAgentLedgerIT {
    private static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");

    @TempDir
    Path dir;

    private final TestDeviceKey key = new TestDeviceKey();
    private final LedgerChain chain = new LedgerChain(17, Instant.now().minus(Duration.ofHours(1)));

    @Test
    void recordsBecomeFinalThroughTheBrokerDespiteAForgedHeader() throws Exception {
        chain.commit(List.of());
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Process broker = startBroker(port);
        MqttAsyncClient gatewayClient = new MqttAsyncClient("tcp://127.0.0.1:" + port, "gateway-under-test", new MemoryPersistence());
        try {
            String device = key.deviceId().hex();
            FakeGateway gateway = new FakeGateway(chain, receipt -> publish(gatewayClient,
                    "wattproof/v1/devices/" + device + "/receipts", receipt, null));
            gateway.forgeHeightOnce = 2;
            gatewayClient.setCallback(new GatewayCallback(gatewayClient, gateway));
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setCleanStart(true);
            gatewayClient.connect(o).waitForCompletion(10_000);
            gatewayClient.subscribe(new String[] {"wattproof/v1/devices/+/tx", "wattproof/v1/devices/+/ledger/request"},
                    new int[] {1, 1}).waitForCompletion(10_000);

            TrustAnchor anchor = new TrustAnchor("test", LedgerChain.CHAIN_ID, Duration.ofDays(14), chain.block(1));
            AgentConfig config = AgentConfig.builder(dir.resolve("data")).chainId("test-chain").interval(Duration.ofSeconds(1))
                    .meterSerial("42").firmware(new FirmwareIdentity("0.1.0", new byte[32]))
                    .ledger(LedgerSettings.of(anchor).withReceiptTimeout(Duration.ofSeconds(2)).withPruneThreshold(2)
                            .withRequestTimeout(Duration.ofSeconds(5)))
                    .build();
            MqttUplink uplink = new MqttUplink(MqttUplinkConfig.of("tcp://127.0.0.1:" + port, device));
            MemoryOutbox outbox = new MemoryOutbox();
            try (MeterAgent agent = MeterAgent.start(config, key, new CountingMeter(), uplink, Clock.systemUTC(), outbox)) {
                MeterAgentTest.waitFor(() -> agent.status().lastSequence() >= 3, Duration.ofSeconds(30));
                agent.stopMetering();
                assertTrue(agent.awaitFinal(Duration.ofSeconds(30)), "every record final: " + agent.status());
                LedgerCounters c = agent.ledger().orElseThrow();
                assertEquals(agent.status().lastSequence(), c.confirmed());
                assertEquals(1, c.forgeriesDetected(), "the forged block, once: " + c);
                assertTrue(c.verifiedHeight() >= 4, c.toString());
            }
            assertTrue(outbox.prunable() < 2, "pruned: " + outbox.prunable() + " final records left");
        } finally {
            try {
                gatewayClient.disconnect().waitForCompletion(3000);
            } catch (MqttException ignored) {
                // The broker goes next anyway.
            }
            gatewayClient.close(true);
            broker.destroy();
            if (!broker.waitFor(10, TimeUnit.SECONDS)) {
                broker.destroyForcibly();
            }
        }
    }

    private static void publish(MqttAsyncClient client, String topic, byte[] payload, byte[] correlation) {
        MqttMessage m = new MqttMessage(payload);
        m.setQos(1);
        if (correlation != null) {
            MqttProperties p = new MqttProperties();
            p.setCorrelationData(correlation);
            m.setProperties(p);
        }
        try {
            client.publish(topic, m);
        } catch (MqttException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Transactions into blocks, light-block requests answered on the request's response topic. */
    private record GatewayCallback(MqttAsyncClient client, FakeGateway gateway) implements MqttCallback {
        @Override
        public void messageArrived(String topic, MqttMessage message) throws Exception {
            if (topic.endsWith("/tx")) {
                gateway.submit(message.getPayload());
                return;
            }
            MqttProperties in = message.getProperties();
            LightBlockResponse.Builder answer = LightBlockResponse.newBuilder().setLatestHeight(gateway.chain.height());
            try {
                long height = LightBlockRequest.parseFrom(message.getPayload()).getHeight();
                LightBlock b = height == 0 ? gateway.latest() : gateway.lightBlock(height);
                answer.setLightBlock(ByteString.copyFrom(LightBlockCodec.encode(b)))
                        .setNextValidatorSet(ByteString.copyFrom(LightBlockCodec.encodeValidatorSet(b.nextValidators().orElseThrow())));
            } catch (ProviderException e) {
                answer.setError(e.getMessage());
            }
            publish(client, in.getResponseTopic(), answer.build().toByteArray(), in.getCorrelationData());
        }

        public void disconnected(MqttDisconnectResponse r) {}

        public void mqttErrorOccurred(MqttException e) {}

        public void deliveryComplete(IMqttToken t) {}

        public void connectComplete(boolean reconnect, String uri) {}

        public void authPacketArrived(int code, MqttProperties p) {}
    }

    private Process startBroker(int port) throws Exception {
        if (!Files.isExecutable(MOSQUITTO)) {
            fail(MOSQUITTO + " is missing: install it with 'apt-get install mosquitto'");
        }
        Path conf = Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n",
                "user " + System.getProperty("user.name"), "persistence false", "log_dest stderr",
                "listener " + port + " 127.0.0.1", "allow_anonymous true", ""));
        Process p = new ProcessBuilder(MOSQUITTO.toString(), "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.log").toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return p;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline || !p.isAlive()) {
                    fail("mosquitto did not listen on " + port + ": " + Files.readString(dir.resolve("mosquitto.log")));
                }
                Thread.sleep(50);
            }
        }
    }
}
