package io.wattproof.simulator.broker;

import com.hivemq.configuration.service.InternalConfigurations;
import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.client.parameter.Listener;
import com.hivemq.extension.sdk.api.client.parameter.ListenerType;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.admin.AdminService;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An in-process MQTT 5 broker (HiveMQ Community Edition, embedded) on 127.0.0.1 only.
 *
 * <p>Everything HiveMQ writes lives under the run folder: {@code conf/config.xml} (rewritten on each
 * start), {@code data/}, {@code extensions/} and {@code log/}. The configuration is tuned for the
 * simulator (see {@code docs/broker.md}): in-memory persistence (the default file persistence
 * writes every QoS 1 message queued for a subscriber to RocksDB/Xodus before the PUBACK), a larger
 * Receive Maximum, a large per-client queue so a slow receiving side is not silently dropped, and
 * no anonymous usage statistics.
 *
 * <p>The other half of the fix is on the clients: Paho v5 leaves Nagle's algorithm on, which stalls
 * a connection carrying PUBLISH and PUBACK both ways for ~40 ms at a time (about 1,000 msg/s to a
 * subscriber, whatever this configuration). Give Paho a socket factory that sets
 * {@code TCP_NODELAY} ({@code MqttConnectionOptions.setSocketFactory}).
 *
 * <p>HiveMQ keeps global state (its extension {@code Services}, system properties
 * {@code hivemq.home} and {@code hivemq.log.folder}), so only one broker may run per JVM at a
 * time; a second {@link #start} while one runs throws {@link IllegalStateException}.
 *
 * <p>Logging: HiveMQ's own logging bootstrap is switched off, so it logs through the
 * application's SLF4J/logback configuration and does not reset it nor redirect JUL; quiet it
 * there ({@code <logger name="com.hivemq" level="ERROR"/>}).
 */
public final class EmbeddedBroker implements AutoCloseable {

    /** The bind address: loopback only, never a routable interface. */
    public static final String BIND_ADDRESS = "127.0.0.1";

    /**
     * The Receive Maximum the broker announces in its CONNACK: how many QoS 1/2 publishes a client
     * may have unacknowledged at once (Paho v5 throws 32202 beyond it rather than blocking).
     */
    public static final int RECEIVE_MAXIMUM = 100;

    /** Messages the broker queues per subscriber before it discards new ones (HiveMQ default 1000). */
    public static final long MAX_QUEUED_MESSAGES = 100_000;

    private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);
    private static final long START_TIMEOUT_SECONDS = 60;
    private static final long STOP_TIMEOUT_SECONDS = 60;
    private static final AtomicBoolean RUNNING = new AtomicBoolean();

    private final EmbeddedHiveMQ hivemq;
    private final Path runFolder;
    private final int port;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedBroker(EmbeddedHiveMQ hivemq, Path runFolder, int port) {
        this.hivemq = hivemq;
        this.runFolder = runFolder;
        this.port = port;
    }

    /**
     * Starts a broker on {@code 127.0.0.1:port}, its files under {@code runFolder} (created if
     * missing; an existing folder is reused, its {@code conf/config.xml} rewritten).
     *
     * @param runFolder where HiveMQ's conf, data, extensions and log folders go
     * @param port the TCP port, or 0 for a free one chosen by the OS (see {@link #port()})
     * @return the running broker; {@link #close()} stops it
     * @throws IOException if the folders or the configuration cannot be written, or the broker
     *     does not start (for example: the port is taken)
     * @throws IllegalStateException if another EmbeddedBroker is running in this JVM
     */
    public static EmbeddedBroker start(Path runFolder, int port) throws IOException {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (!RUNNING.compareAndSet(false, true)) {
            throw new IllegalStateException("an EmbeddedBroker is already running in this JVM");
        }
        try {
            return startHiveMq(runFolder.toAbsolutePath().normalize(), port);
        } catch (IOException | RuntimeException | Error e) {
            RUNNING.set(false);
            throw e;
        }
    }

    private static EmbeddedBroker startHiveMq(Path root, int port) throws IOException {
        Path conf = Files.createDirectories(root.resolve("conf"));
        Path data = Files.createDirectories(root.resolve("data"));
        Path extensions = Files.createDirectories(root.resolve("extensions"));
        Path logFolder = Files.createDirectories(root.resolve("log"));
        Files.writeString(conf.resolve("config.xml"), configXml(port));

        // HiveMQ derives its home (default: the folder of its jar in ~/.m2) and log folder from
        // these; it would otherwise also set them itself, JVM-wide.
        System.setProperty("hivemq.home", root.toString());
        System.setProperty("hivemq.log.folder", logFolder.toString());
        // In-memory persistence has nothing to flush: do not wait HiveMQ's default 2 s for it on
        // close (Netty's own 2 s quiet period stays). JVM-wide, read by HiveMQ at shutdown.
        InternalConfigurations.PERSISTENCE_SHUTDOWN_GRACE_PERIOD_MSEC.set(100);

        AtomicReference<AdminService> admin = new AtomicReference<>();
        EmbeddedExtension probe = EmbeddedExtension.builder()
                .withId("wattproof-embedded-broker")
                .withName("Wattproof embedded broker")
                .withVersion("1")
                .withAuthor("wattproof")
                .withPriority(0)
                .withStartPriority(0)
                .withExtensionMain(new ExtensionMain() {
                    @Override
                    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
                        admin.set(Services.adminService());
                    }

                    @Override
                    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
                    }
                })
                .build();

        EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(data)
                .withExtensionsFolder(extensions)
                .withEmbeddedExtension(probe)
                .withoutLoggingBootstrap()
                .build();
        try {
            hivemq.start().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            int bound = boundPort(admin.get(), port);
            return new EmbeddedBroker(hivemq, root, bound);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutDown(hivemq);
            throw new IOException("interrupted while starting the MQTT broker", e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            shutDown(hivemq);
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new IOException("MQTT broker did not start on " + BIND_ADDRESS + ":" + port + ": " + cause.getMessage(), cause);
        }
    }

    private static int boundPort(AdminService admin, int requested) {
        if (admin == null) {
            throw new IllegalStateException("HiveMQ did not start the embedded extension");
        }
        for (Listener l : admin.getServerInformation().getListener()) {
            if (l.getListenerType() == ListenerType.TCP_LISTENER && l.getPort() > 0
                    && (requested == 0 || l.getPort() == requested)) {
                return l.getPort();
            }
        }
        throw new IllegalStateException("HiveMQ reports no bound TCP listener");
    }

    /** The broker configuration this class writes, for {@code port} on {@link #BIND_ADDRESS}. */
    public static String configXml(int port) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- Written by io.wattproof.simulator.broker.EmbeddedBroker on each start; edits are overwritten. -->
                <hivemq>
                  <listeners>
                    <tcp-listener>
                      <port>%d</port>
                      <bind-address>%s</bind-address>
                      <name>loopback</name>
                    </tcp-listener>
                  </listeners>
                  <mqtt>
                    <receive-maximum>
                      <server-receive-maximum>%d</server-receive-maximum>
                    </receive-maximum>
                    <queued-messages>
                      <max-queue-size>%d</max-queue-size>
                      <strategy>discard</strategy>
                    </queued-messages>
                  </mqtt>
                  <persistence>
                    <mode>in-memory</mode>
                  </persistence>
                  <anonymous-usage-statistics>
                    <enabled>false</enabled>
                  </anonymous-usage-statistics>
                </hivemq>
                """.formatted(port, BIND_ADDRESS, RECEIVE_MAXIMUM, MAX_QUEUED_MESSAGES);
    }

    /** The TCP port the broker listens on (the OS-chosen one if started with port 0). */
    public int port() {
        return port;
    }

    /** The URI for Paho: {@code tcp://127.0.0.1:PORT}. */
    public String uri() {
        return "tcp://" + BIND_ADDRESS + ":" + port;
    }

    /** The run folder (absolute) holding conf, data, extensions and log. */
    public Path runFolder() {
        return runFolder;
    }

    /**
     * Stops the broker and releases its port. Blocks until HiveMQ has shut down (about 2 s:
     * Netty's quiet period is fixed). Idempotent; never throws.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            shutDown(hivemq);
        } finally {
            RUNNING.set(false);
        }
    }

    private static void shutDown(EmbeddedHiveMQ hivemq) {
        try {
            hivemq.stop().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("MQTT broker did not stop cleanly: {}", e.toString());
        } finally {
            // Also ends HiveMQ's (non-daemon) state-change thread, even after a failed start.
            try {
                hivemq.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                log.warn("MQTT broker did not close cleanly: {}", String.valueOf(e.getCause()));
            }
        }
    }
}
