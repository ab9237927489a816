package io.wattproof.simulator.bench;

import io.wattproof.agent.uplink.NoDelaySocketFactory;
import com.hivemq.configuration.service.InternalConfigurations;
import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.admin.AdminService;
import io.wattproof.simulator.broker.EmbeddedBroker;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientPersistence;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.persist.MqttDefaultFilePersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import javax.net.SocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;

/**
 * QoS 1 throughput of the embedded broker: HiveMQ's stock configuration against the one
 * {@link EmbeddedBroker} writes, side by side in one JVM, Paho v5 clients on 127.0.0.1, 150-byte
 * payloads. Not compiled by the build; the command is in docs/broker.md.
 *
 * <pre>
 * (a) one publisher, in-flight window = the broker's Receive Maximum: PUBACKs/s, PUBACK p50/p99
 * (b) three publishers in parallel: PUBACKs/s, summed
 * (c) one publisher, one subscriber: messages/s delivered to the subscriber; publisher PUBACKs/s
 *     and p99; messages the broker dropped (its per-client queue full)
 * (d) broker start time: cold (a fresh JVM per start, spawned with this classpath) and warm (in
 *     this JVM), and stop time
 * (e) one client publishing to a topic it is subscribed to, so PUBLISH and PUBACK go both ways on
 *     one connection as for any client that both sends and receives (request/response): PUBACKs/s, p50/p99
 * </pre>
 *
 * Each publisher keeps at most Receive Maximum publishes in flight (a Semaphore released in the
 * delivery callback: Paho v5 throws 32202 instead of blocking). Rounds alternate the variant order
 * and a short discarded round warms the JIT first; the summary is the median of the rounds.
 *
 * <p>Options: {@code --rounds N} (3), {@code --seconds S} measured per scenario (5),
 * {@code --warmup S} per scenario (2), {@code --payload BYTES} (150), {@code --variants a,b,...}
 * (default,fixed; the others isolate one factor each: see {@link #VARIANTS}).
 */
public final class BrokerThroughputBench {

    /** Client-side knobs a variant may change. */
    record Client(boolean pubNoDelay, boolean subNoDelay, boolean filePersistence) {
        static final Client PLAIN = new Client(false, false, false);
        static final Client NODELAY = new Client(true, true, false);
    }

    /** broker: "fixed" = EmbeddedBroker; otherwise a config.xml body with %PORT%. */
    record Variant(String name, String brokerXml, Client client, String description) {
    }

    private static final String LISTENER = "<listeners><tcp-listener><port>%PORT%</port><bind-address>127.0.0.1</bind-address></tcp-listener></listeners>"
            + "<anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>";

    static final Map<String, Variant> VARIANTS = new LinkedHashMap<>();

    static {
        String stock = "<hivemq>" + LISTENER + "</hivemq>";
        add(new Variant("default", stock, Client.PLAIN,
                "HiveMQ stock config (file persistence, Receive Maximum 10, queue 1000); Paho clients as they come"));
        add(new Variant("fixed", "fixed", Client.NODELAY,
                "EmbeddedBroker's config (in-memory, Receive Maximum 100, queue 100000); Paho clients with TCP_NODELAY"));
        // One factor at a time, to see what matters.
        add(new Variant("nodelay", stock, Client.NODELAY, "stock config; clients with TCP_NODELAY"));
        add(new Variant("pub-nodelay", stock, new Client(true, false, false), "stock config; TCP_NODELAY on the publishers only"));
        add(new Variant("sub-nodelay", stock, new Client(false, true, false), "stock config; TCP_NODELAY on the subscriber only"));
        add(new Variant("mem", "<hivemq>" + LISTENER + "<persistence><mode>in-memory</mode></persistence></hivemq>", Client.PLAIN,
                "stock + in-memory persistence"));
        add(new Variant("rm100", "<hivemq>" + LISTENER
                + "<mqtt><receive-maximum><server-receive-maximum>100</server-receive-maximum></receive-maximum></mqtt></hivemq>",
                Client.PLAIN, "stock + Receive Maximum 100"));
        add(new Variant("queue", "<hivemq>" + LISTENER + "<mqtt><queued-messages><max-queue-size>100000</max-queue-size></queued-messages></mqtt></hivemq>",
                Client.PLAIN, "stock + queue 100000"));
        add(new Variant("pahofile", stock, new Client(false, false, true),
                "stock config; Paho's default file persistence (new MqttAsyncClient(uri, id))"));
        add(new Variant("fixed-plain", "fixed", Client.PLAIN, "EmbeddedBroker's config; Paho clients as they come"));
    }

