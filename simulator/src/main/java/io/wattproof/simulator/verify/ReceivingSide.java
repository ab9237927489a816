package io.wattproof.simulator.verify;

import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.KeyAlgorithm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator's receiving side: subscribes to every device's transaction topic on the broker,
 * checks each record (readings and charging piles' session records) with a {@link ReadingVerifier}
 * and, when asked, dumps verified records for auditors. Messages are queued by the MQTT callback and checked on one worker thread, so a slow
 * disk never holds up PUBACKs.
 */
public final class ReceivingSide implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReceivingSide.class);
    public static final String TX_FILTER = "wattproof/v1/devices/+/tx";

    private final ReadingVerifier verifier;
    private final RecordDump dump;
    private final MqttClient client;
    private final BlockingQueue<byte[]> inbox = new LinkedBlockingQueue<>();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong processed = new AtomicLong();
    private final Thread worker;
    private volatile boolean running = true;

    private ReceivingSide(ReadingVerifier verifier, RecordDump dump, MqttClient client) {
        this.verifier = verifier;
        this.dump = dump;
        this.client = client;
        this.worker = Thread.ofPlatform().name("receiving-side").daemon().start(this::work);
    }

    /**
     * Connects to the broker and subscribes.
     *
     * @param dumpDir where to dump verified records, or null
     */
    public static ReceivingSide start(String serverUri, String chainId, Path dumpDir) throws MqttException {
        MqttClient client = new MqttClient(serverUri, "wattproof-receiver-" + ProcessHandle.current().pid(), new MemoryPersistence());
        ReceivingSide side = new ReceivingSide(new ReadingVerifier(chainId), dumpDir == null ? null : new RecordDump(dumpDir), client);
        client.setCallback(side.new Callback());
        MqttConnectionOptions options = new MqttConnectionOptions();
        // A persistent session: while the receiving side reconnects, the broker queues its records.
        options.setCleanStart(false);
        options.setSessionExpiryInterval(3600L);
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay(1, 2); // loopback: the broker is back within seconds
        options.setSocketFactory(new io.wattproof.agent.uplink.NoDelaySocketFactory());
        client.connect(options);
        client.subscribe(TX_FILTER, 1);
        return side;
    }

    /** Registers a device key as a provisioning step would. */
    public synchronized void register(DeviceId id, KeyAlgorithm algorithm, byte[] subjectPublicKeyInfo) {
        verifier.register(id, algorithm, subjectPublicKeyInfo);
    }

    /** See {@link ReadingVerifier#resume}. */
    public synchronized void resume(DeviceId id, ReadingVerifier.ChainPoint point) {
        verifier.resume(id, point.sequence(), point.recordHash(), point.intervalEnd());
    }

    public synchronized java.util.Optional<ReadingVerifier.ChainPoint> chainPoint(DeviceId id) {
        return verifier.chainPoint(id);
    }

    public synchronized VerifierSnapshot snapshot() {
        return verifier.snapshot();
    }

    /** Waits until every message received so far has been checked. */
    public boolean awaitIdle(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (processed.get() < received.get() || !inbox.isEmpty()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** Waits until the verifier has chained, for every device, every sequence up to the given one. */
    public boolean awaitChained(Map<DeviceId, Long> lastSequences, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (snapshot().gaps(lastSequences) > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    private void work() {
        while (running) {
            byte[] payload;
            try {
                payload = inbox.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (payload == null) {
                continue;
            }
            try {
                check(payload);
            } catch (RuntimeException e) {
                log.error("receiving side failed on a record error={}", e.toString(), e);
            } finally {
                processed.incrementAndGet();
            }
        }
    }

    private void check(byte[] payload) {
        Verdict verdict;
        List<Verdict> released;
        synchronized (this) {
            verdict = verifier.accept(payload);
            released = verifier.drainReleased();
        }
        handle(verdict);
        released.forEach(this::handle);
    }

    private void handle(Verdict verdict) {
        switch (verdict) {
            case Verdict.Verified v -> {
                if (dump != null) {
                    try {
                        RegisteredKey key;
                        synchronized (this) {
                            key = verifier.registeredKey(v.deviceId()).orElseThrow();
                        }
                        dump.write(key, v);
                    } catch (IOException e) {
                        log.error("dumping record failed device={} sequence={} error={}", v.deviceId(), v.sequence(), e.getMessage());
                    }
                }
            }
            case Verdict.Rejected r -> log.warn("record rejected device={} sequence={} reason={} detail={}",
                    r.deviceId(), r.sequence(), r.reason(), r.detail());
            case Verdict.Duplicate d -> log.debug("duplicate record device={} sequence={}", d.deviceId(), d.sequence());
            case Verdict.Held h -> log.debug("record held device={} sequence={} waiting_for={}", h.deviceId(), h.sequence(), h.waitingFor());
            case Verdict.NotARecord n -> log.debug("not a chain record, left to the ledger body_type={}", n.bodyType());
        }
    }

    private final class Callback implements MqttCallback {
        @Override
        public void messageArrived(String topic, MqttMessage message) {
            received.incrementAndGet();
            inbox.add(message.getPayload());
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            log.warn("receiving side disconnected reason={}", response.getReasonString());
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            log.warn("receiving side mqtt error={}", exception.getMessage());
        }

        @Override
        public void deliveryComplete(IMqttToken token) {}

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            if (reconnect) {
                try {
                    client.subscribe(TX_FILTER, 1);
                } catch (MqttException e) {
                    log.error("receiving side could not subscribe again error={}", e.getMessage());
                }
            }
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {}
    }

    @Override
    public void close() {
        running = false;
        worker.interrupt();
        try {
            if (client.isConnected()) {
                client.disconnect(2000);
            }
            client.close(true);
        } catch (MqttException e) {
            log.debug("receiving side close error={}", e.getMessage());
        }
    }
}
