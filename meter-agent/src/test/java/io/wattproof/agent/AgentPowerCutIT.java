package io.wattproof.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.wattproof.agent.outbox.FileOutbox;
import io.wattproof.agent.record.ChainState;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.VerifyingKey;
import io.wattproof.crypto.soft.SoftwareKeyStore;
import io.wattproof.modbus.maps.MeterRegisterImage;
import io.wattproof.modbus.slave.ModbusTcpSlave;
import io.wattproof.modbus.slave.ModbusTcpSlaveConfig;
import io.wattproof.modbus.testing.Sdm630Fixture;
import io.wattproof.protocol.SignBytes;
import io.wattproof.protocol.v1.BodyType;
import io.wattproof.protocol.v1.Reading;
import io.wattproof.protocol.v1.SignedTx;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Power cuts against the whole agent: {@code meter-agent run} in a child JVM, reading an SDM630
 * served over Modbus TCP from this JVM and publishing to a real Mosquitto, is killed with SIGKILL
 * ({@link ProcessHandle#destroyForcibly()} on Linux; no shutdown hook runs) a random 0.5-2.5 s
 * after it reported running, {@link #KILLS} times (30 by default) on one data folder, with a one-second interval. A last run then sends what
 * is left. Everything published on the device's tx topic is collected by a QoS 1 subscriber, and
 * checked against the outbox the agent leaves behind: every record up to the outbox head was
 * received, no sequence number arrived with two different payloads (a record signed twice, or a
 * sequence reused), each signature verifies with the device key, each record's previous_hash is
 * the hash of the one before (docs/protocol.md), and the intervals follow each other without overlap.
 *
 * <p>The kill instants are drawn from a seeded generator; the seed is printed, and {@code
 * -Dwattproof.crashit.seed=N} replays it (the instants still vary with scheduling).
 */
class AgentPowerCutIT {
    private static final String SEED_PROPERTY = "wattproof.crashit.seed";
    private static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");
    /**
     * Kills per CI run: 30 keeps the test near two minutes, each CI run draws new instants, and
     * {@code -Dwattproof.crashit.kills=N} runs more by hand (200 makes a good soak).
     */
    private static final int KILLS = Integer.getInteger("wattproof.crashit.kills", 30);
    /**
     * Each run lives this long after it reported running (outbox open, metering started), drawn
     * uniformly, in milliseconds. With a one-second interval the first record of a run is signed
     * at its second boundary, 1-2 s after that, so about half of the runs die before signing
     * anything and the rest die somewhere around signing, storing, sending or resending.
     */
    private static final int MIN_RUN_MILLIS = 500;
    private static final int MAX_RUN_MILLIS = 2500;
    /** The final run is over when nothing new arrived for this long after the meter went silent. */
    private static final long QUIET_MILLIS = 3000;
    /** Guards against a hung child or broker only; nothing here measures time. */
    private static final long GUARD_SECONDS = 60;
    private static final String CHAIN_ID = "wattproof-sim"; // the run command's default
    private static final int UNIT = 1;

    @TempDir
    Path dir;

    @Test
    void killedFiftyTimesTheAgentLosesNoRecordReusesNoSequenceAndSignsNothingTwice() throws Exception {
        long seed = Long.getLong(SEED_PROPERTY, System.nanoTime());
        System.out.println("power-cut-it seed=" + seed + " (replay with -D" + SEED_PROPERTY + "=" + seed + ")");
        Random random = new Random(seed);

        Path keys = dir.resolve("keys");
        Path secret = dir.resolve("secret");
        Path data = dir.resolve("data");
        Path agentLog = dir.resolve("agent.log");
        SoftwareKeyStore.createSecret(secret);
        VerifyingKey deviceKey;
        try (DeviceKey key = SoftwareKeyStore.create(keys, KeyAlgorithm.ECDSA_P256_SHA256, secret)) {
            deviceKey = key.verifyingKey();
        }
        String deviceId = deviceKey.deviceId().hex();

        MeterRegisterImage meter = Sdm630Fixture.image();
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        Process broker = startMosquitto();
        ModbusTcpSlave slave = ModbusTcpSlave.start(ModbusTcpSlaveConfig.builder().loopback(0).unitId(UNIT).build(), meter);
        long begin = System.nanoTime();
        // The import register grows by 100 Wh a second, so every interval has energy in it.
        clock.scheduleAtFixedRate(() -> meter.set("import_energy",
                        Sdm630Fixture.VALUES.get("import_energy") + (System.nanoTime() - begin) / 10_000_000L),
                0, 100, TimeUnit.MILLISECONDS);
        Subscriber received = new Subscriber("tcp://127.0.0.1:" + brokerPort, "wattproof/v1/devices/" + deviceId + "/tx");
        List<String> run = List.of("run", "--keys", keys.toString(), "--secret", secret.toString(), "--data", data.toString(),
                "--tcp", "127.0.0.1:" + slave.port(), "--unit", Integer.toString(UNIT), "--model", "SDM630",
                "--mqtt", "tcp://127.0.0.1:" + brokerPort, "--interval", "1");
        try {
            for (int kill = 1; kill <= KILLS; kill++) {
                int lifeMillis = MIN_RUN_MILLIS + random.nextInt(MAX_RUN_MILLIS - MIN_RUN_MILLIS + 1);
                Agent started = startAgent(run, agentLog);
                Process agent = started.process();
                assertTrue(started.running().await(GUARD_SECONDS, TimeUnit.SECONDS),
                        () -> "seed=" + seed + ": the agent did not report running; log: " + read(agentLog));
                Thread.sleep(lifeMillis);
                assertTrue(agent.isAlive(), () -> "seed=" + seed + ": the agent exited by itself before kill; log: " + read(agentLog));
                agent.toHandle().destroyForcibly();
                assertTrue(agent.waitFor(GUARD_SECONDS, TimeUnit.SECONDS), "seed=" + seed + ": agent not dead after SIGKILL");
                System.out.println("power-cut-it kill " + kill + " " + lifeMillis + " ms after running: received up to sequence "
                        + received.maxSequence() + " (" + received.sequences() + " sequences, " + received.messages.get()
                        + " messages)");
            }

            // The last run: it must send what the killed runs left unacknowledged, and sign on.
            long beforeFinal = received.maxSequence();
            Process agent = startAgent(run, agentLog).process();
            try {
                awaitCondition(() -> received.maxSequence() > beforeFinal, "a record signed by the final run", agentLog);
                // A silent meter ends the signing (a failed read skips the interval), so the
                // outbox head stops moving and every stored record can be acknowledged.
                slave.close();
                long quietSince = System.nanoTime();
                int seen = received.messages.get();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GUARD_SECONDS);
                while (System.nanoTime() - quietSince < TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS)) {
                    assertTrue(System.nanoTime() < deadline, "messages still arriving after " + GUARD_SECONDS + " s");
                    Thread.sleep(100);
                    int now = received.messages.get();
                    if (now != seen) {
                        seen = now;
                        quietSince = System.nanoTime();
                    }
                }
                agent.destroy(); // SIGTERM: the shutdown hook closes the agent and its outbox
                assertTrue(agent.waitFor(GUARD_SECONDS, TimeUnit.SECONDS), "agent did not stop on SIGTERM; log: " + read(agentLog));
            } finally {
                agent.destroyForcibly();
            }
        } finally {
            received.close();
            slave.close();
            clock.shutdownNow();
            broker.destroy();
            if (!broker.waitFor(10, TimeUnit.SECONDS)) {
                broker.destroyForcibly();
            }
        }
        assertTrue(received.failures.isEmpty(), "undecodable payloads on the tx topic: " + received.failures);

        ChainState chain;
        int depth;
        try (FileOutbox outbox = FileOutbox.open(data)) {
            chain = outbox.chainState();
            depth = outbox.depth();
        }
        long head = chain.nextSequence() - 1;
        assertTrue(head >= 1, "the agent stored no record at all; log: " + read(agentLog));
        assertEquals(0, depth, "records left unacknowledged in the outbox after the final run (head " + head + ")");
        for (Map.Entry<Long, List<byte[]>> e : received.bySequence.entrySet()) {
            assertTrue(e.getKey() >= 1 && e.getKey() <= head, "received sequence " + e.getKey() + " is not in the outbox 1.." + head
                    + ": it was sent before it was stored, or the store lost it");
            assertEquals(1, e.getValue().size(), "sequence " + e.getKey() + " was received with " + e.getValue().size()
                    + " different payloads: signed twice or reused");
        }

        byte[] previousHash = new byte[0];
        long previousEnd = Long.MIN_VALUE;
        for (long seq = 1; seq <= head; seq++) {
            List<byte[]> payloads = received.bySequence.get(seq);
            assertTrue(payloads != null, "record " + seq + " of 1.." + head + " was stored but never received");
            SignedTx tx = SignedTx.parseFrom(payloads.get(0));
            Reading reading = Reading.parseFrom(tx.getBody());
            assertEquals(BodyType.READING, tx.getBodyType(), "record " + seq + " body type");
            assertEquals(seq, reading.getSequence(), "record " + seq + " sequence in the body");
            assertEquals(deviceId, HexFormat.of().formatHex(reading.getDeviceId().toByteArray()), "record " + seq + " device id");
            byte[] signBytes = SignBytes.of(BodyType.READING, CHAIN_ID, tx.getBody().toByteArray());
            assertTrue(deviceKey.verify(signBytes, tx.getSignature().toByteArray()), "record " + seq + " signature");
            assertArrayEquals(previousHash, reading.getPreviousHash().toByteArray(),
                    "record " + seq + " previous_hash is not the hash of record " + (seq - 1));
            assertTrue(reading.getIntervalStart() >= previousEnd, "record " + seq + " interval starts at "
                    + reading.getIntervalStart() + ", before the previous record's interval ended at " + previousEnd);
            assertTrue(reading.getIntervalSeconds() > 0, "record " + seq + " interval length " + reading.getIntervalSeconds());
            previousEnd = reading.getIntervalStart() + reading.getIntervalSeconds();
            previousHash = SignBytes.recordHash(signBytes);
        }
        assertArrayEquals(previousHash, chain.headHash(), "the outbox head hash is not the hash of record " + head);
        assertEquals(Instant.ofEpochSecond(previousEnd), chain.lastIntervalEnd(), "the outbox's last interval end");

        System.out.println("power-cut-it seed=" + seed + ": " + KILLS + " kills, " + head + " records (1.." + head
                + ") all received, " + received.messages.get() + " messages, " + received.duplicates.get()
                + " identical duplicates, " + (KILLS + 1) + " agent starts, "
                + (System.nanoTime() - begin) / 1_000_000 + " ms");
    }

    private int brokerPort;

    private Process startMosquitto() throws Exception {
        if (!Files.isExecutable(MOSQUITTO)) {
            fail(MOSQUITTO + " is missing: install it with 'apt-get install mosquitto'");
        }
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            brokerPort = probe.getLocalPort();
        }
        Path log = dir.resolve("mosquitto.log");
        Path conf = Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n",
                "user " + System.getProperty("user.name"),
                "persistence false",
                "log_dest stderr",
                "listener " + brokerPort + " 127.0.0.1",
                "allow_anonymous true",
                ""));
        Process p = new ProcessBuilder(MOSQUITTO.toString(), "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                fail("mosquitto exited with " + p.exitValue() + ": " + read(log));
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), brokerPort)) {
                return p;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        p.destroyForcibly();
        fail("mosquitto did not listen on " + brokerPort + " within 15 s: " + read(log));
        return p;
    }

    /** A child agent and the moment it reported itself running. */
    private record Agent(Process process, CountDownLatch running) {}

    /**
     * {@code bin/meter-agent} as the launcher runs it: this JVM's java, the test class path. Its
     * output goes to {@code log}; {@code running} opens when it prints that it runs, which is
     * after its outbox is open and its metering has started.
     */
    private static Agent startAgent(List<String> args, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.add("--enable-native-access=ALL-UNNAMED");
        if (Runtime.version().feature() >= 23) {
            command.add("--sun-misc-unsafe-memory-access=allow"); // the flag does not exist before 23
        }
        // Fifty-one starts: the client compiler alone and the serial collector start the JVM
        // faster on two cores; neither changes what reaches the disk or the broker.
        command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.wattproof.agent.cli.MeterAgentCommand"));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CountDownLatch running = new CountDownLatch(1);
        Thread copier = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                    Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND)) {
                for (String line; (line = in.readLine()) != null; ) {
                    out.write(line + "\n");
                    if (line.startsWith("agent running: ")) {
                        running.countDown();
                    }
                }
            } catch (IOException e) {
                // the pipe closes when the agent dies; what it printed so far is in the log
            }
        }, "power-cut-it-output");
        copier.setDaemon(true);
        copier.start();
        return new Agent(process, running);
    }

    private interface Condition {
        boolean holds();
    }

    private static void awaitCondition(Condition condition, String what, Path log) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GUARD_SECONDS);
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                fail("no " + what + " within " + GUARD_SECONDS + " s; agent log: " + read(log));
            }
            Thread.sleep(50);
        }
    }

    private static String read(Path file) {
        try {
            if (!Files.exists(file)) {
                return "";
            }
            String text = Files.readString(file);
            return text.length() <= 20_000 ? text : "..." + text.substring(text.length() - 20_000);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    /**
     * The receiving side: one QoS 1 subscription made before the first agent starts, keeping every
     * distinct payload per sequence number and counting identical redeliveries.
     */
    private static final class Subscriber implements AutoCloseable {
        final Map<Long, List<byte[]>> bySequence = new ConcurrentHashMap<>();
        final AtomicInteger messages = new AtomicInteger();
        final AtomicInteger duplicates = new AtomicInteger();
        final List<String> failures = new CopyOnWriteArrayList<>();
        private final MqttAsyncClient client;
        private volatile boolean closing;

        Subscriber(String uri, String topic) throws MqttException {
            client = new MqttAsyncClient(uri, "power-cut-it-" + System.nanoTime(), new MemoryPersistence());
            client.setCallback(new MqttCallback() {
                @Override
                public void disconnected(MqttDisconnectResponse response) {
                    if (closing) {
                        return;
                    }
                    failures.add("subscriber disconnected: " + response);
                }

                @Override
                public void mqttErrorOccurred(MqttException exception) {
                    failures.add("subscriber error: " + exception);
                }

                @Override
                public void messageArrived(String t, MqttMessage message) {
                    accept(message.getPayload());
                }

                @Override
                public void deliveryComplete(IMqttToken token) {}

                @Override
                public void connectComplete(boolean reconnect, String serverURI) {}

                @Override
                public void authPacketArrived(int reasonCode, MqttProperties properties) {}
            });
            client.connect(new MqttConnectionOptions()).waitForCompletion(10_000);
            IMqttToken subscribed = client.subscribe(topic, 1);
            subscribed.waitForCompletion(10_000);
            int granted = subscribed.getReasonCodes()[0];
            if (granted != 1) {
                fail("subscription to " + topic + " granted reason code " + granted + ", expected QoS 1");
            }
        }

        private void accept(byte[] payload) {
            messages.incrementAndGet();
            long seq;
            try {
                seq = Reading.parseFrom(SignedTx.parseFrom(payload).getBody()).getSequence();
            } catch (IOException e) {
                failures.add(HexFormat.of().formatHex(payload) + ": " + e);
                return;
            }
            List<byte[]> distinct = bySequence.computeIfAbsent(seq, s -> new CopyOnWriteArrayList<>());
            synchronized (distinct) {
                if (distinct.stream().anyMatch(p -> Arrays.equals(p, payload))) {
                    duplicates.incrementAndGet();
                } else {
                    distinct.add(payload);
                }
            }
        }

        long maxSequence() {
            return bySequence.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
        }

        int sequences() {
            return bySequence.size();
        }

        @Override
        public void close() throws MqttException {
            closing = true;
            client.disconnect().waitForCompletion(10_000);
            client.close();
        }
    }
}
