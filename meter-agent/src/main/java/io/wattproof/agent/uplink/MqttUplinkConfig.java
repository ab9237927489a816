package io.wattproof.agent.uplink;

import java.time.Duration;

/**
 * How to reach the broker.
 *
 * @param serverUri e.g. {@code tcp://127.0.0.1:1883}
 * @param clientId the device id in hex; also the device's topic level
 * @param topicPrefix root of the protocol's topic tree, e.g. {@code wattproof/v1}
 * @param retryDelay wait between attempts while the first connection fails
 * @param maxReconnectDelay upper bound of the back-off between reconnect attempts (whole seconds)
 */
public record MqttUplinkConfig(
        String serverUri,
        String clientId,
        String topicPrefix,
        Duration connectTimeout,
        Duration keepAlive,
        Duration retryDelay,
        Duration maxReconnectDelay) {

    public static final String DEFAULT_TOPIC_PREFIX = "wattproof/v1";

    /**
     * Defaults for a board: reconnect attempts back off from 1 s to 30 s, so a fleet does not
     * hammer a broker that is coming back.
     */
    public static MqttUplinkConfig of(String serverUri, String clientId) {
        return new MqttUplinkConfig(serverUri, clientId, DEFAULT_TOPIC_PREFIX, Duration.ofSeconds(10), Duration.ofSeconds(30),
                Duration.ofSeconds(2), Duration.ofSeconds(30));
    }

    public MqttUplinkConfig withMaxReconnectDelay(Duration delay) {
        return new MqttUplinkConfig(serverUri, clientId, topicPrefix, connectTimeout, keepAlive, retryDelay, delay);
    }
}
