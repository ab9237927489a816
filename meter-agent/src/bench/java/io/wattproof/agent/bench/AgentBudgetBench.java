package io.wattproof.agent.bench;

import io.wattproof.agent.AgentConfig;
import io.wattproof.agent.AgentStatus;
import io.wattproof.agent.MeterAgent;
import io.wattproof.agent.interval.ScaledClock;
import io.wattproof.agent.meter.ModbusMeterSource;
import io.wattproof.agent.uplink.MqttUplink;
import io.wattproof.agent.uplink.MqttUplinkConfig;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.soft.SoftwareKeyStore;
import io.wattproof.modbus.maps.MeterMap;
import io.wattproof.modbus.maps.MeterMaps;
import io.wattproof.modbus.maps.MeterRegisterImage;
import io.wattproof.modbus.master.ModbusTcpMaster;
import io.wattproof.modbus.master.ModbusTcpMasterConfig;
import io.wattproof.modbus.slave.ModbusTcpSlave;
import io.wattproof.modbus.slave.ModbusTcpSlaveConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent's budgets (docs/benchmarks.md, "Agent budgets"): one agent in a child JVM with
 * {@code -Xmx32m}, on a clock running {@code SPEED} times faster, metering 1-s intervals from an
 * SDM630 image over Modbus TCP and sending to a real Mosquitto through a byte-counting proxy.
 * Reports the child's peak RSS, its heap after each GC, bytes it wrote to the block device per
 * record, bytes it sent towards the broker per record, and the time from JVM start to the first
 * meter read.
 *
 * <pre>
 * java ... AgentBudgetBench parent DIR SIMULATED_SECONDS SPEED
 * </pre>
 */
public final class AgentBudgetBench {
    private static final int UNIT = 1;

    public static void main(String[] args) throws Exception {
        if (args[0].equals("child")) {
            child(args);
        } else {
            parent(Path.of(args[1]), Long.parseLong(args[2]), Double.parseDouble(args[3]));
        }
    }

    // ---- the agent, in its own JVM --------------------------------------------------------------

    /** child DATA KEYS SECRET METER_PORT BROKER_URI SPEED SECONDS */
    private static void child(String[] a) throws Exception {
        Path data = Path.of(a[1]);
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        System.out.println("MAIN " + (System.currentTimeMillis() - jvmStart));
        DeviceKey key = SoftwareKeyStore.open(Path.of(a[2]), Path.of(a[3]));
        System.out.println("KEY_OPEN " + (System.currentTimeMillis() - jvmStart));
        int meterPort = Integer.parseInt(a[4]);
        String broker = a[5];
        double speed = Double.parseDouble(a[6]);
        long seconds = Long.parseLong(a[7]);
        MeterMap map = MeterMaps.find("SDM630").orElseThrow();
        ScaledClock clock = ScaledClock.startingAt(Instant.now(), speed);
        AgentConfig config = AgentConfig.builder(data).interval(Duration.ofSeconds(1)).meterSerial("BENCH-1").build();
        MeterAgent agent = MeterAgent.start(config, key,
                new ModbusMeterSource(new ModbusTcpMaster(ModbusTcpMasterConfig.builder("127.0.0.1").port(meterPort)
                        .responseTimeout(Duration.ofSeconds(1)).build()), UNIT, map),
                new MqttUplink(MqttUplinkConfig.of(broker, key.deviceId().hex())), clock);
        System.out.println("READY " + (System.currentTimeMillis() - jvmStart));
        while (agent.status().lastReadAt().isEmpty()) {
            Thread.sleep(1);
        }
        System.out.println("FIRST_READ " + (System.currentTimeMillis() - jvmStart));
        Instant end = clock.instant().plusSeconds(seconds);
        long nextReport = 0;
        while (clock.instant().isBefore(end)) {
            Thread.sleep(200);
            AgentStatus s = agent.status();
            if (s.lastSequence() >= nextReport) {
                System.out.println("PROGRESS " + s.lastSequence() + " outbox=" + s.outboxDepth() + " connected=" + s.connected());
                nextReport += 3600;
            }
        }
        agent.stopMetering();
        agent.awaitDrained(Duration.ofSeconds(30));
        System.out.println("DONE " + agent.status().lastSequence() + " outbox=" + agent.status().outboxDepth());
        agent.close();
        System.out.println("IO " + Files.readString(Path.of("/proc/self/io")).replace('\n', ' '));
        System.exit(0);
    }

    // ---- the measuring side -------------------------------------------------------------------

