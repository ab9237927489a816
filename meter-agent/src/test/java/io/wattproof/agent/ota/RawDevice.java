package io.wattproof.agent.ota;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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

/**
 * A bare Paho MQTT 5 client that plays a device (or a spy) in the update channel's tests: every
 * message goes to {@link #received} or to the handler given, and subscribe waits for the SUBACK.
 */
public final class RawDevice implements AutoCloseable {
    /** One message as delivered; {@code retained} is the PUBLISH's RETAIN flag. */
    public record Received(String topic, byte[] payload, boolean retained) {}

    public final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final MqttAsyncClient client;

    public RawDevice(String uri, String clientId) throws MqttException {
        this(uri, clientId, null);
    }

    /** With a handler, messages go to it (on Paho's callback thread) instead of {@link #received}. */
    public RawDevice(String uri, String clientId, Consumer<Received> handler) throws MqttException {
        this(uri, clientId, null, handler);
    }

    /** As above, over TLS with {@code tls} (null: plain, or the JVM's defaults for ssl://). */
    public RawDevice(String uri, String clientId, SSLSocketFactory tls, Consumer<Received> handler) throws MqttException {
        client = new MqttAsyncClient(uri, clientId, new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                Received r = new Received(topic, message.getPayload(), message.isRetained());
                if (handler == null) {
                    received.add(r);
                    return;
                }
                try {
                    handler.accept(r);
                } catch (RuntimeException e) {
                    e.printStackTrace();
                }
            }

            public void disconnected(MqttDisconnectResponse r) {}

            public void mqttErrorOccurred(MqttException e) {}

            public void deliveryComplete(IMqttToken t) {}

            public void connectComplete(boolean reconnect, String uri) {}

            public void authPacketArrived(int code, MqttProperties p) {}
        });
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        if (tls != null) {
            o.setSocketFactory(tls);
            o.setHttpsHostnameVerificationEnabled(true);
        }
        client.connect(o).waitForCompletion(10_000);
    }

    /** Subscribes and waits for the SUBACK; a refusal (reason code 0x80 or above, e.g. 0x87 from an ACL) is an AssertionError. */
    public void subscribe(String filter, int qos) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        client.subscribe(new String[] {filter}, new int[] {qos}, null, new MqttActionListener() {
            public void onSuccess(IMqttToken t) {
                int[] codes = t.getReasonCodes();
                if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
                    done.completeExceptionally(new AssertionError("subscribe " + filter + " refused: reason code 0x"
                            + Integer.toHexString(codes[0])));
                    return;
                }
                done.complete(null);
            }

            public void onFailure(IMqttToken t, Throwable e) {
                done.completeExceptionally(e);
            }
        });
        done.get(10, TimeUnit.SECONDS);
    }

    /** Waits for completion unless called from Paho's callback thread ({@code wait} false there). */
    public void publish(String topic, byte[] payload, int qos, boolean retained, boolean wait) {
        MqttMessage m = new MqttMessage(payload);
        m.setQos(qos);
        m.setRetained(retained);
        try {
            IMqttToken t = client.publish(topic, m);
            if (wait) {
                t.waitForCompletion(10_000);
            }
        } catch (MqttException e) {
            throw new IllegalStateException("test publish to " + topic + " failed", e);
        }
    }

    public void publish(String topic, byte[] payload) {
        publish(topic, payload, 0, false, true);
    }

    /** The next message, or an AssertionError after {@code seconds}. */
    public Received next(int seconds) throws InterruptedException {
        Received r = received.poll(seconds, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("no message within " + seconds + " s");
        }
        return r;
    }

    @Override
    public void close() {
        try {
            client.disconnect().waitForCompletion(3000);
        } catch (MqttException ignored) {
            // The broker goes next anyway.
        }
        try {
            client.close(true);
        } catch (MqttException ignored) {
            // as above
        }
    }
}
