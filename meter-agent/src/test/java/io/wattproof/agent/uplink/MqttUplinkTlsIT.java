package io.wattproof.agent.uplink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.cert.CertificateAuthority;
import io.wattproof.crypto.cert.CertificationRequests;
import io.wattproof.crypto.cert.CsrSubject;
import io.wattproof.crypto.cert.DeviceKeyManager;
import io.wattproof.crypto.cert.DeviceTls;
import io.wattproof.crypto.cert.Validity;
import io.wattproof.crypto.soft.SoftwareKeyStore;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLContext;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The uplink against Debian's Mosquitto 2.0 run from docs/examples/mosquitto: mutual TLS with a
 * device key in a software store, per-device ACLs, last will, and what the uplink reports when the
 * broker refuses it.
 */
class MqttUplinkTlsIT {
    @TempDir
    static Path dir;
    private static WattproofMosquitto broker;
    private static SSLContext ingestTls;
    private static int devices;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = WattproofMosquitto.start(dir);
        ingestTls = broker.ingestTls();
    }

    @AfterAll
    static void stopBroker() throws InterruptedException {
        if (broker != null) {
            broker.close();
        }
    }

    record Device(DeviceKey key, DeviceKeyManager keyManager) {
        String id() {
            return key.deviceId().hex();
        }
    }

    private static Device device(CertificateAuthority authority) throws Exception {
        Path store = dir.resolve("device-" + ++devices);
        Path secret = dir.resolve("device-" + devices + ".secret");
        SoftwareKeyStore.createSecret(secret);
        DeviceKey key = SoftwareKeyStore.create(store, KeyAlgorithm.ECDSA_P256_SHA256, secret);
        X509Certificate certificate = authority.issueDevice(CertificationRequests.create(key, CsrSubject.of("Wattproof", "test")),
                Validity.days(Instant.now().minusSeconds(60), 1));
        return new Device(key, DeviceKeyManager.of(key, List.of(certificate)));
    }

    /** Every uplink event in order, as text: "connected 10", "acknowledged 1", "disconnected ...". */
    static final class Events implements Uplink.Listener {
        final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        final List<String> all = new CopyOnWriteArrayList<>();

        private void add(String event) {
            all.add(event);
            queue.add(event);
        }

        @Override
        public void connected(int window) {
            add("connected " + window);
        }

        @Override
        public void disconnected(String reason) {
            add("disconnected " + reason);
        }

        @Override
        public void acknowledged(long sequence) {
            add("acknowledged " + sequence);
        }

        @Override
        public void refused(long sequence, int reasonCode) {
            add("refused " + sequence + " 0x" + Integer.toHexString(reasonCode));
        }

        String next() throws InterruptedException {
            String e = queue.poll(10, TimeUnit.SECONDS);
            assertNotNull(e, "no uplink event within 10 s; so far " + all);
            return e;
        }

        long count(String prefix) {
            return all.stream().filter(e -> e.startsWith(prefix)).count();
        }
    }

    /** Draws the top of every back-off window, so a test knows the uplink will not be back soon. */
    static final class TopOfRange implements RandomGenerator {
        @Override
        public long nextLong() {
            throw new UnsupportedOperationException();
        }

        @Override
        public long nextLong(long bound) {
            return bound - 1;
        }
    }

    record Received(String topic, String payload, boolean retained) {}

    /** The ledger's ingest service: certificate CN wattproof-ingest, allowed to read every device. */
    static final class Ingest implements AutoCloseable {
        final BlockingQueue<Received> messages = new LinkedBlockingQueue<>();
        final MqttAsyncClient client;

        Ingest(String... filters) throws MqttException {
            client = new MqttAsyncClient(broker.uri(), "ingest-" + System.nanoTime(), new MemoryPersistence());
            client.setCallback(new MqttCallback() {
                @Override
                public void disconnected(MqttDisconnectResponse response) {}

                @Override
                public void mqttErrorOccurred(MqttException exception) {}

                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    messages.add(new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8), message.isRetained()));
                }

                @Override
                public void deliveryComplete(IMqttToken token) {}

                @Override
                public void connectComplete(boolean reconnect, String serverURI) {}

                @Override
                public void authPacketArrived(int reasonCode, MqttProperties properties) {}
            });
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setSocketFactory(ingestTls.getSocketFactory());
            options.setHttpsHostnameVerificationEnabled(true);
            client.connect(options).waitForCompletion(10_000);
            for (String filter : filters) {
                IMqttToken subscribed = client.subscribe(filter, 1);
                subscribed.waitForCompletion(10_000);
                assertEquals(1, subscribed.getReasonCodes()[0], "SUBACK for " + filter);
            }
        }

        Received next(Duration wait) throws InterruptedException {
            return messages.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() throws MqttException {
            client.disconnect().waitForCompletion(5_000);
            client.close();
        }
    }

    private static MqttUplinkConfig config(String clientId, Device device) {
        return MqttUplinkConfig.of(broker.uri(), clientId)
                .withReconnectDelays(Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(60))
                .withDeviceTls(device.keyManager(), List.of(broker.ca.certificate()));
    }

    @Test
    void aProvisionedDeviceDeliversOverMutualTls() throws Exception {
        Device device = device(broker.ca);
        String prefix = "wattproof/v1/devices/" + device.id();
        try (Ingest ingest = new Ingest(prefix + "/tx", prefix + "/status");
                MqttUplink uplink = new MqttUplink(config(device.id(), device))) {
            Events events = new Events();
            uplink.start(events);
            // Mosquitto's Receive Maximum is 20; the uplink caps it at 10.
            assertEquals("connected 10", events.next());
            assertEquals(new Received(prefix + "/status", "online", false), ingest.next(Duration.ofSeconds(10)));
            assertTrue(uplink.send(1, new byte[] {1, 2, 3}));
            assertTrue(uplink.send(2, new byte[] {4, 5}));
            assertEquals("acknowledged 1", events.next());
            assertEquals("acknowledged 2", events.next());
            Received first = ingest.next(Duration.ofSeconds(10));
            Received second = ingest.next(Duration.ofSeconds(10));
            assertEquals(prefix + "/tx", first.topic());
            assertArrayEquals(new byte[] {1, 2, 3}, first.payload().getBytes(StandardCharsets.UTF_8));
            assertArrayEquals(new byte[] {4, 5}, second.payload().getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aDeviceCannotUseAnotherDevicesTopics() throws Exception {
        Device a = device(broker.ca);
        Device b = device(broker.ca);
        String bPrefix = "wattproof/v1/devices/" + b.id();
        try (Ingest ingest = new Ingest(bPrefix + "/tx", bPrefix + "/status")) {
            // Device a, with its own certificate, claims b's id: every topic it would use is b's.
            // Mosquitto 2.0.11 lets it connect (the last will's topic is checked only when the
            // will is sent) and answers each publish with PUBACK 0x87; should a broker close the
            // connection instead, the uplink reports that and backs off.
            Events events = new Events();
            MqttUplinkConfig claiming = config(b.id(), a);
            RecordingSslSocketFactory sockets = new RecordingSslSocketFactory(claiming.tls());
            try (MqttUplink uplink = new MqttUplink(claiming.withTls(sockets))) {
                uplink.start(events);
                String first = events.next();
                if (first.startsWith("connected")) {
                    assertTrue(uplink.send(1, new byte[] {9}));
                    String answer = events.next();
                    assertTrue(answer.equals("refused 1 0x87") || answer.startsWith("disconnected"), answer);
                } else {
                    assertTrue(first.startsWith("disconnected"), first);
                }
                // Vanish without DISCONNECT: the broker drops the last will aimed at b's status.
                sockets.cutAll();
                Thread.sleep(2_000);
            }
            assertEquals(0, events.count("acknowledged"), events.all.toString());
            // Back-off from 0-200 ms, doubling: a handful of attempts in 2 s, not a tight loop.
            assertTrue(events.count("disconnected") <= 10, "attempts in 2 s: " + events.all);
            assertNull(ingest.next(Duration.ofMillis(500)), "b's subscriber received something from a");

            // A plain client with a's certificate and no last will publishing straight into b's topic.
            MqttAsyncClient raw = new MqttAsyncClient(broker.uri(), a.id(), new MemoryPersistence());
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setSocketFactory(config(a.id(), a).tls());
            raw.connect(options).waitForCompletion(10_000);
            String outcome;
            // Without a last will, the refusal of the publish itself shows.
            try {
                IMqttToken published = raw.publish(bPrefix + "/tx", new MqttMessage(new byte[] {7}));
                published.waitForCompletion(10_000);
                outcome = "puback 0x" + Integer.toHexString(published.getReasonCodes()[0]);
            } catch (MqttException e) {
                outcome = "failed " + MqttUplink.describe(e);
            }
            assertTrue(outcome.equals("puback 0x87") || !raw.isConnected(), outcome);
            if (raw.isConnected()) {
                raw.disconnect().waitForCompletion(5_000);
            }
            raw.close(true);
            assertNull(ingest.next(Duration.ofMillis(500)), "b's subscriber received a's publish");
        }
    }

    /** A client with the given TLS context whose messages land in {@code into}. */
    private static MqttAsyncClient client(String clientId, SSLContext tls, BlockingQueue<Received> into) throws MqttException {
        MqttAsyncClient c = new MqttAsyncClient(broker.uri(), clientId, new MemoryPersistence());
        c.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {}

            @Override
            public void mqttErrorOccurred(MqttException exception) {}

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                into.add(new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8), message.isRetained()));
            }

            @Override
            public void deliveryComplete(IMqttToken token) {}

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {}

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {}
        });
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setSocketFactory(tls.getSocketFactory());
        options.setHttpsHostnameVerificationEnabled(true);
        c.connect(options).waitForCompletion(10_000);
        return c;
    }

    private static int subscribe(MqttAsyncClient c, String filter, int qos) throws MqttException {
        IMqttToken t = c.subscribe(filter, qos);
        t.waitForCompletion(10_000);
        return t.getReasonCodes()[0];
    }

    @Test
    void aDeviceAnnouncesOnlyItsOwnHomeAssistantSensorsAndHearsHomeAssistantsBirth() throws Exception {
        Device a = device(broker.ca);
        Device b = device(broker.ca);
        String own = "homeassistant/sensor/wattproof_" + a.id() + "/power/config";
        String others = "homeassistant/sensor/wattproof_" + b.id() + "/power/config";
        BlockingQueue<Received> atHa = new LinkedBlockingQueue<>();
        BlockingQueue<Received> atDevice = new LinkedBlockingQueue<>();
        MqttAsyncClient ha = client("ha-" + System.nanoTime(), broker.clientTls("homeassistant"), atHa);
        MqttAsyncClient device = client(a.id(), deviceTls(a), atDevice);
        try {
            assertEquals(1, subscribe(ha, "homeassistant/sensor/#", 1), "home assistant reads discovery configs");
            assertEquals(1, subscribe(ha, "wattproof/v1/devices/+/telemetry", 1), "home assistant reads telemetry");
            assertEquals(1, subscribe(ha, "wattproof/v1/devices/+/status", 1), "home assistant reads status");

            MqttMessage config = new MqttMessage("{}".getBytes(StandardCharsets.UTF_8));
            config.setQos(1);
            config.setRetained(true);
            IMqttToken ownPublish = device.publish(own, config);
            ownPublish.waitForCompletion(10_000);
            assertEquals(0, ownPublish.getReasonCodes()[0], "PUBACK for the device's own config");
            assertEquals(own, nextConfig(atHa, Duration.ofSeconds(10)).topic());

            assertEquals(0, subscribe(device, "homeassistant/status", 0), "the device hears the birth message");
            // Mosquitto 2.0 grants a subscription and applies the read ACL to each message: the
            // retained config would arrive before the birth below if the device could read it.
            subscribe(device, "homeassistant/sensor/#", 0);
            MqttMessage birth = new MqttMessage("online".getBytes(StandardCharsets.UTF_8));
            ha.publish("homeassistant/status", birth).waitForCompletion(10_000);
            assertEquals(new Received("homeassistant/status", "online", false), atDevice.poll(10, TimeUnit.SECONDS),
                    "the birth, and no discovery config before it");

            // Another device's node id at QoS 0, as the agent publishes: dropped, the connection
            // stays (the records share it), and a later own publish still succeeds.
            MqttMessage quiet = new MqttMessage("{}".getBytes(StandardCharsets.UTF_8));
            quiet.setQos(0);
            quiet.setRetained(true);
            device.publish(others, quiet).waitForCompletion(10_000);
            IMqttToken after = device.publish(own, config);
            after.waitForCompletion(10_000);
            assertTrue(device.isConnected(), "a refused QoS 0 publish closed the connection");
            assertEquals(0, after.getReasonCodes()[0]);
            assertEquals(own, nextConfig(atHa, Duration.ofSeconds(10)).topic(), "only the own config arrives");

            // At QoS 1: PUBACK 0x87, or (a broker that does so over TLS) the connection closes.
            String outcome;
            try {
                IMqttToken published = device.publish(others, config);
                published.waitForCompletion(10_000);
                outcome = "puback 0x" + Integer.toHexString(published.getReasonCodes()[0]);
            } catch (MqttException e) {
                outcome = "failed " + MqttUplink.describe(e);
            }
            assertTrue(outcome.equals("puback 0x87") || !device.isConnected(), outcome);
            assertNull(nextConfig(atHa, Duration.ofMillis(500)), "home assistant received another device's config from a");

            // Clear the retained config so later runs on a kept broker start empty.
            MqttMessage empty = new MqttMessage(new byte[0]);
            empty.setRetained(true);
            if (device.isConnected()) {
                device.publish(own, empty).waitForCompletion(10_000);
            }
        } finally {
            for (MqttAsyncClient c : List.of(ha, device)) {
                if (c.isConnected()) {
                    c.disconnect().waitForCompletion(5_000);
                }
                c.close(true);
            }
        }
    }

    /** The next discovery config, skipping the retained statuses of other tests' devices. */
    private static Received nextConfig(BlockingQueue<Received> queue, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            Received r = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (r == null || r.topic().startsWith("homeassistant/")) {
                return r;
            }
        }
    }

    /** The device's own mutual TLS, as the uplink makes it. */
    private static SSLContext deviceTls(Device d) {
        return DeviceTls.clientContext(d.keyManager(), List.of(broker.ca.certificate()));
    }

    @Test
    void aCertificateFromAnotherAuthorityIsRefusedAndReported() throws Exception {
        CertificateAuthority other = CertificateAuthority.create(dir.resolve("other-ca"), "CN=other ca",
                Validity.days(Instant.now().minusSeconds(3600), 30));
        Device stranger = device(other);
        Events events = new Events();
        try (MqttUplink uplink = new MqttUplink(config(stranger.id(), stranger))) {
            uplink.start(events);
            String first = events.next();
            assertTrue(first.startsWith("disconnected connect failed"), first);
            Thread.sleep(3_000);
        }
        assertEquals(0, events.count("connected"), events.all.toString());
        long reports = events.count("disconnected");
        assertTrue(reports <= 10, "attempts in 3 s: " + reports + " " + events.all);
        String said = broker.logText();
        assertTrue(said.contains("certificate verify failed"), said);
    }

    @Test
    void aVanishedDeviceLeavesARetainedOffline() throws Exception {
        Device device = device(broker.ca);
        String status = "wattproof/v1/devices/" + device.id() + "/status";
        MqttUplinkConfig base = config(device.id(), device);
        RecordingSslSocketFactory sockets = new RecordingSslSocketFactory(base.tls());
        // The top of a 30 s window: the uplink stays away while the test looks at the broker.
        MqttUplinkConfig config = base.withTls(sockets)
                .withReconnectDelays(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(60));
        try (Ingest live = new Ingest(status);
                MqttUplink uplink = new MqttUplink(config, Clock.systemUTC(), new TopOfRange())) {
            Events events = new Events();
            uplink.start(events);
            assertTrue(events.next().startsWith("connected"));
            assertEquals(new Received(status, "online", false), live.next(Duration.ofSeconds(10)));
            try (Ingest late = new Ingest(status)) {
                assertEquals(new Received(status, "online", true), late.next(Duration.ofSeconds(10)));
            }

            sockets.cutAll();
            assertTrue(events.next().startsWith("disconnected"));
            assertEquals(new Received(status, "offline", false), live.next(Duration.ofSeconds(10)));
            try (Ingest late = new Ingest(status)) {
                assertEquals(new Received(status, "offline", true), late.next(Duration.ofSeconds(10)));
            }
            assertEquals(1, events.count("connected"), events.all.toString());
        }
    }

    @Test
    void aBrokerWhoseCertificateDoesNotNameTheHostIsRefused() throws Exception {
        // The broker's certificate names 127.0.0.1 only; "localhost" reaches the same listener but
        // is a DNS name the certificate does not carry (RFC 6125 section 6.4).
        assertEquals("127.0.0.1", InetAddress.getByName("localhost").getHostAddress(), "this test needs localhost as 127.0.0.1");
        Device device = device(broker.ca);
        MqttUplinkConfig byName = MqttUplinkConfig.of("ssl://localhost:" + broker.port, device.id())
                .withReconnectDelays(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(60))
                .withDeviceTls(device.keyManager(), List.of(broker.ca.certificate()));
        Events events = new Events();
        try (MqttUplink uplink = new MqttUplink(byName, Clock.systemUTC(), new TopOfRange())) {
            uplink.start(events);
            String first = events.next();
            assertTrue(first.startsWith("disconnected connect failed") && first.contains("localhost"), first);
        }
        assertEquals(0, events.count("connected"), events.all.toString());
    }
}
