package io.wattproof.agent.driver;

import com.fasterxml.jackson.databind.JsonNode;
import io.wattproof.agent.driver.JsonFields.Bad;
import java.io.IOException;
import java.time.Instant;
import java.util.Locale;

/**
 * What the pile tells the car owner about a session (docs/charging.md "Topics"): live values on
 * {@code …/sessions/<B>/live} and events on {@code …/sessions/<B>/events}, both JSON. Unknown
 * fields are ignored; a missing or mistyped field the contract names makes the message
 * {@link Malformed}, never an exception.
 */
public sealed interface SessionMessage {
    /**
     * {@code {"time","power_w","energy_wh","amount"}}.
     *
     * @param energyWh since the session's start register
     * @param amount micro-units so far
     */
    record Live(Instant time, long powerW, long energyWh, long amount) implements SessionMessage {}

    /** {@code started}: the pile accepted a start request and closed its relay. */
    record Started(Instant time) implements SessionMessage {}

    /** {@code refused}: the pile did not accept a request; {@code reason} names field, expected and actual. */
    record Refused(Instant time, String reason) implements SessionMessage {}

    /** {@code closed}: the session ended; the pile's record goes to the ledger. */
    record Closed(Instant time, String endReason, long energyWh, long amount) implements SessionMessage {}

    /** An event of a kind this version does not know; carried so a watcher can show it. */
    record OtherEvent(Instant time, String event, String reason) implements SessionMessage {}

    /** {@code reason} names the field with expected and actual values. */
    record Malformed(String reason) implements SessionMessage {}

    /** A payload of the {@code live} topic. */
    static SessionMessage parseLive(byte[] payload) {
        try {
            JsonNode n = object(payload, "live");
            return new Live(JsonFields.instant(n, "time", "live"), JsonFields.nonNegativeLong(n, "power_w", "live"),
                    JsonFields.nonNegativeLong(n, "energy_wh", "live"), JsonFields.nonNegativeLong(n, "amount", "live"));
        } catch (Bad e) {
            return new Malformed(e.getMessage());
        }
    }

    /** A payload of the {@code events} topic. */
    static SessionMessage parseEvent(byte[] payload) {
        try {
            JsonNode n = object(payload, "event");
            Instant time = JsonFields.instant(n, "time", "event");
            String event = JsonFields.text(n, "event", "event");
            JsonNode r = n.get("reason");
            String reason = r != null && r.isTextual() ? r.asText() : "";
            return switch (event.toLowerCase(Locale.ROOT)) {
                case "started" -> new Started(time);
                case "refused" -> new Refused(time, reason);
                case "closed" -> new Closed(time, JsonFields.text(n, "end_reason", "event"),
                        JsonFields.nonNegativeLong(n, "energy_wh", "event"), JsonFields.nonNegativeLong(n, "amount", "event"));
                default -> new OtherEvent(time, event, reason);
            };
        } catch (Bad e) {
            return new Malformed(e.getMessage());
        }
    }

    private static JsonNode object(byte[] payload, String what) throws Bad {
        JsonNode root;
        try {
            root = JsonFields.MAPPER.readTree(payload);
        } catch (IOException e) {
            throw new Bad(what + ": expected a JSON object, got " + payload.length + " bytes that do not parse");
        }
        if (root == null || !root.isObject()) {
            throw new Bad(what + ": expected a JSON object, got " + JsonFields.describe(root));
        }
        return root;
    }
}