    private static void parent(Path dir, long seconds, double speed) throws Exception {
        Files.createDirectories(dir);
        Path keys = dir.resolve("keys");
        Path secret = dir.resolve("secret");
        Path data = dir.resolve("data");
        if (!Files.exists(secret)) {
            SoftwareKeyStore.createSecret(secret);
            SoftwareKeyStore.create(keys, KeyAlgorithm.ECDSA_P256_SHA256, secret).close();
        }
        MeterRegisterImage image = new MeterRegisterImage(MeterMaps.find("SDM630").orElseThrow());
        image.set("voltage_l1", 230.5);
        image.set("current_l1", 5.5);
        image.set("power_total", 3862.5);
        image.set("import_energy", 12_345_500);
        image.set("export_energy", 678_250);
        long begin = System.nanoTime();
        Thread energy = Thread.ofPlatform().daemon().start(() -> {
            while (true) {
                // ~1 Wh per simulated second, so every record has energy in it.
                image.set("import_energy", 12_345_500 + Math.floor((System.nanoTime() - begin) * speed / 1e9));
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        int brokerPort = freePort();
        Path conf = Files.write(dir.resolve("mosquitto.conf"), List.of("listener " + brokerPort + " 127.0.0.1",
                "allow_anonymous true", "max_queued_messages 100000", "user " + System.getProperty("user.name")));
        Process mosquitto = new ProcessBuilder("/usr/sbin/mosquitto", "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        // Also when the bench is interrupted: a broker left behind would hold its port and files.
        Runtime.getRuntime().addShutdownHook(new Thread(mosquitto::destroy));
        Thread.sleep(500);
        CountingProxy proxy = CountingProxy.start(brokerPort);
        try (ModbusTcpSlave slave = ModbusTcpSlave.start(ModbusTcpSlaveConfig.builder().loopback(0).unitId(UNIT).build(), image)) {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx32m", "-XX:+UseSerialGC", "-Xlog:gc:file=" + dir.resolve("gc.log"),
                    "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                    "-Dlogback.configurationFile=io/wattproof/agent/logback-agent.xml"));
            String extra = System.getenv().getOrDefault("AGENT_JVM_FLAGS", "").strip();
            if (!extra.isEmpty()) {
                cmd.addAll(List.of(extra.split("\\s+")));
            }
            cmd.addAll(List.of(
                    "-cp", System.getProperty("java.class.path"), AgentBudgetBench.class.getName(), "child",
                    data.toString(), keys.toString(), secret.toString(), Integer.toString(slave.port()),
                    "tcp://127.0.0.1:" + proxy.port(), Double.toString(speed), Long.toString(seconds)));
            long started = System.nanoTime();
            Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            long peakRssKb = 0;
            List<String> lines = new ArrayList<>();
            CountDownLatch done = new CountDownLatch(1);
            Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        synchronized (lines) {
                            lines.add(line);
                        }
                        System.out.println("  child: " + line);
                    }
                } catch (IOException e) {
                    // child gone
                } finally {
                    done.countDown();
                }
            });
            while (!done.await(1, TimeUnit.SECONDS)) {
                peakRssKb = Math.max(peakRssKb, rssKb(child.pid()));
            }
            child.waitFor();
            double wall = (System.nanoTime() - started) / 1e9;
            long records = 0;
            long writeBytes = -1;
            synchronized (lines) {
                for (String l : lines) {
                    if (l.startsWith("DONE ")) {
                        records = Long.parseLong(l.split(" ")[1]);
                    }
                    if (l.startsWith("IO ")) {
                        for (String f : l.substring(3).replace(": ", ":").split(" ")) {
                            if (f.startsWith("write_bytes:")) {
                                writeBytes = Long.parseLong(f.substring("write_bytes:".length()));
                            }
                        }
                    }
                }
            }
            System.out.printf("simulated %d s at x%.0f in %.1f s wall, exit %d%n", seconds, speed, wall, child.exitValue());
            System.out.printf("records %d, peak RSS %.1f MB%n", records, peakRssKb / 1024.0);
            System.out.printf("write_bytes %d = %.0f B per record%n", writeBytes, records == 0 ? 0.0 : (double) writeBytes / records);
            System.out.printf("to broker %d B = %.1f B per record; from broker %d B%n", proxy.up.get(),
                    records == 0 ? 0.0 : (double) proxy.up.get() / records, proxy.down.get());
            System.out.println("gc log: " + dir.resolve("gc.log"));
        } finally {
            energy.interrupt();
            proxy.close();
            mosquitto.destroy();
        }
    }

    private static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // exited
        }
        return 0;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A TCP relay to the broker that counts the bytes each way. */
    private static final class CountingProxy implements AutoCloseable {
        final AtomicLong up = new AtomicLong();
        final AtomicLong down = new AtomicLong();
        private final ServerSocket server;

        private CountingProxy(ServerSocket server) {
            this.server = server;
        }

        static CountingProxy start(int target) throws IOException {
            CountingProxy p = new CountingProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
            Thread.ofPlatform().daemon().start(() -> {
                while (!p.server.isClosed()) {
                    try {
                        Socket client = p.server.accept();
                        Socket broker = new Socket(InetAddress.getLoopbackAddress(), target);
                        pipe(client.getInputStream(), broker.getOutputStream(), p.up);
                        pipe(broker.getInputStream(), client.getOutputStream(), p.down);
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            return p;
        }

        private static void pipe(InputStream in, OutputStream out, AtomicLong counter) {
            Thread.ofPlatform().daemon().start(() -> {
                byte[] buffer = new byte[8192];
                try {
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        counter.addAndGet(n);
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                } catch (IOException e) {
                    // connection closed
                } finally {
                    try {
                        out.close();
                    } catch (IOException e) {
                        // already closed
                    }
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
