package io.wattproof.agent.driver;

import java.util.function.BiConsumer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** A bare Paho client for the test doubles: one handler for every message, publish and subscribe that wait. */
final class MqttTestClient implements AutoCloseable {
    private final MqttAsyncClient client;

    MqttTestClient(String uri, String clientId, BiConsumer<String, MqttMessage> handler) throws MqttException {
        client = new MqttAsyncClient(uri, clientId, new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                try {
                    handler.accept(topic, message);
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
        client.connect(o).waitForCompletion(10_000);
    }

    /** Waits for the SUBACK: the listener variant completes on it. */
    void subscribe(String filter, int qos) throws Exception {
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        client.subscribe(new String[] {filter}, new int[] {qos}, null, new org.eclipse.paho.mqttv5.client.MqttActionListener() {
            public void onSuccess(IMqttToken t) {
                done.complete(null);
            }

            public void onFailure(IMqttToken t, Throwable e) {
                done.completeExceptionally(e);
            }
        });
        done.get(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    void publish(String topic, byte[] payload, int qos, boolean retained) {
        MqttMessage m = new MqttMessage(payload);
        m.setQos(qos);
        m.setRetained(retained);
        try {
            // Not waited for: publish is called from Paho's callback thread, which delivers the PUBACK.
            client.publish(topic, m);
        } catch (MqttException e) {
            throw new IllegalStateException("test publish to " + topic + " failed", e);
        }
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
