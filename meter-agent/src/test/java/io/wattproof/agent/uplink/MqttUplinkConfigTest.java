package io.wattproof.agent.uplink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;

class MqttUplinkConfigTest {
    private static final String ID = "00112233445566778899aabbccddeeff00112233";

    private static SSLSocketFactory tls() throws NoSuchAlgorithmException {
        return SSLContext.getDefault().getSocketFactory();
    }

    @Test
    void anSslUriWithoutTlsSettingsIsRefused() {
        // Paho would otherwise use the JDK's default trust store and no client certificate.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MqttUplink(MqttUplinkConfig.of("ssl://127.0.0.1:8883", ID)));
        assertEquals("tls: expected a TLS socket factory for serverUri ssl://127.0.0.1:8883, got none", e.getMessage());
    }

    @Test
    void tlsSettingsWithAPlainUriAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MqttUplink(MqttUplinkConfig.of("tcp://127.0.0.1:1883", ID).withTls(tls())));
        assertEquals("serverUri: expected ssl://host:port with tls, got tcp://127.0.0.1:1883", e.getMessage());
    }

    @Test
    void plainAndTlsConfigurationsAreAccepted() throws Exception {
        new MqttUplink(MqttUplinkConfig.of("tcp://127.0.0.1:1883", ID)).close();
        new MqttUplink(MqttUplinkConfig.of("ssl://127.0.0.1:8883", ID).withTls(tls())).close();
    }

    @Test
    void topicsAreTheDevicesOwn() {
        MqttUplink uplink = new MqttUplink(MqttUplinkConfig.of("tcp://127.0.0.1:1883", ID));
        assertEquals("wattproof/v1/devices/" + ID + "/tx", uplink.txTopic());
        assertEquals("wattproof/v1/devices/" + ID + "/status", uplink.statusTopic());
        uplink.close();
    }

    @Test
    void aSmallerMaxAlsoBoundsTheBase() {
        MqttUplinkConfig c = MqttUplinkConfig.of("tcp://127.0.0.1:1883", ID).withMaxReconnectDelay(Duration.ofMillis(300));
        assertEquals(Duration.ofMillis(300), c.reconnectBaseDelay());
        assertEquals(Duration.ofMillis(300), c.maxReconnectDelay());
    }

    @Test
    void toStringSaysWhetherTlsIsOnAndNothingMore() throws Exception {
        MqttUplinkConfig c = MqttUplinkConfig.of("ssl://127.0.0.1:8883", ID).withTls(tls());
        assertEquals("MqttUplinkConfig[serverUri=ssl://127.0.0.1:8883, clientId=" + ID + ", topicPrefix=wattproof/v1, tls=true]",
                c.toString());
    }

    @Test
    void describeNamesTheReasonCodeAndTheCauses() {
        MqttException lost = new MqttException(32109, new java.net.SocketException("Socket closed"));
        assertEquals("reason_code=0x7d6d " + lost.getMessage() + " <- SocketException: Socket closed", MqttUplink.describe(lost));
        // Reason code 0 is Paho's wrapper for a client-side exception: its own text says nothing.
        MqttException wrapped = new MqttException(new java.net.SocketException("Broken pipe"));
        assertEquals("reason_code=0x0 <- SocketException: Broken pipe", MqttUplink.describe(wrapped));
        assertEquals("reason_code=0x87 " + new MqttException(0x87).getMessage(), MqttUplink.describe(new MqttException(0x87)));
        assertEquals("IllegalStateException: x", MqttUplink.describe(new IllegalStateException("x")));
    }
}
