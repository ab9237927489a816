package io.wattproof.agent.uplink;

import io.wattproof.crypto.cert.DeviceKeyManager;
import io.wattproof.crypto.cert.DeviceTls;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLSocketFactory;

/**
 * How to reach the broker.
 *
 * @param serverUri {@code tcp://host:port} for plain TCP, {@code ssl://host:port} with {@code tls}
 * @param clientId the device id in hex; also the device's topic level
 * @param topicPrefix root of the protocol's topic tree, e.g. {@code wattproof/v1}
 * @param connectTimeout TCP connect plus TLS handshake plus CONNACK (whole seconds, Paho's unit)
 * @param keepAlive MQTT keep alive (whole seconds)
 * @param reconnectBaseDelay cap of the first wait after a failed attempt or a lost connection
 * @param maxReconnectDelay largest cap of the wait between attempts ({@link ReconnectBackoff})
 * @param stableConnection a connection that lasted this long resets the back-off
 * @param tls sockets for {@code ssl://}, normally from {@link #withDeviceTls}; null for plain TCP.
 *     The broker's host name or address is checked against its certificate.
 */
public record MqttUplinkConfig(
        String serverUri,
        String clientId,
        String topicPrefix,
        Duration connectTimeout,
        Duration keepAlive,
        Duration reconnectBaseDelay,
        Duration maxReconnectDelay,
        Duration stableConnection,
        SSLSocketFactory tls) {

    public static final String DEFAULT_TOPIC_PREFIX = "wattproof/v1";

    public MqttUplinkConfig {
        Objects.requireNonNull(serverUri, "serverUri");
        Objects.requireNonNull(clientId, "clientId");
    }

    /**
     * Refuses an {@code ssl://} URI without {@code tls} and {@code tls} with another scheme. Checked
     * when the uplink is made, not here, so that {@code of(uri, id).withDeviceTls(...)} works.
     */
    void requireConsistentTls() {
        boolean ssl = serverUri.startsWith("ssl://");
        // Without our factory Paho would fall back to the JDK's default trust store and offer no
        // client certificate: a silent downgrade of whom the device trusts.
        if (ssl && tls == null) {
            throw new IllegalArgumentException("tls: expected a TLS socket factory for serverUri " + serverUri + ", got none");
        }
        if (!ssl && tls != null) {
            throw new IllegalArgumentException("serverUri: expected ssl://host:port with tls, got " + serverUri);
        }
    }

    /**
     * Defaults for a board: reconnect waits drawn from 0–1 s, doubling up to 0–60 s, starting over
     * after a connection that lasted a minute, so a fleet does not hammer a broker that is coming
     * back.
     */
    public static MqttUplinkConfig of(String serverUri, String clientId) {
        return new MqttUplinkConfig(serverUri, clientId, DEFAULT_TOPIC_PREFIX, Duration.ofSeconds(10), Duration.ofSeconds(30),
                Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(60), null);
    }

    public MqttUplinkConfig withMaxReconnectDelay(Duration delay) {
        return new MqttUplinkConfig(serverUri, clientId, topicPrefix, connectTimeout, keepAlive,
                reconnectBaseDelay.compareTo(delay) > 0 ? delay : reconnectBaseDelay, delay, stableConnection, tls);
    }

    public MqttUplinkConfig withReconnectDelays(Duration base, Duration max, Duration stable) {
        return new MqttUplinkConfig(serverUri, clientId, topicPrefix, connectTimeout, keepAlive, base, max, stable, tls);
    }

    public MqttUplinkConfig withTls(SSLSocketFactory factory) {
        return new MqttUplinkConfig(serverUri, clientId, topicPrefix, connectTimeout, keepAlive, reconnectBaseDelay,
                maxReconnectDelay, stableConnection, Objects.requireNonNull(factory, "tls"));
    }

    /**
     * Mutual TLS with the device certificate: the device key signs the handshake where it lives
     * (software store, PKCS#11 token, secure element); the broker must present a certificate from
     * one of {@code brokerAuthorities} naming the host of {@code serverUri}.
     */
    public MqttUplinkConfig withDeviceTls(DeviceKeyManager device, List<X509Certificate> brokerAuthorities) {
        return withTls(DeviceTls.clientContext(device, brokerAuthorities).getSocketFactory());
    }

    @Override
    public String toString() {
        return "MqttUplinkConfig[serverUri=" + serverUri + ", clientId=" + clientId + ", topicPrefix=" + topicPrefix
                + ", tls=" + (tls != null) + "]";
    }
}
