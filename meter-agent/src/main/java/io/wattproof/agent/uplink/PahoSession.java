package io.wattproof.agent.uplink;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import javax.net.ssl.SSLSocketFactory;
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
 * The MQTT 5 session of a short-lived client (an operator's update server, a car owner): one
 * connection with clean start and automatic reconnect, its subscriptions made again after every
 * reconnect, and one callback that hands every message to one handler (Paho v5's subscribe with a
 * per-subscription listener recurses). Its calls wait: a publish for its PUBACK and a subscribe
 * for its SUBACK, each refused when the broker answers with a reason code of 0x80 or above (MQTT 5
 * sections 3.4.2.1 and 3.9.3; 0x87, not authorized, is what a broker ACL answers). The agent's
 * own uplink never waits like this.
 */
public final class PahoSession implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PahoSession.class);

    /** A call that did not complete: no connection, no answer in time, or a refusal by the broker. */
    public static final class Failure extends Exception {
        Failure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final MqttAsyncClient client;
    private final String name;
    private final Duration timeout;
    /** Filter → QoS, subscribed again after a reconnect (the session starts clean). */
    private final Map<String, Integer> subscriptions = new ConcurrentHashMap<>();

    private PahoSession(MqttAsyncClient client, String name, Duration timeout) {
        this.client = client;
        this.name = name;
        this.timeout = timeout;
    }

    /**
     * Connects and waits for the CONNACK.
     *
     * @param clientId unique per connection (the broker drops an older connection with the same
     *     id, MQTT 5 section 3.1.4)
     * @param timeout for the connect and for every waiting call after it
     * @param tls for an {@code ssl://} broker, the client's TLS (its authorities, its certificate);
     *     empty: the JVM's trust store and no client certificate. The broker's certificate must
     *     name the host of {@code brokerUri} either way.
     * @param name who is connecting, for the log ("ota server", "car owner")
     * @param onMessage every message that arrives, by topic; whatever it throws is logged and
     *     goes no further (reaching Paho, it would drop the connection)
     * @throws Failure when the URI is not an MQTT URI or the broker cannot be reached in time
     */
    public static PahoSession connect(String brokerUri, String clientId, Duration timeout, Optional<SSLSocketFactory> tls,
            String name, BiConsumer<String, MqttMessage> onMessage) throws Failure {
        Objects.requireNonNull(onMessage, "onMessage");
        MqttAsyncClient client;
        try {
            client = new MqttAsyncClient(brokerUri, clientId, new MemoryPersistence());
        } catch (MqttException | IllegalArgumentException e) {
            throw new Failure("broker: expected an MQTT URI such as tcp://host:1883, got '" + brokerUri + "' (" + e.getMessage() + ")", e);
        }
        PahoSession session = new PahoSession(client, name, timeout);
        client.setCallback(session.callback(brokerUri, onMessage));
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setAutomaticReconnect(true);
        o.setConnectionTimeout((int) Math.max(1, timeout.toSeconds()));
        if (brokerUri.startsWith("ssl://")) {
            tls.ifPresent(o::setSocketFactory);
            o.setHttpsHostnameVerificationEnabled(true);
        } else if (tls.isPresent()) {
            session.closeClient();
            throw new Failure("broker " + brokerUri + ": TLS settings are for an ssl:// broker", null);
        }
        try {
            client.connect(o).waitForCompletion(timeout.toMillis() + 1000);
        } catch (MqttException e) {
            session.closeClient();
            throw new Failure("broker " + brokerUri + ": cannot connect (" + describe(e) + ")", e);
        }
        return session;
    }

    private MqttCallback callback(String brokerUri, BiConsumer<String, MqttMessage> onMessage) {
        return new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                try {
                    onMessage.accept(topic, message);
                } catch (RuntimeException e) {
                    log.warn("{} message handling failed topic={} error={}", name, topic, e.toString());
                }
            }

            @Override
            public void connectComplete(boolean reconnect, String serverUri) {
                if (reconnect) {
                    log.info("{} reconnected server={}; subscribing again filters={}", name, serverUri, subscriptions.size());
                    subscriptions.forEach((f, q) -> {
                        try {
                            client.subscribe(new String[] {f}, new int[] {q}, null, null);
                        } catch (MqttException e) {
                            log.warn("{} subscribe failed filter={} error={}", name, f, describe(e));
                        }
                    });
                }
            }

            @Override
            public void disconnected(MqttDisconnectResponse response) {
                log.warn("{} disconnected server={} reason={}", name, brokerUri,
                        response.getException() != null ? response.getException().getMessage() : response.getReasonString());
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
                log.warn("{} mqtt error: {}", name, exception.getMessage());
            }

            @Override
            public void deliveryComplete(IMqttToken token) {}

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {}
        };
    }

    /** Publishes and waits for the broker's acknowledgement (for QoS 1; QoS 0 waits for the send). */
    public void publish(String topic, MqttMessage message) throws Failure {
        try {
            IMqttToken token = client.publish(topic, message);
            token.waitForCompletion(timeout.toMillis());
            int[] codes = token.getReasonCodes();
            if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
                throw new Failure("publish " + topic + ": expected the broker to accept it, got reason code 0x"
                        + Integer.toHexString(codes[0]), null);
            }
        } catch (MqttException e) {
            throw new Failure("publish " + topic + ": " + describe(e), e);
        }
    }

    /**
     * Hands a message to the client without waiting: for an answer sent from the message
     * handler, which runs on Paho's callback thread and must not block it.
     */
    public void send(String topic, MqttMessage message) throws Failure {
        try {
            client.publish(topic, message);
        } catch (MqttException e) {
            throw new Failure("publish " + topic + ": " + describe(e), e);
        }
    }

    /**
     * Subscribes, waits for the SUBACK, and subscribes again after every reconnect until {@link
     * #unsubscribe}. The listener variant of Paho's subscribe completes on the SUBACK.
     *
     * @param refusalHint said after a refusal, e.g. which ACL entry to look at
     */
    public void subscribe(String filter, int qos, String refusalHint) throws Failure {
        CompletableFuture<int[]> acked = new CompletableFuture<>();
        try {
            client.subscribe(new String[] {filter}, new int[] {qos}, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    acked.complete(token.getReasonCodes());
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    acked.completeExceptionally(failure);
                }
            });
            int[] codes = acked.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
                throw new Failure("subscribe " + filter + ": expected a granted QoS, got reason code 0x" + Integer.toHexString(codes[0])
                        + " (" + refusalHint + ")", null);
            }
        } catch (MqttException e) {
            throw new Failure("subscribe " + filter + ": " + describe(e), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new Failure("subscribe " + filter + ": no SUBACK (" + e.getMessage() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("subscribe " + filter + ": interrupted", e);
        }
        subscriptions.put(filter, qos);
    }

    /** Whether {@code filter} is subscribed (and will be again after a reconnect). */
    public boolean isSubscribed(String filter) {
        return subscriptions.containsKey(filter);
    }

    /** Unsubscribes, without waiting; a failure is only logged (the filter is not subscribed again either way). */
    public void unsubscribe(String filter) {
        subscriptions.remove(filter);
        try {
            if (client.isConnected()) {
                client.unsubscribe(filter);
            }
        } catch (MqttException e) {
            log.debug("{} unsubscribe failed filter={} error={}", name, filter, describe(e));
        }
    }

    /** Paho's exception with its reason code and cause, for messages. */
    public static String describe(MqttException e) {
        Throwable c = e.getCause();
        return "reason_code=0x" + Integer.toHexString(e.getReasonCode()) + " " + e.getMessage() + (c != null ? " <- " + c : "");
    }

    private void closeClient() {
        try {
            client.close(true);
        } catch (MqttException e) {
            log.debug("{} close failed error={}", name, e.getMessage());
        }
    }

    /** Disconnects (waiting up to 3 s for the DISCONNECT to go out) and closes the client. */
    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(3000);
            }
        } catch (MqttException e) {
            log.debug("{} disconnect failed error={}", name, e.getMessage());
        }
        closeClient();
    }
}
