package io.wattproof.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code ota:} section of a device's configuration file (docs/provisioning.md, docs/daemon.md "Updates"). */
class DeviceConfigOtaTest {
    private static final String BASE = """
            schema: wattproof-agent/1
            board: raspberry-pi-4b
            device_id: 00112233445566778899aabbccddeeff00112233
            key_store:
              kind: software
              dir: /var/lib/wattproof/keys
              secret_file: /etc/wattproof/device-key.secret
            mqtt:
              broker: tcp://127.0.0.1:1883
            ledger:
              chain_id: wattproof-main
            """;

    private static DeviceConfig parsed(String text) {
        return assertInstanceOf(ConfigParseResult.Parsed.class, DeviceConfigParser.parse("agent.yaml", text), text).config();
    }

    private static List<ConfigProblem> problems(String text) {
        return assertInstanceOf(ConfigParseResult.Invalid.class, DeviceConfigParser.parse("agent.yaml", text), text).problems();
    }

    @Test
    void theMinimalSectionTakesEveryDefault() {
        DeviceConfig c = parsed(BASE + "ota:\n  installer: rauc\n  provisioned_version: 3\n");
        DeviceConfig.Ota ota = c.ota().orElseThrow();
        assertEquals(DeviceConfig.Ota.of(3), ota);
        assertEquals(Path.of("/usr/bin/rauc"), ota.rauc());
        assertEquals(List.of("systemctl", "reboot"), ota.rebootCommand());
        assertEquals(Path.of("/var/lib/wattproof/ota"), ota.stateDir(Path.of("/var/lib/wattproof")));
        assertEquals(Optional.empty(), parsed(BASE).ota(), "no section: no updates");
    }

    @Test
    void everyKeyIsWrittenBackAndReadAgainAsItWas() {
        DeviceConfig plain = parsed(BASE);
        for (DeviceConfig.Ota ota : List.of(DeviceConfig.Ota.of(1),
                new DeviceConfig.Ota(Path.of("/opt/rauc/bin/rauc"), Optional.of("pi4-\"rev\"2"), Optional.of(Duration.ofMinutes(35)),
                        List.of("/usr/sbin/shutdown", "-r", "now", "update: \"ota\""), Optional.of(Path.of("/srv/ota state")), 42))) {
            DeviceConfig written = plain.withOta(Optional.of(ota));
            String text = DeviceConfigWriter.write(written);
            assertTrue(text.contains("\nota:\n  installer: rauc\n"), text);
            assertEquals(written, parsed(text), text);
        }
        assertTrue(!DeviceConfigWriter.write(plain).contains("ota:"), "no section is written for a device without updates");
    }

    @Test
    void everyBadValueIsNamedWithWhatWasExpectedAndWhatWasFound() {
        String version = "  provisioned_version: 3\n";
        record Bad(String keys, String field, String expected, String actual) {}
        for (Bad b : List.of(
                new Bad(version, "ota.installer", "rauc (the only installer the daemon drives)", "nothing"),
                new Bad("  installer: slots\n" + version, "ota.installer", "rauc (the only installer the daemon drives)", "'slots'"),
                new Bad("  installer: rauc\n", "ota.provisioned_version",
                        "the release number (1 or more) of the system image the device was provisioned with", "nothing"),
                new Bad("  installer: rauc\n  provisioned_version: 0\n", "ota.provisioned_version",
                        "the release number (1 or more) of the system image the device was provisioned with", "0"),
                new Bad("  installer: rauc\n  provisioned_version: -4\n", "ota.provisioned_version",
                        "the release number (1 or more) of the system image the device was provisioned with", "-4"),
                new Bad("  installer: rauc\n  rauc: rauc\n" + version, "ota.rauc", "an absolute path", "'rauc'"),
                new Bad("  installer: rauc\n  state_dir: ota\n" + version, "ota.state_dir", "an absolute path", "'ota'"),
                new Bad("  installer: rauc\n  board: 'pi 4'\n" + version, "ota.board",
                        "1..64 printable ASCII characters without spaces (a name in the images' compatible_boards)", "'pi 4'"),
                new Bad("  installer: rauc\n  board: ''\n" + version, "ota.board",
                        "1..64 printable ASCII characters without spaces (a name in the images' compatible_boards)", "''"),
                new Bad("  installer: rauc\n  health_window: 30s\n" + version, "ota.health_window", "1m..1d, e.g. 35m", "'30s'"),
                new Bad("  installer: rauc\n  health_window: 2d\n" + version, "ota.health_window", "1m..1d, e.g. 35m", "'2d'"),
                new Bad("  installer: rauc\n  health_window: soon\n" + version, "ota.health_window", "1m..1d, e.g. 35m", "'soon'"),
                new Bad("  installer: rauc\n  reboot_command: []\n" + version, "ota.reboot_command",
                        "a program and its arguments, 1..16 words on one line each, e.g. [systemctl, reboot]", "[]"),
                new Bad("  installer: rauc\n  reboot_command: [systemctl, '']\n" + version, "ota.reboot_command",
                        "a program and its arguments, 1..16 words on one line each, e.g. [systemctl, reboot]", "[systemctl, ]"),
                new Bad("  installer: rauc\n  reboot_command: [\"systemctl\\nreboot\"]\n" + version, "ota.reboot_command",
                        "a program and its arguments, 1..16 words on one line each, e.g. [systemctl, reboot]", "[systemctl\nreboot]"))) {
            assertEquals(List.of(new ConfigProblem("agent.yaml", b.field(), b.expected(), b.actual())), problems(BASE + "ota:\n" + b.keys()),
                    b.keys());
        }
        List<ConfigProblem> seventeen = problems(BASE + "ota:\n  installer: rauc\n  reboot_command: [" + "a, ".repeat(16) + "a]\n" + version);
        assertEquals("ota.reboot_command", seventeen.get(0).field(), seventeen.toString());
    }

    @Test
    void unknownKeysAndWrongShapesAreRefusedNamingTheSection() {
        List<ConfigProblem> unknown = problems(BASE + "ota:\n  installer: rauc\n  provisioned_version: 3\n  slots: 2\n");
        assertEquals(1, unknown.size(), unknown.toString());
        assertEquals("ota", unknown.get(0).field());
        assertEquals("unknown key 'slots'", unknown.get(0).actual());
        assertTrue(unknown.get(0).expected().contains("provisioned_version"), unknown.toString());

        List<ConfigProblem> notAList = problems(BASE + "ota:\n  installer: rauc\n  reboot_command: {a: b}\n  provisioned_version: 3\n");
        assertTrue(notAList.get(0).field().startsWith("ota.reboot_command"), notAList.toString());
        List<ConfigProblem> notANumber = problems(BASE + "ota:\n  installer: rauc\n  provisioned_version: three\n");
        assertTrue(notANumber.get(0).field().startsWith("ota.provisioned_version"), notANumber.toString());
    }
}
