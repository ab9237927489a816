package io.wattproof.agent.uplink;

import java.util.concurrent.atomic.AtomicBoolean;
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
 * {@code offline} (last will) when the agent vanishes.
 *
 * <p>Paho keeps no state that matters here: the session starts clean and in-flight messages live
 * in memory only, because the outbox is the one durable copy. After a reconnect the agent re-sends
 * whatever was not acknowledged. Paho v5 throws "too many publishes in progress" instead of
 * blocking, so the agent never has more records in flight than the window it is given on connect.
 */
public final class MqttUplink implements Uplink {
    private static final Logger log = LoggerFactory.getLogger(MqttUplink.class);
    /** Our own cap, below every broker we know (Mosquitto 20, HiveMQ 10). */
    private static final int MAX_WINDOW = 10;

    private final MqttUplinkConfig config;
    private final String txTopic;
    private final String statusTopic;
    private final AtomicBoolean connected = new AtomicBoolean();
    private volatile MqttAsyncClient client;
    private volatile Listener listener;
    private volatile int brokerReceiveMaximum = 65_535;
    private volatile boolean closed;

    public MqttUplink(MqttUplinkConfig config) {
        this.config = config;
        String device = config.topicPrefix() + "/devices/" + config.clientId();
        this.txTopic = device + "/tx";
        this.statusTopic = device + "/status";
    }

    @Override
    public void start(Listener listener) {
        this.listener = listener;
        try {
            client = new MqttAsyncClient(config.serverUri(), config.clientId(), new MemoryPersistence());
        } catch (MqttException e) {
            throw new IllegalArgumentException("mqtt server uri: " + e.getMessage() + " (" + config.serverUri() + ")", e);
        }
        client.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
                connected.set(false);
                String reason = response.getException() != null ? response.getException().getMessage() : response.getReasonString();
                log.warn("mqtt connection lost server={} reason={}", config.serverUri(), reason);
                listener.disconnected(String.valueOf(reason));
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
                log.warn("mqtt error server={} error={}", config.serverUri(), exception.getMessage());
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {}

            @Override
            public void deliveryComplete(IMqttToken token) {}

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
                if (reconnect) {
                    onConnected(listener, null);
                }
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {}
        });
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay(1, (int) Math.max(1, config.maxReconnectDelay().toSeconds()));
        options.setConnectionTimeout((int) Math.max(1, config.connectTimeout().toSeconds()));
        options.setKeepAliveInterval((int) config.keepAlive().toSeconds());
        options.setWill(statusTopic, statusMessage("offline"));
        options.setSocketFactory(new NoDelaySocketFactory());
        connect(options, listener);
    }

    private void connect(MqttConnectionOptions options, Listener listener) {
        try {
            client.connect(options, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    onConnected(listener, token);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    // Paho's automatic reconnect only covers connections that once succeeded.
                    log.warn("mqtt connect failed server={} error={}; retrying in {}s",
                            config.serverUri(), failure.getMessage(), config.retryDelay().toSeconds());
                    if (!closed) {
                        Thread.ofVirtual().start(() -> {
                            try {
                                Thread.sleep(config.retryDelay());
                                if (!closed) connect(options, listener);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        });
                    }
                }
            });
        } catch (MqttException e) {
            log.warn("mqtt connect failed server={} error={}", config.serverUri(), e.getMessage());
        }
    }

    private void onConnected(Listener listener, IMqttToken token) {
        // Paho reports a reconnect without its CONNACK; the broker behind the URI is the same, so
        // its Receive Maximum from the first connection still applies (MQTT 5 section 3.2.2.3.3:
        // 65,535 when the broker does not send one).
        if (token != null && token.getResponseProperties() != null
                && token.getResponseProperties().getReceiveMaximum() != null) {
            brokerReceiveMaximum = token.getResponseProperties().getReceiveMaximum();
        }
        int window = Math.max(1, Math.min(MAX_WINDOW, brokerReceiveMaximum));
        connected.set(true);
        log.info("mqtt connected server={} client={} window={}", config.serverUri(), config.clientId(), window);
        try {
            client.publish(statusTopic, statusMessage("online"));
        } catch (MqttException e) {
            log.warn("mqtt status publish failed error={}", e.getMessage());
        }
        listener.connected(window);
    }

    private static MqttMessage statusMessage(String status) {
        MqttMessage m = new MqttMessage(status.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
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
    public void close() {
        closed = true;
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
