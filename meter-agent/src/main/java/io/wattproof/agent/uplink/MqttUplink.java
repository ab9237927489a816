package io.wattproof.agent.uplink;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uplink over MQTT 5 with Eclipse Paho: records go to {@code <prefix>/devices/<id>/tx} at QoS 1;
 * {@code <prefix>/devices/<id>/status} holds a retained {@code online}, replaced by the broker with
 * {@code offline} (last will) when the agent vanishes. Plain TCP or mutual TLS with the device
 * certificate ({@link MqttUplinkConfig#withDeviceTls}). The same connection carries owners' live
 * telemetry and Home Assistant discovery at QoS 0 ({@link LiveChannel}), apart from the record window.
 *
 * <p>Paho keeps no state that matters here: the session starts clean and in-flight messages live
 * in memory only, because the outbox is the one durable copy. After a reconnect the agent re-sends
 * whatever was not acknowledged. Paho v5 throws "too many publishes in progress" instead of
 * blocking, so the agent never has more records in flight than the window it is given on connect.
 *
 * <p>Reconnecting is ours, not Paho's: Paho's automatic reconnect doubles a fixed delay without
 * jitter and does not cover a first connection that fails. Every failed attempt and every lost
 * connection is reported to the listener and waits per {@link ReconnectBackoff}.
 */
public final class MqttUplink implements Uplink, LiveChannel, LedgerChannel {
    private static final Logger log = LoggerFactory.getLogger(MqttUplink.class);
    /** Our own cap, below every broker we know (Mosquitto 20, HiveMQ 10). */
    private static final int MAX_WINDOW = 10;

    private final MqttUplinkConfig config;
    private final Clock clock;
    private final ReconnectBackoff backoff;
    private final String txTopic;
    private final String statusTopic;
    private final String receiptsTopic;
    private final String bookingsTopic;
    private final String requestTopic;
    private final String responseTopic;
    private final AtomicBoolean connected = new AtomicBoolean();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            io.wattproof.agent.AgentThreads.named("mqtt-reconnect"));
    private volatile MqttAsyncClient client;
    private volatile MqttConnectionOptions options;
    private volatile Listener listener;
    private volatile int brokerReceiveMaximum = 65_535;
    private volatile boolean closed;
    private volatile LiveChannel.Subscriber live;
    private volatile LedgerChannel.Subscriber ledger;
    /** Live publishes handed to Paho and not yet written; bounded so a stalled socket cannot pile them up. */
    private final AtomicInteger livePending = new AtomicInteger();
    private static final int MAX_LIVE_PENDING = 16;

    /**
     * @throws IllegalArgumentException if {@code ssl://} and TLS settings do not come together
     */
    public MqttUplink(MqttUplinkConfig config) {
        this(config, Clock.systemUTC(), new Random());
    }

    /** With the clock that times connections and the source of the reconnect jitter. */
    public MqttUplink(MqttUplinkConfig config, Clock clock, RandomGenerator jitter) {
        config.requireConsistentTls();
        this.config = config;
        this.clock = clock;
        this.backoff = new ReconnectBackoff(config.reconnectBaseDelay(), config.maxReconnectDelay(), config.stableConnection(), jitter);
        String device = config.topicPrefix() + "/devices/" + config.clientId();
        this.txTopic = device + "/tx";
        this.statusTopic = device + "/status";
        this.receiptsTopic = device + "/receipts";
        this.bookingsTopic = device + "/bookings";
        this.requestTopic = device + "/ledger/request";
        this.responseTopic = device + "/ledger/response";
    }

    /** The topic of the device's retained {@code online}/{@code offline} status. */
    public String statusTopic() {
        return statusTopic;
    }

    /** The topic records are published to. */
    public String txTopic() {
        return txTopic;
    }

    @Override
    public void start(Listener listener) {
        this.listener = listener;
        try {
            // With a null executor Paho starts its own platform threads (AgentThreads says when not).
            client = new MqttAsyncClient(config.serverUri(), config.clientId(), new MemoryPersistence(), null,
                    io.wattproof.agent.AgentThreads.mqttExecutor());
        } catch (MqttException e) {
            throw new IllegalArgumentException("mqtt server uri: " + e.getMessage() + " (" + config.serverUri() + ")", e);
        }
        client.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
                connected.set(false);
                if (closed) {
                    return;
                }
                String reason = response.getException() != null
                        ? describe(response.getException())
                        : "broker sent DISCONNECT reason_code=0x" + Integer.toHexString(response.getReturnCode())
                                + (response.getReasonString() != null ? " " + response.getReasonString() : "");
                Duration wait;
                synchronized (backoff) {
                    backoff.disconnected(clock.instant());
                    wait = backoff.nextDelay();
                }
                log.warn("mqtt connection lost server={} reason={} retry_in_ms={}", config.serverUri(), reason, wait.toMillis());
                listener.disconnected(reason);
                LiveChannel.Subscriber l = live;
                if (l != null) {
                    l.disconnected();
                }
                scheduleConnect(wait);
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
                log.warn("mqtt error server={} error={}", config.serverUri(), exception.getMessage());
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                LedgerChannel.Subscriber lc = ledger;
                if (lc != null && topic.equals(receiptsTopic)) {
                    lc.receipt(message.getPayload());
                    return;
                }
                if (lc != null && topic.equals(bookingsTopic)) {
                    lc.booking(message.getPayload());
                    return;
                }
                if (lc != null && topic.equals(responseTopic)) {
                    byte[] correlation = message.getProperties() != null ? message.getProperties().getCorrelationData() : null;
                    lc.lightBlockResponse(correlation != null ? correlation : new byte[0], message.getPayload());
                    return;
                }
                LiveChannel.Subscriber l = live;
                if (l != null) {
                    l.arrived(topic, message.getPayload(), message.isRetained());
                }
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
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout((int) Math.max(1, config.connectTimeout().toSeconds()));
        o.setKeepAliveInterval((int) config.keepAlive().toSeconds());
        o.setWill(statusTopic, statusMessage("offline"));
        if (config.tls() != null) {
            o.setSocketFactory(new NoDelaySslSocketFactory(config.tls()));
            // The broker's certificate must name the host or address of serverUri (RFC 6125
            // matching by the JDK, endpoint identification "HTTPS").
            o.setHttpsHostnameVerificationEnabled(true);
        } else {
            o.setSocketFactory(new NoDelaySocketFactory());
        }
        options = o;
        connect();
    }

    private void scheduleConnect(Duration wait) {
        if (closed) {
            return;
        }
        try {
            scheduler.schedule(this::connect, wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Closing.
        }
    }

    private void connect() {
        if (closed) {
            return;
        }
        try {
            client.connect(options, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    onConnected(token);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    connectFailed(failure);
                }
            });
        } catch (MqttException e) {
            connectFailed(e);
        }
    }

    private void connectFailed(Throwable failure) {
        if (closed) {
            return;
        }
        if (failure instanceof MqttException m && (m.getReasonCode() == org.eclipse.paho.mqttv5.client.MqttClientException.REASON_CODE_CLIENT_CONNECTED
                || m.getReasonCode() == org.eclipse.paho.mqttv5.client.MqttClientException.REASON_CODE_CONNECT_IN_PROGRESS)) {
            // A connection lost during the CONNECT handshake reaches both this listener and the
            // disconnected callback, and each schedules an attempt. The other attempt owns the
            // connection: this one must neither tell the agent it is offline nor try again, or the
            // two loop forever with the agent told "disconnected" every second while connected.
            // Found by the broker-restart fault scenario (docs/faults.md).
            log.debug("mqtt connect attempt dropped server={} reason={}", config.serverUri(), describe(failure));
            return;
        }
        Duration wait;
        synchronized (backoff) {
            wait = backoff.nextDelay();
        }
        String reason = "connect failed: " + describe(failure);
        log.warn("mqtt connect failed server={} reason={} retry_in_ms={}", config.serverUri(), reason, wait.toMillis());
        listener.disconnected(reason);
        scheduleConnect(wait);
    }

    /**
     * Paho wraps the cause (a TLS alert, a refused socket) in an MqttException whose own message
     * is generic ("Untranslated MqttException - RC: 0" for reason code 0, a client-side
     * exception); the MQTT reason code and the chain of causes say what happened.
     */
    static String describe(Throwable failure) {
        StringBuilder s = new StringBuilder();
        Throwable cause = failure.getCause();
        if (failure instanceof MqttException m) {
            s.append("reason_code=0x").append(Integer.toHexString(m.getReasonCode()));
            if (m.getReasonCode() != MqttException.REASON_CODE_CLIENT_EXCEPTION || cause == null) {
                s.append(' ').append(failure.getMessage());
            }
        } else {
            s.append(failure.getClass().getSimpleName()).append(": ").append(failure.getMessage());
        }
        for (Throwable c = cause; c != null; c = c.getCause() == c ? null : c.getCause()) {
            s.append(" <- ").append(c.getClass().getSimpleName()).append(": ").append(c.getMessage());
        }
        return s.toString();
    }

    private void onConnected(IMqttToken token) {
        // MQTT 5 section 3.2.2.3.3: Receive Maximum 65,535 when the broker does not send one.
        if (token != null && token.getResponseProperties() != null
                && token.getResponseProperties().getReceiveMaximum() != null) {
            brokerReceiveMaximum = token.getResponseProperties().getReceiveMaximum();
        }
        // A follower's light-block request is QoS 1 too and takes one place of the broker's window.
        int window = Math.max(1, Math.min(MAX_WINDOW, brokerReceiveMaximum - (ledger != null ? 1 : 0)));
        synchronized (backoff) {
            backoff.connected(clock.instant());
        }
        connected.set(true);
        log.info("mqtt connected server={} client={} window={}", config.serverUri(), config.clientId(), window);
        try {
            client.publish(statusTopic, statusMessage("online"), null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    // A refusal here means the broker's ACL does not give this certificate the
                    // topics of clientId: every record will be refused too (docs/mosquitto.md).
                    int[] codes = token.getReasonCodes();
                    if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
                        log.warn("mqtt status refused topic={} reason_code=0x{}; does the certificate belong to client {}?",
                                statusTopic, Integer.toHexString(codes[0]), config.clientId());
                    }
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    log.debug("mqtt status publish failed error={}", failure.getMessage());
                }
            });
        } catch (MqttException e) {
            log.warn("mqtt status publish failed error={}", e.getMessage());
        }
        // SUBSCRIBE goes out before any record on this connection, so no receipt can come first.
        LedgerChannel.Subscriber lc = ledger;
        if (lc != null) {
            ledgerConnected(lc);
        }
        listener.connected(window);
        LiveChannel.Subscriber l = live;
        if (l != null) {
            liveConnected(l);
        }
    }

    @Override
    public void live(LiveChannel.Subscriber l) {
        this.live = l;
        if (l != null && connected.get()) {
            liveConnected(l);
        }
    }

    private void liveConnected(LiveChannel.Subscriber l) {
        livePending.set(0);
        MqttAsyncClient c = client;
        for (String filter : l.subscriptions()) {
            try {
                c.subscribe(filter, 0);
            } catch (MqttException e) {
                log.warn("mqtt subscribe failed filter={} error={}", filter, e.getMessage());
            }
        }
        l.connected();
    }

    @Override
    public boolean publishLive(String topic, byte[] payload, boolean retained) {
        MqttAsyncClient c = client;
        if (c == null || !connected.get()) {
            return false;
        }
        if (livePending.incrementAndGet() > MAX_LIVE_PENDING) {
            livePending.decrementAndGet();
            return false;
        }
        MqttMessage message = new MqttMessage(payload);
        message.setQos(0);
        message.setRetained(retained);
        try {
            // For QoS 0 Paho completes the token once the PUBLISH is written to the socket.
            c.publish(topic, message, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    livePending.updateAndGet(n -> Math.max(0, n - 1));
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    livePending.updateAndGet(n -> Math.max(0, n - 1));
                }
            });
            return true;
        } catch (MqttException e) {
            livePending.updateAndGet(n -> Math.max(0, n - 1));
            log.debug("mqtt live publish not accepted topic={} error={}", topic, e.getMessage());
            return false;
        }
    }

    @Override
    public void ledger(LedgerChannel.Subscriber subscriber) {
        this.ledger = subscriber;
        if (subscriber != null && connected.get()) {
            ledgerConnected(subscriber);
        }
    }

    /**
     * Paho v5's {@code subscribe(topic, qos, listener)} recurses without end; the client's one
     * callback routes messages instead (messageArrived). The session starts clean, so every
     * connection subscribes again.
     */
    private void ledgerConnected(LedgerChannel.Subscriber subscriber) {
        MqttAsyncClient c = client;
        String[] topics = {receiptsTopic, responseTopic, bookingsTopic};
        try {
            // The subscriber hears "connected" once the broker has granted the subscriptions (SUBACK,
            // MQTT 5 section 3.9): until then an answer to a request could be dropped. Records sent
            // meanwhile are safe: the broker handles this connection's SUBSCRIBE before them.
            c.subscribe(topics, new int[] {1, 1, 1}, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    int[] codes = token.getReasonCodes();
                    for (int i = 0; codes != null && i < codes.length && i < topics.length; i++) {
                        if (codes[i] >= 0x80) {
                            log.warn("mqtt subscribe refused topic={} reason_code=0x{}; does the broker ACL give the device its topics?",
                                    topics[i], Integer.toHexString(codes[i]));
                        }
                    }
                    subscriber.connected();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    log.warn("mqtt subscribe failed topics={} error={}", String.join(",", topics), failure.getMessage());
                }
            });
        } catch (MqttException e) {
            log.warn("mqtt subscribe failed topics={} error={}", String.join(",", topics), e.getMessage());
        }
    }

    @Override
    public boolean requestLightBlock(byte[] request, byte[] correlationData) {
        MqttAsyncClient c = client;
        if (c == null || !connected.get()) {
            return false;
        }
        MqttMessage message = new MqttMessage(request);
        message.setQos(1);
        // MQTT 5 section 3.3.2.3.5 (Response Topic) and 3.3.2.3.6 (Correlation Data).
        MqttProperties properties = new MqttProperties();
        properties.setResponseTopic(responseTopic);
        properties.setCorrelationData(correlationData.clone());
        message.setProperties(properties);
        try {
            c.publish(requestTopic, message);
            return true;
        } catch (MqttException e) {
            log.debug("mqtt light block request not accepted error={}", e.getMessage());
            return false;
        }
    }

    /** The topic the gateway sends this device's receipts to. */
    public String receiptsTopic() {
        return receiptsTopic;
    }

    /** The topic the gateway sends the receipts of bookings of this device's offers to (docs/charging.md, "Topics"). */
    public String bookingsTopic() {
        return bookingsTopic;
    }

    /** The topic light-block requests go to; answers come on {@link #responseTopic()}. */
    public String requestTopic() {
        return requestTopic;
    }

    public String responseTopic() {
        return responseTopic;
    }

    private static MqttMessage statusMessage(String status) {
        MqttMessage m = new MqttMessage(status.getBytes(StandardCharsets.US_ASCII));
        m.setQos(1);
        m.setRetained(true);
        return m;
    }

    @Override
    public boolean send(long sequence, byte[] payload) {
        MqttAsyncClient c = client;
        if (c == null || !connected.get()) {
            return false;
        }
        MqttMessage message = new MqttMessage(payload);
        message.setQos(1);
        try {
            c.publish(txTopic, message, sequence, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    int[] codes = token.getReasonCodes();
                    int code = codes == null || codes.length == 0 ? 0 : codes[0];
                    if (code >= 0x80) {
                        listener.refused(sequence, code);
                    } else {
                        listener.acknowledged(sequence);
                    }
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    // Lost with the connection; the disconnect callback makes the agent re-send.
                    log.debug("mqtt publish failed sequence={} error={}", sequence, failure.getMessage());
                }
            });
            return true;
        } catch (MqttException e) {
            log.debug("mqtt publish not accepted sequence={} error={}", sequence, e.getMessage());
            return false;
        }
    }

    @Override
    public boolean sendTransaction(byte[] signedTx) {
        MqttAsyncClient c = client;
        if (c == null || !connected.get()) {
            return false;
        }
        MqttMessage message = new MqttMessage(signedTx);
        message.setQos(1);
        try {
            // No user context: the listener below reports nothing to the record window.
            c.publish(txTopic, message, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    int[] codes = token.getReasonCodes();
                    if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
                        // MQTT 5 section 3.4.2.1: a PUBACK reason code of 0x80 or above refuses the message.
                        log.warn("mqtt transaction refused topic={} reason_code=0x{}", txTopic, Integer.toHexString(codes[0]));
                    }
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    log.debug("mqtt transaction publish failed error={}", failure.getMessage());
                }
            });
            return true;
        } catch (MqttException e) {
            log.debug("mqtt transaction not accepted error={}", e.getMessage());
            return false;
        }
    }

    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        MqttAsyncClient c = client;
        if (c == null) {
            return;
        }
        try {
            if (c.isConnected()) {
                c.publish(statusTopic, statusMessage("offline")).waitForCompletion(2000);
                c.disconnect(2000).waitForCompletion(3000);
            }
        } catch (MqttException e) {
            log.debug("mqtt disconnect error={}", e.getMessage());
        } finally {
            try {
                c.close(true);
            } catch (MqttException e) {
                log.debug("mqtt close error={}", e.getMessage());
            }
        }
    }
}
