package io.wattproof.agent.telemetry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The telemetry payload: one JSON object (RFC 8259), UTF-8, field by field as in docs/telemetry.md.
 * Instants are ISO 8601 in UTC ({@code 2026-11-27T15:20:00Z}), which Home Assistant's templates
 * parse as aware datetimes.
 */
public final class TelemetryJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TelemetryJson() {}

    public static ObjectNode toJson(LiveValues v) {
        ObjectNode o = JSON.createObjectNode();
        o.put("time", v.time().toString());
        if (v.powerW().isPresent()) {
            o.put("power_w", v.powerW().getAsDouble());
        } else {
            // JSON null renders as None in a Home Assistant template, which sets the sensor to
            // unknown rather than keeping a stale power.
            o.putNull("power_w");
        }
        o.put("energy_import_kwh", v.energyImportKwh());
        o.put("energy_export_kwh", v.energyExportKwh());
        o.put("energy_today_kwh", v.energyTodayKwh());
        o.put("today_since", v.todaySince().toString());
        o.put("today_partial", v.todayPartial());
        o.put("status", v.status().wire());
        o.put("outbox_depth", v.outboxDepth());
        v.location().ifPresent(l -> o.put("location", l));
        return o;
    }

    public static byte[] encode(LiveValues v) {
        return bytes(toJson(v));
    }

    static byte[] bytes(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            // A tree of strings, numbers and booleans always serializes.
            throw new IllegalStateException("telemetry json: " + e.getMessage(), e);
        }
    }
}
