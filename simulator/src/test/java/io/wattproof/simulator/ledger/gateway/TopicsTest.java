package io.wattproof.simulator.ledger.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.simulator.ledger.gateway.Topics.Kind;
import io.wattproof.simulator.ledger.gateway.Topics.Role;
import io.wattproof.simulator.ledger.gateway.Topics.Source;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TopicsTest {
    private static final String P = Topics.DEFAULT_PREFIX;
    private static final String DEV = "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567";

    @Test
    void sharedFiltersCoverDeviceTxRequestsOperatorTxAndDriverTxRequests() {
        assertEquals(List.of(
                "$share/wattproof-gateways/wattproof/v1/devices/+/tx",
                "$share/wattproof-gateways/wattproof/v1/devices/+/ledger/request",
                "$share/wattproof-gateways/wattproof/v1/operators/+/tx",
                "$share/wattproof-gateways/wattproof/v1/drivers/+/tx",
                "$share/wattproof-gateways/wattproof/v1/drivers/+/ledger/request"), Topics.sharedFilters(P, "wattproof-gateways"));
        assertEquals("wattproof/v1/ledger/latest", Topics.latest(P));
        assertEquals("wattproof/v1/devices/" + DEV + "/bookings", Topics.bookings(P, DEV));
    }

    @Test
    void parsesADriversTopicsAndNamesItsReceiptsTopic() {
        String driver = "ffeeddccbbaa99887766554433221100ffeeddcc";
        Source tx = Topics.parse(P, P + "/drivers/" + driver + "/tx").orElseThrow();
        assertEquals(new Source(Role.DRIVERS, driver, Kind.TX), tx);
        assertEquals(P + "/drivers/" + driver + "/receipts", Topics.receipts(P, tx));
        assertEquals(Optional.of(new Source(Role.DRIVERS, driver, Kind.LEDGER_REQUEST)),
                Topics.parse(P, P + "/drivers/" + driver + "/ledger/request"));
        for (String t : List.of(P + "/drivers//tx", P + "/drivers/" + driver + "/receipts", P + "/drivers/" + driver + "/bookings",
                P + "/drivers/" + driver + "/ledger/response", P + "/drivers/" + driver + "/tx/more")) {
            assertEquals(Optional.empty(), Topics.parse(P, t), t);
        }
    }

    @Test
    void aDriversResponseTopicMustLieInsideItsOwnSubtree() {
        String driver = "ffeeddccbbaa99887766554433221100ffeeddcc";
        assertEquals(Optional.empty(), Topics.responseTopicProblem(P, Role.DRIVERS, driver, P + "/drivers/" + driver + "/ledger/response"));
        // Not a device's subtree, not even the pile's bookings topic, and not another car owner's.
        for (String t : List.of(P + "/devices/" + driver + "/ledger/response", Topics.bookings(P, DEV),
                P + "/drivers/" + DEV + "/ledger/response", P + "/drivers/" + driver, P + "/drivers/" + driver + "/#")) {
            Optional<String> problem = Topics.responseTopicProblem(P, Role.DRIVERS, driver, t);
            assertTrue(problem.isPresent(), t);
            assertTrue(problem.get().startsWith("response topic: expected"), problem.get());
        }
        assertEquals(Optional.of("response topic: expected one under wattproof/v1/drivers/" + driver + "/, got " + P + "/devices/"
                + DEV + "/bookings"), Topics.responseTopicProblem(P, Role.DRIVERS, driver, Topics.bookings(P, DEV)));
        // And a device cannot answer into a car owner's subtree.
        assertTrue(Topics.responseTopicProblem(P, Role.DEVICES, driver, P + "/drivers/" + driver + "/ledger/response").isPresent());
    }

    @Test
    void parsesTheSubscribedTopicsAndNamesTheirReceiptsTopic() {
        Source tx = Topics.parse(P, P + "/devices/" + DEV + "/tx").orElseThrow();
        assertEquals(new Source(Role.DEVICES, DEV, Kind.TX), tx);
        assertEquals(P + "/devices/" + DEV + "/receipts", Topics.receipts(P, tx));

        Source op = Topics.parse(P, P + "/operators/op-1/tx").orElseThrow();
        assertEquals(new Source(Role.OPERATORS, "op-1", Kind.TX), op);
        assertEquals(P + "/operators/op-1/receipts", Topics.receipts(P, op));

        assertEquals(Optional.of(new Source(Role.DEVICES, DEV, Kind.LEDGER_REQUEST)),
                Topics.parse(P, P + "/devices/" + DEV + "/ledger/request"));
    }

    @Test
    void refusesEveryOtherTopic() {
        for (String t : List.of("", "wattproof/v1", P + "/devices//tx", P + "/devices/x/receipts", P + "/devices/x/tx/more",
                P + "/operators/x/ledger/request", P + "/ledger/latest", "other/v1/devices/x/tx", P + "/meters/x/tx",
                "wattproof/v10/devices/x/tx")) {
            assertEquals(Optional.empty(), Topics.parse(P, t), t);
        }
        assertEquals(Optional.empty(), Topics.parse(P, null));
    }

    @Test
    void aResponseTopicMustLieInsideTheRequestersOwnSubtree() {
        assertEquals(Optional.empty(), Topics.responseTopicProblem(P, Role.DEVICES, DEV, P + "/devices/" + DEV + "/ledger/response"));
        assertEquals(Optional.empty(), Topics.responseTopicProblem(P, Role.DEVICES, DEV, P + "/devices/" + DEV + "/x"));

        String other = "1111111111111111111111111111111111111111";
        for (String t : List.of(P + "/devices/" + other + "/ledger/response", P + "/devices/" + DEV, P + "/devices/" + DEV + "/",
                P + "/devices/" + DEV + "x/ledger/response", P + "/ledger/latest", "elsewhere/" + DEV,
                P + "/devices/" + DEV + "/+/response", P + "/devices/" + DEV + "/#", P + "/devices/" + DEV + "/a\u0000b", "")) {
            Optional<String> problem = Topics.responseTopicProblem(P, Role.DEVICES, DEV, t);
            assertTrue(problem.isPresent(), t);
            assertTrue(problem.get().startsWith("response topic: expected"), problem.get());
        }
        assertEquals(Optional.of("response topic: expected one under wattproof/v1/devices/" + DEV + "/, got none"),
                Topics.responseTopicProblem(P, Role.DEVICES, DEV, null));
    }

    @Test
    void configRefusesAShareGroupOrPrefixMqttWouldNotAccept() {
        for (String group : List.of("", "a/b", "a+", "#")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> GatewayConfig.builder("tcp://127.0.0.1:1").shareGroup(group).build());
            assertTrue(e.getMessage().startsWith("share group:"), e.getMessage());
        }
        for (String prefix : List.of("", "/a", "a/", "a/+", "a/#", "$SYS")) {
            assertThrows(IllegalArgumentException.class, () -> GatewayConfig.builder("tcp://127.0.0.1:1").topicPrefix(prefix).build(), prefix);
        }
        assertThrows(IllegalArgumentException.class, () -> GatewayConfig.builder("tcp://127.0.0.1:1").pendingLimit(0).build());
        GatewayConfig c = GatewayConfig.builder("tcp://127.0.0.1:1").build();
        assertEquals("wattproof-gateways", c.shareGroup());
        assertTrue(c.byzantine().isHonest());
    }
}