    private static void add(Variant v) {
        VARIANTS.put(v.name(), v);
    }

    private final int seconds;
    private final int warmup;
    private final byte[] payload;
    private final Path scratch;

    private BrokerThroughputBench(int seconds, int warmup, int payloadBytes, Path scratch) {
        this.seconds = seconds;
        this.warmup = warmup;
        this.payload = new byte[payloadBytes];
        Arrays.fill(payload, (byte) 'x');
        this.scratch = scratch;
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("logback.configurationFile") == null) {
            // As SimulatorCommand does: HiveMQ's jar carries a logback.xml of its own (INFO to stdout).
            System.setProperty("logback.configurationFile", "io/wattproof/simulator/logback-simulator.xml");
        }
        int rounds = 3;
        int seconds = 5;
        int warmup = 2;
        int payloadBytes = 150;
        List<String> names = List.of("default", "fixed");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--payload" -> payloadBytes = Integer.parseInt(args[++i]);
                case "--variants" -> names = List.of(args[++i].split(","));
                case "--start-once" -> {
                    // Child-JVM mode for the cold start time: start, print ms, stop.
                    Variant v = VARIANTS.get(args[++i]);
                    Path folder = Files.createTempDirectory("brokerbench-start");
                    long t0 = System.nanoTime();
                    Broker b = new BrokerThroughputBench(1, 0, 1, folder).startBroker(v, folder);
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    b.close();
                    System.out.println("START_MS " + ms);
                    System.exit(0);
                }
                default -> {
                    System.err.println("unknown option " + args[i] + "; options: --rounds --seconds --warmup --payload --variants; variants: "
                            + VARIANTS.keySet());
                    System.exit(2);
                }
            }
        }
        List<Variant> variants = new ArrayList<>();
        for (String n : names) {
            Variant v = VARIANTS.get(n);
            if (v == null) {
                System.err.println("unknown variant " + n + "; known: " + VARIANTS.keySet());
                System.exit(2);
            }
            variants.add(v);
        }
        Path scratch = Files.createTempDirectory("brokerbench");
        BrokerThroughputBench bench = new BrokerThroughputBench(seconds, warmup, payloadBytes, scratch);
        System.out.printf(Locale.ROOT, "java %s, %d cpus, %d rounds x %d s measured (+%d s warm-up) per scenario, payload %d B, QoS 1%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors(), rounds, seconds, warmup, payloadBytes);
        for (Variant v : variants) {
            System.out.printf(Locale.ROOT, "  %-12s %s%n", v.name(), v.description());
        }

        // A short discarded round first, so the JIT does not count against whichever variant runs first.
        new BrokerThroughputBench(1, 1, payloadBytes, scratch).run(variants.get(0), 0);

        Map<String, List<Result>> results = new LinkedHashMap<>();
        for (int r = 1; r <= rounds; r++) {
            // Alternate the order so drift on a noisy machine does not favour one variant.
            List<Variant> order = new ArrayList<>(variants);
            if (r % 2 == 0) {
                Collections.reverse(order);
            }
            for (Variant v : order) {
                Result res = bench.run(v, r).withColdStart(coldStart(v));
                results.computeIfAbsent(v.name(), k -> new ArrayList<>()).add(res);
                System.out.printf(Locale.ROOT, "round %d %-12s %s%n", r, v.name(), res);
            }
        }
        System.out.println();
        System.out.println("median of " + rounds + " rounds; the line under each variant is its ratio to " + variants.get(0).name() + ":");
        System.out.printf(Locale.ROOT, "%-12s %4s %9s %8s %8s %9s %9s %8s %8s %8s %8s %8s %7s %7s %7s%n",
                "variant", "RM", "a pub/s", "a p50ms", "a p99ms", "b 3pub/s", "c deliv/s", "c pub/s", "c p99ms", "c lost",
                "e msg/s", "e p99ms", "cold ms", "warm ms", "stop ms");
        Result base = null;
        for (Variant v : variants) {
            Result m = Result.median(results.get(v.name()));
            if (base == null) {
                base = m;
            }
            System.out.printf(Locale.ROOT, "%-12s %4d %9.0f %8.2f %8.2f %9.0f %9.0f %8.0f %8.2f %8d %8.0f %8.2f %7d %7d %7d%n",
                    v.name(), m.receiveMaximum, m.onePub, m.p50, m.p99, m.threePub, m.delivered, m.cPub, m.cP99, m.lost,
                    m.echo, m.eP99, m.coldStartMs, m.startMs, m.stopMs);
            if (m != base) {
                System.out.printf(Locale.ROOT, "%-12s %4s %8.1fx %7.2fx %7.2fx %8.1fx %8.1fx %7.1fx %7.2fx %8s %7.1fx %7.2fx %6.2fx %6.2fx %6.2fx%n",
                        "", "", m.onePub / base.onePub, m.p50 / base.p50, m.p99 / base.p99, m.threePub / base.threePub,
                        m.delivered / base.delivered, m.cPub / base.cPub, m.cP99 / base.cP99, "", m.echo / base.echo, m.eP99 / base.eP99,
                        (double) m.coldStartMs / base.coldStartMs, (double) m.startMs / base.startMs, (double) m.stopMs / base.stopMs);
            }
        }
        System.exit(0);
    }

    /** Starts the variant's broker once in a fresh JVM (same classpath) and returns its start time. */
    private static long coldStart(Variant v) throws IOException, InterruptedException {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(javaBin));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--") || a.startsWith("-D") || a.startsWith("-X")).toList());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), BrokerThroughputBench.class.getName(), "--start-once", v.name()));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        for (String line : out.split("\\R")) {
            if (line.startsWith("START_MS ")) {
                return Long.parseLong(line.substring(9).trim());
            }
        }
        return -1;
    }

    record Result(int receiveMaximum, double onePub, double p50, double p99, double threePub, double delivered, double cPub,
                  double cP99, long lost, double echo, double eP50, double eP99, long coldStartMs, long startMs, long stopMs) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT,
                    "RM %3d | a %6.0f/s p50 %5.2f p99 %6.2f ms | b %6.0f/s | c deliv %6.0f/s pub %6.0f/s p99 %6.2f ms lost %6d"
                            + " | e %6.0f/s p50 %5.2f p99 %6.2f ms | start cold %5d warm %5d stop %5d ms",
                    receiveMaximum, onePub, p50, p99, threePub, delivered, cPub, cP99, lost, echo, eP50, eP99, coldStartMs, startMs, stopMs);
        }

        Result withColdStart(long ms) {
            return new Result(receiveMaximum, onePub, p50, p99, threePub, delivered, cPub, cP99, lost, echo, eP50, eP99, ms, startMs, stopMs);
        }

        static Result median(List<Result> rs) {
            return new Result(rs.get(0).receiveMaximum, med(rs, Result::onePub), med(rs, Result::p50), med(rs, Result::p99),
                    med(rs, Result::threePub), med(rs, Result::delivered), med(rs, Result::cPub), med(rs, Result::cP99),
                    (long) med(rs, r -> r.lost), med(rs, Result::echo), med(rs, Result::eP50), med(rs, Result::eP99),
                    (long) med(rs, r -> r.coldStartMs), (long) med(rs, r -> r.startMs),
                    (long) med(rs, r -> r.stopMs));
        }

        private static double med(List<Result> rs, ToDoubleFunction<Result> f) {
            double[] xs = rs.stream().mapToDouble(f).sorted().toArray();
            return xs.length % 2 == 1 ? xs[xs.length / 2] : (xs[xs.length / 2 - 1] + xs[xs.length / 2]) / 2;
        }
    }

    // ---------------------------------------------------------------- broker

    interface Broker extends AutoCloseable {
        String uri();

        @Override
        void close();
    }

    private Broker startBroker(Variant v, Path folder) throws Exception {
        if (v.brokerXml().equals("fixed")) {
            EmbeddedBroker b = EmbeddedBroker.start(folder, 0);
            return new Broker() {
                public String uri() {
                    return b.uri();
                }

                public void close() {
                    b.close();
                }
            };
        }
        return StockBroker.start(folder, v.brokerXml());
    }

    /** HiveMQ embedded with a given config.xml, laid out like EmbeddedBroker does. */
    static final class StockBroker implements Broker {
        private final EmbeddedHiveMQ hivemq;
        private final int port;

        private StockBroker(EmbeddedHiveMQ hivemq, int port) {
            this.hivemq = hivemq;
            this.port = port;
        }

        static StockBroker start(Path root, String xml) throws Exception {
            Path conf = Files.createDirectories(root.resolve("conf"));
            Path data = Files.createDirectories(root.resolve("data"));
            Path ext = Files.createDirectories(root.resolve("extensions"));
            Path log = Files.createDirectories(root.resolve("log"));
            Files.writeString(conf.resolve("config.xml"), xml.replace("%PORT%", "0"));
            System.setProperty("hivemq.home", root.toString());
            System.setProperty("hivemq.log.folder", log.toString());
            // EmbeddedBroker shortens this JVM-wide; stock is HiveMQ's 2000 ms.
            InternalConfigurations.PERSISTENCE_SHUTDOWN_GRACE_PERIOD_MSEC.set(2000);
            AtomicReference<AdminService> admin = new AtomicReference<>();
            EmbeddedHiveMQ h = EmbeddedHiveMQ.builder().withConfigurationFolder(conf).withDataFolder(data).withExtensionsFolder(ext)
                    .withoutLoggingBootstrap()
                    .withEmbeddedExtension(EmbeddedExtension.builder().withId("bench").withName("bench").withVersion("1")
                            .withAuthor("bench").withPriority(0).withStartPriority(0).withExtensionMain(new ExtensionMain() {
                                public void extensionStart(ExtensionStartInput i, ExtensionStartOutput o) {
                                    admin.set(Services.adminService());
                                }

                                public void extensionStop(ExtensionStopInput i, ExtensionStopOutput o) {
                                }
                            }).build())
                    .build();
            h.start().get(60, TimeUnit.SECONDS);
            int port = admin.get().getServerInformation().getListener().iterator().next().getPort();
            return new StockBroker(h, port);
        }

        public String uri() {
            return "tcp://127.0.0.1:" + port;
        }

        public void close() {
            try {
                hivemq.stop().get(60, TimeUnit.SECONDS);
                hivemq.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    // ---------------------------------------------------------------- scenarios

    private Result run(Variant v, int round) throws Exception {
        Path folder = scratch.resolve(v.name() + "-" + round);
        long t0 = System.nanoTime();
        Broker broker = startBroker(v, folder);
        long startMs = (System.nanoTime() - t0) / 1_000_000;
        long stopMs;
        double one;
        double three;
        double delivered;
        double cPub;
        long lost;
        long[] latA;
        long[] latC;
        long[] latE;
        double echo;
        int rm;
        try {
            String topicBase = "bench/" + v.name() + "/" + round;
            // (a) one publisher
            List<Publisher> a = connectPublishers(broker, v.client(), 1, topicBase + "/a", folder);
            rm = a.get(0).window;
            one = runPublishers(a, null)[0];
            latA = a.get(0).latencies();
            close(a);
            // (b) three publishers in parallel
            List<Publisher> b = connectPublishers(broker, v.client(), 3, topicBase + "/b", folder);
            three = runPublishers(b, null)[0];
            close(b);
            // (c) one publisher, one subscriber
            Subscriber sub = new Subscriber(broker, v.client(), topicBase + "/c/#", folder);
            List<Publisher> c = connectPublishers(broker, v.client(), 1, topicBase + "/c", folder);
            double[] res = runPublishers(c, sub);
            cPub = res[0];
            delivered = res[1];
            latC = c.get(0).latencies();
            long sent = c.get(0).acked.sum();
            sub.drain(sent);
            lost = sent - sub.received.sum();
            close(c);
            sub.close();
            // (e) one client publishing to a topic it is subscribed to
            Publisher e = new Publisher(broker, v.client(), topicBase + "/e", "echo-" + System.nanoTime(), folder, true);
            echo = runPublishers(List.of(e), null)[0];
            latE = e.latencies();
            e.close();
        } finally {
            long t1 = System.nanoTime();
            broker.close();
            stopMs = (System.nanoTime() - t1) / 1_000_000;
        }
        return new Result(rm, one, percentile(latA, 0.50), percentile(latA, 0.99), three, delivered, cPub, percentile(latC, 0.99),
                lost, echo, percentile(latE, 0.50), percentile(latE, 0.99), -1, startMs, stopMs);
    }

    private static double percentile(long[] nanos, double q) {
        if (nanos.length == 0) {
            return Double.NaN;
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * q))] / 1e6;
    }


    private static MqttConnectionOptions options(boolean noDelay) {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setAutomaticReconnect(false);
        if (noDelay) {
            o.setSocketFactory(new NoDelaySocketFactory());
        }
        return o;
    }

    private static MqttClientPersistence persistence(Client client, Path folder) {
        return client.filePersistence() ? new MqttDefaultFilePersistence(folder.resolve("paho").toString()) : new MemoryPersistence();
    }

    private List<Publisher> connectPublishers(Broker broker, Client client, int n, String topic, Path folder) throws MqttException {
        List<Publisher> ps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ps.add(new Publisher(broker, client, topic + "/" + i, "pub-" + System.nanoTime(), folder, false));
        }
        return ps;
    }

    private static void close(List<Publisher> ps) throws MqttException {
        for (Publisher p : ps) {
            p.close();
        }
    }

    /**
     * Runs the publishers for warm-up + measured seconds; returns {acked/s summed, delivered/s at
     * the subscriber} over the measured part.
     */
    private double[] runPublishers(List<Publisher> ps, Subscriber sub) throws Exception {
        List<Thread> threads = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup + seconds);
        for (Publisher p : ps) {
            Thread t = new Thread(() -> p.loop(end), "bench-" + p.topic);
            t.start();
            threads.add(t);
        }
        Thread.sleep(TimeUnit.SECONDS.toMillis(warmup));
        long acked0 = ps.stream().mapToLong(p -> p.acked.sum()).sum();
        long recv0 = sub == null ? 0 : sub.received.sum();
        for (Publisher p : ps) {
            p.recordLatency = true;
        }
        long m0 = System.nanoTime();
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        long acked1 = ps.stream().mapToLong(p -> p.acked.sum()).sum();
        long recv1 = sub == null ? 0 : sub.received.sum();
        double dt = (System.nanoTime() - m0) / 1e9;
        for (Publisher p : ps) {
            p.recordLatency = false;
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(60));
        }
        for (Publisher p : ps) {
            if (p.failure.get() != null) {
                throw new IllegalStateException("publisher failed", p.failure.get());
            }
        }
        return new double[]{(acked1 - acked0) / dt, (recv1 - recv0) / dt};
    }

    private final class Publisher {
        final MqttAsyncClient client;
        final String topic;
        final int window;
        final Semaphore inFlight;
        final LongAdder acked = new LongAdder();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        volatile boolean recordLatency;
        private long[] lat = new long[1 << 16];
        private int nLat;

        final LongAdder received = new LongAdder();

        /** With {@code subscribeToOwnTopic}, the client also receives what it publishes: traffic both ways on one connection. */
        Publisher(Broker broker, Client c, String topic, String id, Path folder, boolean subscribeToOwnTopic) throws MqttException {
            this.topic = topic;
            client = new MqttAsyncClient(broker.uri(), id, persistence(c, folder));
            if (subscribeToOwnTopic) {
                client.setCallback(new CountingCallback(received));
            }
            IMqttToken tok = client.connect(options(c.pubNoDelay()));
            tok.waitForCompletion(10_000);
            Integer rm = tok.getResponseProperties() == null ? null : tok.getResponseProperties().getReceiveMaximum();
            window = rm == null ? 65535 : rm;
            inFlight = new Semaphore(window);
            if (subscribeToOwnTopic) {
                client.subscribe(new MqttSubscription(topic, 1)).waitForCompletion(10_000);
            }
        }

        void loop(long endNanos) {
            try {
                while (System.nanoTime() < endNanos && failure.get() == null) {
                    if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                    long sentAt = System.nanoTime();
                    MqttMessage m = new MqttMessage(payload);
                    m.setQos(1);
                    client.publish(topic, m, null, new MqttActionListener() {
                        @Override
                        public void onSuccess(IMqttToken t) {
                            if (recordLatency) {
                                record(System.nanoTime() - sentAt);
                            }
                            acked.increment();
                            inFlight.release();
                        }

                        @Override
                        public void onFailure(IMqttToken t, Throwable e) {
                            failure.compareAndSet(null, e);
                            inFlight.release();
                        }
                    });
                }
                // Wait for the window to drain.
                inFlight.tryAcquire(window, 30, TimeUnit.SECONDS);
            } catch (Exception e) {
                failure.compareAndSet(null, e);
            }
        }

        private synchronized void record(long nanos) {
            if (nLat == lat.length) {
                lat = Arrays.copyOf(lat, lat.length * 2);
            }
            lat[nLat++] = nanos;
        }

        synchronized long[] latencies() {
            return Arrays.copyOf(lat, nLat);
        }

        void close() throws MqttException {
            client.disconnect().waitForCompletion(10_000);
            client.close();
        }
    }

    private static final class Subscriber {
        final MqttAsyncClient client;
        final LongAdder received = new LongAdder();

        Subscriber(Broker broker, Client c, String filter, Path folder) throws MqttException {
            client = new MqttAsyncClient(broker.uri(), "sub-" + System.nanoTime(), persistence(c, folder));
            client.setCallback(new CountingCallback(received));
            client.connect(options(c.subNoDelay())).waitForCompletion(10_000);
            client.subscribe(new MqttSubscription(filter, 1)).waitForCompletion(10_000);
        }

        /** Waits until everything sent arrived, or nothing arrived for 2 s. */
        void drain(long expected) throws InterruptedException {
            long last = -1;
            long quietSince = System.nanoTime();
            while (received.sum() < expected) {
                long now = received.sum();
                if (now != last) {
                    last = now;
                    quietSince = System.nanoTime();
                } else if (System.nanoTime() - quietSince > TimeUnit.SECONDS.toNanos(2)) {
                    return;
                }
                Thread.sleep(20);
            }
        }

        void close() throws MqttException {
            client.disconnect().waitForCompletion(10_000);
            client.close();
        }
    }

    /** Counts arriving messages. */
    private record CountingCallback(LongAdder received) implements MqttCallback {
        public void disconnected(MqttDisconnectResponse r) {
        }

        public void mqttErrorOccurred(MqttException e) {
        }

        public void messageArrived(String topic, MqttMessage message) {
            received.increment();
        }

        public void deliveryComplete(IMqttToken token) {
        }

        public void connectComplete(boolean reconnect, String serverURI) {
        }

        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
