package io.wattproof.agent.telemetry;

import static io.wattproof.agent.telemetry.EnergyDayTest.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wattproof.agent.AgentStatus;
import io.wattproof.agent.meter.MeterSample;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LiveValuesTest {
    static final DayStart DAY = new DayStart(LocalDate.of(2026, 11, 27), 1_000_000, Instant.parse("2026-11-26T23:00:00Z"), false);
    static final AgentStatus ONLINE = new AgentStatus("ab", 7, 2, true, 0, false, false);

    static JsonNode json(LiveValues v) throws Exception {
        return new ObjectMapper().readTree(TelemetryJson.encode(v));
    }

    @Test
    void everyFieldOfThePayload() throws Exception {
        MeterSample s = sample("2026-11-27T15:00:00Z", 1_005_250, 3600);
        LiveValues v = LiveValues.of(s, DAY, ONLINE, Optional.of("Garage"), Instant.parse("2026-11-27T15:00:01Z"), Duration.ofSeconds(30));
        JsonNode j = json(v);
        assertEquals(List.of("time", "power_w", "energy_import_kwh", "energy_export_kwh", "energy_today_kwh", "today_since",
                "today_partial", "status", "outbox_depth", "location"), iterate(j));
        assertEquals("2026-11-27T15:00:00Z", j.get("time").asText());
        assertEquals(3600.0, j.get("power_w").asDouble());
        assertEquals("1005.25", j.get("energy_import_kwh").asText());
        assertEquals(2.5, j.get("energy_export_kwh").asDouble());
        assertEquals("5.25", j.get("energy_today_kwh").asText());
        assertEquals("2026-11-26T23:00:00Z", j.get("today_since").asText());
        assertFalse(j.get("today_partial").asBoolean());
        assertEquals("online", j.get("status").asText());
        assertEquals(2, j.get("outbox_depth").asInt());
        assertEquals("Garage", j.get("location").asText());
    }

    private static List<String> iterate(JsonNode j) {
        List<String> names = new java.util.ArrayList<>();
        j.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void exportIsNegativePowerAsTheMeterSaysIt() throws Exception {
        MeterSample s = sample("2026-11-27T12:00:00Z", 1_000_000, -2150.5);
        JsonNode j = json(LiveValues.of(s, DAY, ONLINE, Optional.empty(), s.readAt(), Duration.ofSeconds(30)));
        assertEquals(-2150.5, j.get("power_w").asDouble());
        assertFalse(j.has("location"), "no location configured, no field");
    }

    @Test
    void aStaleReadingCarriesNoPowerButKeepsTheRegisters() throws Exception {
        MeterSample s = sample("2026-11-27T12:00:00Z", 1_001_000, 900);
        AgentStatus fault = new AgentStatus("ab", 7, 0, true, 3, true, false);
        JsonNode j = json(LiveValues.of(s, DAY, fault, Optional.empty(), Instant.parse("2026-11-27T12:00:31Z"), Duration.ofSeconds(30)));
        assertTrue(j.get("power_w").isNull());
        assertEquals(1001.0, j.get("energy_import_kwh").asDouble());
        assertEquals(1.0, j.get("energy_today_kwh").asDouble());
        assertEquals("fault", j.get("status").asText());
    }

    @Test
    void statusFollowsTheLedRanking() {
        assertEquals(TelemetryStatus.ONLINE, TelemetryStatus.of(ONLINE));
        assertEquals(TelemetryStatus.BUFFERING, TelemetryStatus.of(new AgentStatus("ab", 7, 9, false, 0, false, false)));
        assertEquals(TelemetryStatus.FAULT, TelemetryStatus.of(new AgentStatus("ab", 7, 9, true, 1, true, false)));
        assertEquals(TelemetryStatus.FAULT, TelemetryStatus.of(new AgentStatus("ab", 7, 9, false, 0, false, true)));
    }

    @Test
    void aPartialDaySaysSo() throws Exception {
        MeterSample s = sample("2026-11-27T07:00:00Z", 1_000_000);
        DayStart partial = new DayStart(LocalDate.of(2026, 11, 27), 1_000_000, s.readAt(), true);
        JsonNode j = json(LiveValues.of(s, partial, ONLINE, Optional.empty(), s.readAt(), Duration.ofSeconds(30)));
        assertTrue(j.get("today_partial").asBoolean());
        assertEquals("2026-11-27T07:00:00Z", j.get("today_since").asText());
        assertEquals(0.0, j.get("energy_today_kwh").asDouble());
    }
}
