package io.wattproof.agent.uplink;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/**
 * The waiting calls of short-lived MQTT 5 clients (an operator's update server, a car owner):
 * a publish that waits for its PUBACK and a subscribe that waits for its SUBACK, each refused when
 * the broker answers with a reason code of 0x80 or above (MQTT 5 sections 3.4.2.1 and 3.9.3; 0x87,
 * not authorized, is what a broker ACL answers). The agent's own uplink never waits like this.
 */
public final class PahoWaits {
    private PahoWaits() {}

    /** A call that did not complete: no connection, no answer in time, or a refusal by the broker. */
    public static final class Failure extends Exception {
        Failure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Publishes and waits for the broker's acknowledgement (for QoS 1; QoS 0 waits for the send). */
    public static void publish(MqttAsyncClient client, String topic, MqttMessage message, Duration timeout) throws Failure {
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
     * Subscribes and waits for the SUBACK. The listener variant of Paho's subscribe completes on
     * it; Paho v5's subscribe with a message listener recurses, so the client's one callback routes.
     *
     * @param refusalHint said after a refusal, e.g. which ACL entry to look at
     */
    public static void subscribe(MqttAsyncClient client, String filter, int qos, Duration timeout, String refusalHint) throws Failure {
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
    }

    /** Paho's exception with its reason code and cause, for messages. */
    public static String describe(MqttException e) {
        Throwable c = e.getCause();
        return "reason_code=0x" + Integer.toHexString(e.getReasonCode()) + " " + e.getMessage() + (c != null ? " <- " + c : "");
    }
}
