package io.wattproof.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class FleetHostingTest {

    @Test
    void aTcpHostAndPortIsTaken() {
        FleetHosting h = FleetHosting.LARGE.withExternalBroker("tcp://10.0.0.7:1883");
        assertEquals(Optional.of("tcp://10.0.0.7:1883"), h.externalBroker());
        assertEquals("10.0.0.7", FleetHosting.host(h.externalBroker().get()));
        assertEquals(1883, FleetHosting.port(h.externalBroker().get()));
        FleetHosting.checkBrokerUri("tcp://broker.example.org:8883");
    }

    @Test
    void anythingElseIsRefusedNamingTheFieldAndWhatWasGiven() {
        for (String bad : new String[] {"mqtt://host:1883", "ssl://host:8883", "tcp://host", "tcp://host:0", "tcp://host:70000",
                "tcp://:1883", "tcp://host:1883/path", "tcp://user@host:1883", "host:1883", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FleetHosting.checkBrokerUri(bad), bad);
            assertEquals("broker: expected tcp://HOST:PORT with a port 1..65535, got '" + bad + "'", e.getMessage());
        }
        IllegalArgumentException syntax = assertThrows(IllegalArgumentException.class, () -> FleetHosting.checkBrokerUri("tcp://a b:1"));
        assertEquals(true, syntax.getMessage().startsWith("broker: expected tcp://HOST:PORT, got 'tcp://a b:1' ("), syntax.getMessage());
    }

    @Test
    void aRunConfigurationRefusesMoreMetersThanTheCap() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SimulationConfig(10_001,
                java.time.Duration.ofSeconds(15), java.time.Duration.ofMinutes(1), io.wattproof.crypto.KeyAlgorithm.ED25519,
                java.nio.file.Path.of("run"), null, "c", 0, java.time.ZoneOffset.UTC, Optional.empty()));
        assertEquals("meters: expected 1..10000, got 10001", e.getMessage());
    }
}
