package io.wattproof.simulator.broker;

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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded broker with Paho v5 clients, over loopback. One broker serves the messaging tests;
 * the last test stops it and checks that the port is free again. No timing assertions: waits are
 * generous upper bounds only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmbeddedBrokerTest {

    private static final long WAIT_SECONDS = 30;

    private Path runFolder;

    private EmbeddedBroker broker;
    private final List<MqttAsyncClient> clients = new ArrayList<>();

    @BeforeAll
    void startBroker(@TempDir Path tempDir) throws IOException {
        runFolder = tempDir;
        broker = EmbeddedBroker.start(runFolder.resolve("broker"), 0);
    }

    @AfterAll
    void stopBroker() {
        broker.close();
    }

    @AfterEach
    void closeClients() {
        for (MqttAsyncClient c : clients) {
            try {
                if (c.isConnected()) {
                    c.disconnect().waitForCompletion(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
                }
                c.close();
            } catch (MqttException e) {
                // best effort
            }
        }
        clients.clear();
    }

    @Test
    @Order(1)
    void startsOnAFreeLoopbackPortWithItsFilesInTheRunFolder() throws IOException {
        assertTrue(broker.port() > 0);
        assertEquals("tcp://127.0.0.1:" + broker.port(), broker.uri());
        Path root = runFolder.resolve("broker");
        String config = Files.readString(root.resolve("conf/config.xml"));
        assertTrue(config.contains("<mode>in-memory</mode>"), config);
        assertTrue(config.contains("<bind-address>127.0.0.1</bind-address>"), config);
        assertTrue(Pattern.compile("<anonymous-usage-statistics>\\s*<enabled>false</enabled>").matcher(config).find(), config);
        assertTrue(Files.isDirectory(root.resolve("data")));
        assertTrue(Files.isDirectory(root.resolve("extensions")));
        assertTrue(Files.isDirectory(root.resolve("log")));
        assertTrue(Files.exists(root.resolve("data/meta.id")), "HiveMQ writes its data folder inside the run folder");
    }

    @Test
    @Order(2)
    void listensOn127001Only() throws IOException {
        try (Socket s = new Socket(InetAddress.getByName("127.0.0.1"), broker.port())) {
            assertTrue(s.isConnected());
        }
        // On Linux all of 127/8 reaches the loopback interface: a broker bound to 0.0.0.0 would accept here.
        assertThrows(ConnectException.class, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), broker.port()), 5000);
            }
        });
    }

    @Test
    @Order(3)
    void deliversAQos1PublishToASubscriber() throws Exception {
        BlockingQueue<MqttMessage> received = new LinkedBlockingQueue<>();
        MqttAsyncClient sub = connect("sub-1", (topic, m) -> received.add(m));
        sub.subscribe(new MqttSubscription("meters/+/readings", 1)).waitForCompletion(ms());

        MqttAsyncClient pub = connect("pub-1", (t, m) -> { });
        MqttMessage m = new MqttMessage("reading-1".getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        IMqttToken ack = pub.publish("meters/m1/readings", m);
        ack.waitForCompletion(ms());
        assertTrue(ack.isComplete());
        assertEquals(null, ack.getException());

        MqttMessage got = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(got, "subscriber received nothing");
        assertEquals("reading-1", new String(got.getPayload(), StandardCharsets.UTF_8));
        assertEquals(1, got.getQos());
    }

    @Test
    @Order(4)
    void passesResponseTopicAndCorrelationDataThrough() throws Exception {
        // Responder: echoes each request to its response topic with the same correlation data.
        MqttAsyncClient[] responder = new MqttAsyncClient[1];
        responder[0] = connect("responder", (topic, request) -> {
            MqttProperties in = request.getProperties();
            MqttMessage reply = new MqttMessage(("echo:" + new String(request.getPayload(), StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8));
            reply.setQos(1);
            MqttProperties out = new MqttProperties();
            out.setCorrelationData(in.getCorrelationData());
            reply.setProperties(out);
            try {
                responder[0].publish(in.getResponseTopic(), reply);
            } catch (MqttException e) {
                throw new IllegalStateException(e);
            }
        });
        responder[0].subscribe(new MqttSubscription("service/echo", 1)).waitForCompletion(ms());

        BlockingQueue<MqttMessage> replies = new LinkedBlockingQueue<>();
        MqttAsyncClient requester = connect("requester", (topic, m) -> replies.add(m));
        String responseTopic = "replies/requester";
        requester.subscribe(new MqttSubscription(responseTopic, 1)).waitForCompletion(ms());

        byte[] correlation = {1, 2, 3, 42, (byte) 0xff};
        MqttMessage request = new MqttMessage("ping".getBytes(StandardCharsets.UTF_8));
        request.setQos(1);
        MqttProperties props = new MqttProperties();
        props.setResponseTopic(responseTopic);
        props.setCorrelationData(correlation);
        request.setProperties(props);
        requester.publish("service/echo", request).waitForCompletion(ms());

        MqttMessage reply = replies.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(reply, "no reply on the response topic");
        assertEquals("echo:ping", new String(reply.getPayload(), StandardCharsets.UTF_8));
        assertArrayEquals(correlation, reply.getProperties().getCorrelationData());
    }

    @Test
    @Order(5)
    void splitsASharedSubscriptionBetweenItsMembers() throws Exception {
        // Paho v5's per-subscription listeners do not fire for $share filters: use the client callback.
        Set<String> byA = ConcurrentHashMap.newKeySet();
        Set<String> byB = ConcurrentHashMap.newKeySet();
        MqttAsyncClient a = connect("member-a", (t, m) -> byA.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
        MqttAsyncClient b = connect("member-b", (t, m) -> byB.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
        a.subscribe(new MqttSubscription("$share/ledger/tx/#", 1)).waitForCompletion(ms());
        b.subscribe(new MqttSubscription("$share/ledger/tx/#", 1)).waitForCompletion(ms());

        // One message at a time, each delivered before the next is sent: HiveMQ then offers each
        // to a member picked at random. (Under load it is not balanced: a member that is still busy
        // keeps being served and idle ones are not woken; see docs/broker.md.)
        MqttAsyncClient pub = connect("tx-pub", (t, m) -> { });
        int n = 40;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        for (int i = 0; i < n; i++) {
            MqttMessage m = new MqttMessage(("tx-" + i).getBytes(StandardCharsets.UTF_8));
            m.setQos(1);
            pub.publish("tx/dev" + (i % 4), m).waitForCompletion(ms());
            while (byA.size() + byB.size() < i + 1 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
        }

        assertEquals(n, byA.size() + byB.size(), "every message reaches a member");
        Set<String> both = ConcurrentHashMap.newKeySet();
        both.addAll(byA);
        both.retainAll(byB);
        assertTrue(both.isEmpty(), "no message reaches both members: " + both);
        // Each of the 40 goes to either member with even odds: all to one is a 1-in-5e11 event.
        assertFalse(byA.isEmpty(), "member a got none of " + n);
        assertFalse(byB.isEmpty(), "member b got none of " + n);
    }

    @Test
    @Order(6)
    void refusesASecondBrokerInTheSameJvm() {
        assertThrows(IllegalStateException.class, () -> EmbeddedBroker.start(runFolder.resolve("second"), 0));
    }

    @Test
    @Order(100)
    void closeReleasesThePort() throws IOException {
        int port = broker.port();
        broker.close();
        broker.close(); // idempotent

        assertThrows(ConnectException.class, () -> new Socket(InetAddress.getByName("127.0.0.1"), port).close());
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
            assertEquals(port, s.getLocalPort());
        }
        // And a new broker can take the same port.
        broker = EmbeddedBroker.start(runFolder.resolve("again"), port);
        assertEquals(port, broker.port());
    }

    // ---------------------------------------------------------------- helpers

    private static long ms() {
        return TimeUnit.SECONDS.toMillis(WAIT_SECONDS);
    }

    private MqttAsyncClient connect(String id, BiConsumer<String, MqttMessage> onMessage) throws MqttException {
        MqttAsyncClient c = new MqttAsyncClient(broker.uri(), id, new MemoryPersistence());
        clients.add(c);
        c.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                onMessage.accept(topic, message);
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        c.connect(o).waitForCompletion(ms());
        return c;
    }
}
