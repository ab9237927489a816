package io.wattproof.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.agent.board.BoardProfiles;
import io.wattproof.agent.config.ConfigParseResult;
import io.wattproof.agent.config.DeviceConfig;
import io.wattproof.agent.config.DeviceConfigParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --config} with a charging section: what keeps the pile from starting is a standing
 * alarm, and the agent meters on with the relay untouched (docs/charging.md, "The pile's shell").
 */
class RunConfiguredPileTest {
    @TempDir
    Path dir;

    private DeviceConfig config(String board, Path sealKeyFile) {
        String text = String.join("\n",
                "schema: wattproof-agent/1",
                "board: " + board,
                "device_id: " + "ab".repeat(20),
                "key_store:",
                "  kind: software",
                "  dir: " + dir.resolve("keys"),
                "  secret_file: " + dir.resolve("secret"),
                "mqtt:",
                "  broker: tcp://127.0.0.1:1",
                "ledger:",
                "  chain_id: wattproof-sim",
                "charging:",
                "  seal_key_file: " + sealKeyFile,
                "  owner_seal_key: \"" + "11".repeat(32) + "\"",
                "  supervisor_seal_key: \"" + "22".repeat(32) + "\"",
                "  owner_contact: \"owner\"",
                "  owner_salt: \"" + "33".repeat(32) + "\"",
                "");
        return assertInstanceOf(ConfigParseResult.Parsed.class, DeviceConfigParser.parse("agent.yaml", text)).config();
    }

    @Test
    void aBoardWithoutARelayLineStartsNoPile() throws Exception {
        List<String> alarms = new ArrayList<>();
        DeviceConfig c = config("desktop-sim", dir.resolve("seal.key"));
        assertTrue(RunConfigured.chargingPile(c, BoardProfiles.resolve("desktop-sim"), null, null, null, null, dir, Clock.systemUTC(),
                alarms).isEmpty());
        assertEquals(List.of("charging pile not started: board desktop-sim names no gpio.relay line"), alarms);
    }

    @Test
    void withoutGpioThePileIsNotStartedAndSaysWhichLine() throws Exception {
        List<String> alarms = new ArrayList<>();
        DeviceConfig c = config("raspberry-pi-4b", dir.resolve("seal.key"));
        assertTrue(RunConfigured.chargingPile(c, BoardProfiles.resolve("raspberry-pi-4b"), null, null, null, null, dir,
                Clock.systemUTC(), alarms).isEmpty());
        assertEquals(1, alarms.size());
        assertTrue(alarms.get(0).startsWith("charging pile not started: GPIO is unavailable, so the relay on GPIO "), alarms.toString());
    }

    @Test
    void anUnreadableSealKeyIsAnAlarmBeforeAnyPinIsTouched() throws Exception {
        Path key = Files.writeString(dir.resolve("seal.key"), "not a key\n");
        List<String> alarms = new ArrayList<>();
        DeviceConfig c = config("raspberry-pi-4b", key);
        // A GPIO context (Pi4J's mock platform) is needed to reach the key; the key is read before the relay is created.
        com.pi4j.context.Context gpio = io.wattproof.modbus.testing.MockPi4j.context();
        try {
            assertTrue(RunConfigured.chargingPile(c, BoardProfiles.resolve("raspberry-pi-4b"), gpio, null, null, null, dir,
                    Clock.systemUTC(), alarms).isEmpty());
        } finally {
            gpio.shutdown();
        }
        assertEquals(1, alarms.size());
        assertTrue(alarms.get(0).startsWith("charging pile not started: " + key + ": "), alarms.toString());
        assertTrue(!alarms.get(0).contains("not a key"), "the key file's content is never shown: " + alarms);
        assertEquals(1, alarms.get(0).split(java.util.regex.Pattern.quote(key.toString()), -1).length - 1, "named once: " + alarms);

        alarms.clear();
        Path missing = dir.resolve("missing.key");
        com.pi4j.context.Context gpio2 = io.wattproof.modbus.testing.MockPi4j.context();
        try {
            assertTrue(RunConfigured.chargingPile(config("raspberry-pi-4b", missing), BoardProfiles.resolve("raspberry-pi-4b"), gpio2, null,
                    null, null, dir, Clock.systemUTC(), alarms).isEmpty());
        } finally {
            gpio2.shutdown();
        }
        assertEquals(List.of("charging pile not started: " + missing + ": no such file"), alarms);
    }
}
