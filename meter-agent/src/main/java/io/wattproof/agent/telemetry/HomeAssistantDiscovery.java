package io.wattproof.agent.telemetry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Home Assistant MQTT discovery for a meter (home-assistant.io/integrations/mqtt, "MQTT discovery";
 * home-assistant.io/integrations/sensor.mqtt): one retained config message per sensor on
 * {@code <prefix>/sensor/wattproof_<device-id>/<object>/config}, every sensor reading its value from
 * the telemetry JSON with a template and its availability from the device's retained
 * {@code online}/{@code offline} status.
 *
 * <p>State classes follow Home Assistant's documented semantics (developers.home-assistant.io,
 * "New sensor state class: total_increasing", 2021-08-16, and "...: total", 2021-09-20):
 * <ul>
 *   <li>the import and export registers are {@code total_increasing}: a decrease is read as a new
 *       meter cycle. They are the meter's own registers, which only fall when the meter is replaced
 *       (exactly when a new cycle is right), and no value is published before the meter was read, so
 *       a restart cannot show a false fall to 0;</li>
 *   <li>energy today is {@code total} with {@code last_reset} from {@code today_since}: the agent
 *       knows when its day began (local midnight, or the first reading after a gap), so it states
 *       the reset instead of leaving Home Assistant to infer one from a decrease. With
 *       {@code total_increasing}, if Home Assistant saw nothing between yesterday evening (say 5 kWh)
 *       and tonight (7 kWh) — it was restarting, or the broker was away, across midnight — it would
 *       see no decrease and count 2 kWh for a day of 7;</li>
 *   <li>power is {@code measurement}: a value in present time, not an accumulation.</li>
 * </ul>
 *
 * @param discoveryPrefix Home Assistant's discovery prefix, {@code homeassistant} unless the owner changed it
 * @param deviceId hex device id; names the node and the device
 * @param telemetryTopic where the values are published
 * @param statusTopic the device's retained {@code online}/{@code offline}
 * @param model the board the agent runs on
 * @param swVersion the running agent's version
 * @param location the owner's label, offered to Home Assistant as the device's area
 */
public record HomeAssistantDiscovery(
        String discoveryPrefix, String deviceId, String telemetryTopic, String statusTopic, String model, String swVersion,
        Optional<String> location) {

    public static final String DEFAULT_PREFIX = "homeassistant";
    /** Home Assistant's birth message topic and payload (home-assistant.io/docs/mqtt/birth_will). */
    public static final String BIRTH_TOPIC = "homeassistant/status";
    public static final String BIRTH_ONLINE = "online";

    public HomeAssistantDiscovery {
        Objects.requireNonNull(discoveryPrefix, "discovery prefix");
        Objects.requireNonNull(deviceId, "device id");
        Objects.requireNonNull(telemetryTopic, "telemetry topic");
        Objects.requireNonNull(statusTopic, "status topic");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(swVersion, "sw version");
        Objects.requireNonNull(location, "location");
    }

    /** A retained config message. */
    public record Config(String topic, ObjectNode payload) {
        public byte[] bytes() {
            return TelemetryJson.bytes(payload);
        }
    }

    /** The node id of every config topic: the device's, so a pattern ACL can pin it to the device. */
    public String nodeId() {
        return "wattproof_" + deviceId;
    }

    public List<Config> configs() {
        List<Config> all = new ArrayList<>();
        ObjectNode energy = sensor("energy_import", "Energy import", "{{ value_json.energy_import_kwh }}");
        energy.put("device_class", "energy");
        energy.put("state_class", "total_increasing");
        energy.put("unit_of_measurement", "kWh");
        energy.put("suggested_display_precision", 3);
        all.add(config("energy_import", energy));

        ObjectNode export = sensor("energy_export", "Energy export", "{{ value_json.energy_export_kwh }}");
        export.put("device_class", "energy");
        export.put("state_class", "total_increasing");
        export.put("unit_of_measurement", "kWh");
        export.put("suggested_display_precision", 3);
        all.add(config("energy_export", export));

        ObjectNode power = sensor("power", "Power", "{{ value_json.power_w }}");
        power.put("device_class", "power");
        power.put("state_class", "measurement");
        power.put("unit_of_measurement", "W");
        all.add(config("power", power));

        ObjectNode today = sensor("energy_today", "Energy today", "{{ value_json.energy_today_kwh }}");
        today.put("device_class", "energy");
        today.put("state_class", "total");
        today.put("unit_of_measurement", "kWh");
        today.put("suggested_display_precision", 3);
        today.put("last_reset_value_template", "{{ value_json.today_since }}");
        today.put("json_attributes_topic", telemetryTopic);
        today.put("json_attributes_template",
                "{{ {'since': value_json.today_since, 'partial': value_json.today_partial} | tojson }}");
        all.add(config("energy_today", today));

        ObjectNode status = sensor("status", "Status", "{{ value_json.status }}");
        status.put("device_class", "enum");
        var options = status.putArray("options");
        for (TelemetryStatus s : TelemetryStatus.values()) {
            options.add(s.wire());
        }
        status.put("entity_category", "diagnostic");
        all.add(config("status", status));
        return List.copyOf(all);
    }

    private Config config(String object, ObjectNode payload) {
        return new Config(discoveryPrefix + "/sensor/" + nodeId() + "/" + object + "/config", payload);
    }

    private ObjectNode sensor(String object, String name, String valueTemplate) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("name", name);
        // Stable across restarts and re-publication: Home Assistant keys the entity (and its
        // long-term statistics) by unique_id.
        o.put("unique_id", nodeId() + "_" + object);
        o.put("state_topic", telemetryTopic);
        o.put("value_template", valueTemplate);
        o.put("availability_topic", statusTopic);
        o.put("payload_available", "online");
        o.put("payload_not_available", "offline");
        ObjectNode device = o.putObject("device");
        device.putArray("identifiers").add(deviceId);
        device.put("manufacturer", "Wattproof");
        device.put("model", model);
        device.put("name", "Wattproof meter " + deviceId.substring(0, Math.min(8, deviceId.length())));
        device.put("sw_version", swVersion);
        location.ifPresent(l -> device.put("suggested_area", l));
        return o;
    }
}
