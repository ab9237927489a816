package io.wattproof.agent.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HomeAssistantDiscoveryTest {
    static final String ID = "00112233445566778899aabbccddeeff00112233";
    static final String TELEMETRY = "wattproof/v1/devices/" + ID + "/telemetry";
    static final String STATUS = "wattproof/v1/devices/" + ID + "/status";

    static Map<String, JsonNode> configs(Optional<String> location) throws Exception {
        HomeAssistantDiscovery d = new HomeAssistantDiscovery("homeassistant", ID, TELEMETRY, STATUS, "raspberry-pi-4", "1.2.3", location);
        Map<String, JsonNode> byTopic = new LinkedHashMap<>();
        for (HomeAssistantDiscovery.Config c : d.configs()) {
            byTopic.put(c.topic(), new ObjectMapper().readTree(c.bytes()));
        }
        return byTopic;
    }

    static String topic(String object) {
        return "homeassistant/sensor/wattproof_" + ID + "/" + object + "/config";
    }

    @Test
    void oneConfigPerSensorUnderTheDevicesNode() throws Exception {
        assertEquals(List.of(topic("energy_import"), topic("energy_export"), topic("power"), topic("energy_today"), topic("status")),
                List.copyOf(configs(Optional.empty()).keySet()));
    }

    @Test
    void everySensorReadsTheTelemetryTopicWithTheStatusAsAvailabilityAndTheSameDevice() throws Exception {
        for (Map.Entry<String, JsonNode> e : configs(Optional.of("Garage")).entrySet()) {
            JsonNode c = e.getValue();
            String object = e.getKey().split("/")[3];
            assertEquals("wattproof_" + ID + "_" + object, c.get("unique_id").asText(), e.getKey());
            assertEquals(TELEMETRY, c.get("state_topic").asText());
            assertEquals(STATUS, c.get("availability_topic").asText());
            assertEquals("online", c.get("payload_available").asText());
            assertEquals("offline", c.get("payload_not_available").asText());
            JsonNode device = c.get("device");
            assertEquals(1, device.get("identifiers").size());
            assertEquals(ID, device.get("identifiers").get(0).asText());
            assertEquals("Wattproof", device.get("manufacturer").asText());
            assertEquals("raspberry-pi-4", device.get("model").asText());
            assertEquals("1.2.3", device.get("sw_version").asText());
            assertEquals("Wattproof meter 00112233", device.get("name").asText());
            assertEquals("Garage", device.get("suggested_area").asText());
        }
        assertFalse(configs(Optional.empty()).get(topic("power")).get("device").has("suggested_area"));
    }

    @Test
    void energyTotalIsTotalIncreasingKwh() throws Exception {
        JsonNode c = configs(Optional.empty()).get(topic("energy_import"));
        assertEquals("energy", c.get("device_class").asText());
        assertEquals("total_increasing", c.get("state_class").asText());
        assertEquals("kWh", c.get("unit_of_measurement").asText());
        assertEquals("{{ value_json.energy_import_kwh }}", c.get("value_template").asText());
        JsonNode export = configs(Optional.empty()).get(topic("energy_export"));
        assertEquals("total_increasing", export.get("state_class").asText());
        assertEquals("{{ value_json.energy_export_kwh }}", export.get("value_template").asText());
    }

    @Test
    void powerIsAMeasurementInWatts() throws Exception {
        JsonNode c = configs(Optional.empty()).get(topic("power"));
        assertEquals("power", c.get("device_class").asText());
        assertEquals("measurement", c.get("state_class").asText());
        assertEquals("W", c.get("unit_of_measurement").asText());
        assertEquals("{{ value_json.power_w }}", c.get("value_template").asText());
    }

    @Test
    void energyTodayIsATotalWithItsLastResetFromTheTelemetry() throws Exception {
        JsonNode c = configs(Optional.empty()).get(topic("energy_today"));
        assertEquals("energy", c.get("device_class").asText());
        assertEquals("total", c.get("state_class").asText());
        assertEquals("kWh", c.get("unit_of_measurement").asText());
        assertEquals("{{ value_json.energy_today_kwh }}", c.get("value_template").asText());
        assertEquals("{{ value_json.today_since }}", c.get("last_reset_value_template").asText());
        assertEquals(TELEMETRY, c.get("json_attributes_topic").asText());
        assertTrue(c.get("json_attributes_template").asText().contains("value_json.today_partial"));
    }

    @Test
    void statusIsAnEnumOfTheFourStates() throws Exception {
        JsonNode c = configs(Optional.empty()).get(topic("status"));
        assertEquals("enum", c.get("device_class").asText());
        assertEquals("[\"online\",\"buffering\",\"fault\",\"unprovisioned\"]", c.get("options").toString());
        assertEquals("{{ value_json.status }}", c.get("value_template").asText());
        assertEquals("diagnostic", c.get("entity_category").asText());
        assertFalse(c.has("state_class"));
    }
}
