package io.wattproof.simulator.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.simulator.ledger.app.AppSnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The documented JSON shapes (docs/dashboard.md, "Endpoints"), built from values. */
class DashboardJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = FleetHistoryTest.T0;

    @Test
    void absentValuesAreNullAndTheHistoryIsPresentOnlyWhenAskedFor() throws Exception {
        FleetSample sample = new FleetSample(T0, "c", 1, Optional.empty(), Optional.empty(), 0, 0, 0, 0, 0, 0,
                List.of(FleetHistoryTest.meter(1, null, 0, List.of("agent not started"))));
        FleetSnapshot snapshot = new FleetSnapshot(sample, 0, 0, List.of("SIM000001: agent not started"));
        JsonNode event = JSON.readTree(DashboardJson.bytes(DashboardJson.fleet(snapshot, Optional.empty())));
        assertTrue(event.get("blockTime").isNull());
        assertTrue(event.get("blockIntervalMs").isNull());
        assertTrue(event.get("meters").get(0).get("powerW").isNull());
        assertEquals("agent not started", event.get("meters").get(0).get("alarms").get(0).asText());
        assertEquals("SIM000001: agent not started", event.get("alarms").get(0).asText());
        assertEquals(T0.toString(), event.get("at").asText());
        assertEquals(T0.toEpochMilli(), event.get("atMillis").asLong());
        assertFalse(event.has("history"));
        JsonNode withHistory = JSON.readTree(DashboardJson.bytes(DashboardJson.fleet(snapshot,
                Optional.of(List.of(new FleetHistory.PowerPoint(T0, -250.5))))));
        assertEquals("[[" + T0.toEpochMilli() + ",-250.5]]", withHistory.get("history").toString());
    }

    @Test
    void oneSnapshotIsOneLineSoItIsOneServerSentEventDataLine() {
        FleetSample sample = new FleetSample(T0, "chain\nwith a newline", 1, Optional.empty(), Optional.empty(), 0, 0, 0, 0, 0, 0,
                List.of(FleetHistoryTest.meter(1, 1.0, 0, List.of("a\r\nb"))));
        String text = new String(DashboardJson.bytes(DashboardJson.fleet(new FleetSnapshot(sample, 0, 0, List.of()), Optional.empty())),
                StandardCharsets.UTF_8);
        assertFalse(text.contains("\n") || text.contains("\r"), text);
    }

    @Test
    void aMeterDetailCarriesTheLedgersViewAndEachRecordsChecks() throws Exception {
        DeviceId id = DeviceId.fromHex(FleetHistoryTest.meter(1, 1.0, 0, List.of()).deviceId());
        AppSnapshot.DeviceView view = new AppSnapshot.DeviceView(id, KeyAlgorithm.ECDSA_P256_SHA256, new byte[] {1}, "simulated-sdm630",
                "simulated household 001", "household-001", false, Optional.empty(), 41, List.of(new AppSnapshot.GapRange(7, 8)), 39);
        MeterDetail detail = new MeterDetail(FleetHistoryTest.meter(1, 1.0, 42, List.of()), Optional.of(view),
                List.of(DashboardServerTest.record()));
        JsonNode d = JSON.readTree(DashboardJson.bytes(DashboardJson.meterDetail(detail)));
        JsonNode ledger = d.get("ledger");
        assertTrue(ledger.get("registered").asBoolean());
        assertEquals("ECDSA_P256_SHA256", ledger.get("algorithm").asText());
        assertEquals("household-001", ledger.get("account").asText());
        assertEquals(41, ledger.get("headSequence").asLong());
        assertEquals(39, ledger.get("accepted").asLong());
        assertEquals(2, ledger.get("missing").asLong());
        JsonNode r = d.get("records").get(0);
        assertEquals("reading", r.get("kind").asText());
        assertEquals(T0.toString(), r.get("start").asText());
        assertEquals("ab".repeat(32), r.get("txHash").asText());
        assertEquals("header 17 verified", r.get("header").get("detail").asText());
        assertEquals("04", r.get("proof").get("headerHash").asText());
        assertEquals(0, r.get("proof").get("aunts").size());
    }

    @Test
    void anErrorIsOneFieldNamedError() throws Exception {
        assertEquals("{\"error\":\"device id: expected 40 hex characters, got \\\"x\\\"\"}",
                new String(DashboardJson.bytes(DashboardJson.error("device id: expected 40 hex characters, got \"x\"")),
                        StandardCharsets.UTF_8));
    }
}
