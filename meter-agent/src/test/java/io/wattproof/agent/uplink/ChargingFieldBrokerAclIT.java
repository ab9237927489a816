package io.wattproof.agent.uplink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.wattproof.agent.TestDeviceKey;
import io.wattproof.agent.ota.RawDevice;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The charging topics (docs/charging.md, "Topics") through the field broker: Mosquitto run from
 * docs/examples/mosquitto as it is, a pile and two car owners with certificates whose CN is their
 * key's id, and a gateway with CN {@code wattproof-gateway}. Each message of a session reaches
 * whom the table says; a car owner cannot use another car owner's subtree.
 */
class ChargingFieldBrokerAclIT {
    private static final String P = "wattproof/v1";
    private static final String BOOKING = "ab".repeat(32);

    @TempDir
    static Path dir;
    private static WattproofMosquitto broker;
    private static SSLContext gatewayTls;
    private final List<RawDevice> clients = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        broker = WattproofMosquitto.start(dir);
        gatewayTls = broker.clientTls("wattproof-gateway");
    }

    @AfterAll
    static void stop() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @AfterEach
    void closeClients() {
        clients.forEach(RawDevice::close);
    }

    /** A party with its own key and certificate (CN its key's id); its client id is that id. */
    private record Party(String id, RawDevice mqtt) {}

    private Party party() throws Exception {
        TestDeviceKey key = new TestDeviceKey();
        String id = key.deviceId().hex();
        RawDevice mqtt = new RawDevice(broker.uri(), id, broker.deviceTls(key).getSocketFactory(), null);
        clients.add(mqtt);
        return new Party(id, mqtt);
    }

    private RawDevice gateway() throws Exception {
        RawDevice g = new RawDevice(broker.uri(), "gateway-" + System.nanoTime(), gatewayTls.getSocketFactory(), null);
        clients.add(g);
        return g;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void assertReceived(RawDevice at, String topic, String payload) throws InterruptedException {
        RawDevice.Received r = at.next(10);
        assertEquals(topic, r.topic());
        assertArrayEquals(bytes(payload), r.payload());
    }

    @Test
    void everyMessageOfASessionReachesWhomTheTopicsTableSays() throws Exception {
        Party pile = party();
        Party owner = party();
        RawDevice gateway = gateway();
        gateway.subscribe("$share/wattproof-gateways/" + P + "/drivers/+/tx", 1);
        gateway.subscribe("$share/wattproof-gateways/" + P + "/drivers/+/ledger/request", 1);
        pile.mqtt().subscribe(P + "/devices/" + pile.id() + "/bookings", 1);
        pile.mqtt().subscribe(P + "/devices/" + pile.id() + "/charge/requests", 0);
        String ownTree = P + "/drivers/" + owner.id();
        owner.mqtt().subscribe(ownTree + "/receipts", 1);
        owner.mqtt().subscribe(ownTree + "/ledger/response", 1);
        owner.mqtt().subscribe(ownTree + "/sessions/#", 0);

        // The pile's offers, retained, which any car owner reads.
        pile.mqtt().publish(P + "/devices/" + pile.id() + "/charge/info", bytes("{\"offers\":[]}"), 1, true, true);
        owner.mqtt().subscribe(P + "/devices/" + pile.id() + "/charge/info", 0);
        assertReceived(owner.mqtt(), P + "/devices/" + pile.id() + "/charge/info", "{\"offers\":[]}");

        // The booking goes to the gateway; its receipt back to the car owner, and to the pile.
        owner.mqtt().publish(P + "/drivers/" + owner.id() + "/tx", bytes("booking"), 1, false, true);
        assertReceived(gateway, P + "/drivers/" + owner.id() + "/tx", "booking");
        owner.mqtt().publish(P + "/drivers/" + owner.id() + "/ledger/request", bytes("height 7"), 1, false, true);
        assertReceived(gateway, P + "/drivers/" + owner.id() + "/ledger/request", "height 7");
        gateway.publish(P + "/drivers/" + owner.id() + "/receipts", bytes("receipt"), 1, false, true);
        assertReceived(owner.mqtt(), P + "/drivers/" + owner.id() + "/receipts", "receipt");
        gateway.publish(P + "/drivers/" + owner.id() + "/ledger/response", bytes("block 7"), 1, false, true);
        assertReceived(owner.mqtt(), P + "/drivers/" + owner.id() + "/ledger/response", "block 7");
        gateway.publish(P + "/devices/" + pile.id() + "/bookings", bytes("booking receipt"), 1, false, true);
        assertReceived(pile.mqtt(), P + "/devices/" + pile.id() + "/bookings", "booking receipt");

        // The start request to the pile; the session's live values and events to the car owner.
        owner.mqtt().publish(P + "/devices/" + pile.id() + "/charge/requests", bytes("start"), 0, false, true);
        assertReceived(pile.mqtt(), P + "/devices/" + pile.id() + "/charge/requests", "start");
        String session = P + "/drivers/" + owner.id() + "/sessions/" + BOOKING;
        pile.mqtt().publish(session + "/events", bytes("{\"event\":\"started\"}"), 0, false, true);
        assertReceived(owner.mqtt(), session + "/events", "{\"event\":\"started\"}");
        pile.mqtt().publish(session + "/live", bytes("{\"power_w\":7000}"), 0, false, true);
        assertReceived(owner.mqtt(), session + "/live", "{\"power_w\":7000}");
    }

    @Test
    void aCarOwnerCannotUseAnotherCarOwnersSubtree() throws Exception {
        Party owner = party();
        Party other = party();
        RawDevice gateway = gateway();
        gateway.subscribe("$share/wattproof-gateways/" + P + "/drivers/+/tx", 1);
        other.mqtt().subscribe(P + "/drivers/" + other.id() + "/#", 1);

        // Mosquitto grants every subscription and checks reads when it delivers: the other's receipt
        // reaches the other, and not the car owner who subscribed to it.
        owner.mqtt().subscribe(P + "/drivers/" + other.id() + "/receipts", 1);
        gateway.publish(P + "/drivers/" + other.id() + "/receipts", bytes("their receipt"), 1, false, true);
        assertReceived(other.mqtt(), P + "/drivers/" + other.id() + "/receipts", "their receipt");
        assertNull(owner.mqtt().received.poll(500, TimeUnit.MILLISECONDS), "a car owner read another's receipt");

        // A booking in the other's name: refused (Mosquitto closes a TLS connection on a denied
        // publish, or answers PUBACK 0x87), and nobody receives it.
        Party impostor = party();
        try {
            impostor.mqtt().publish(P + "/drivers/" + other.id() + "/tx", bytes("forged booking"), 1, false, true);
        } catch (IllegalStateException closedOnDenial) {
            // The broker's answer to a denied publish over TLS.
        }
        assertNull(gateway.received.poll(1, TimeUnit.SECONDS), "the gateway received a booking sent in another's name");
        assertNull(other.mqtt().received.poll(200, TimeUnit.MILLISECONDS), "the other car owner received something");
    }
}
