package io.wattproof.agent.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BoardProfileParserTest {
    /** A valid profile using every key; each broken case changes one line of it. */
    private static final String VALID = """
            schema: wattproof-board/1
            name: test-board
            description: every key once
            gpio_header: raspberry-pi-40-pin
            gpio:
              status_led:
                pin: 22
                active: high
              relay:
                pin: 27
                active: high
              tamper:
                pin: 5
                active: low
                pull: up
              s0:
                pin: 6
                active: low
                pull: up
                pulses_per_kwh: 800
                debounce_ms: 10
            secure_element:
              i2c_bus: 1
              i2c_address: 0x60
            key_store: atecc608
            serial:
              device: /dev/ttyAMA0
              baud: 19200
              parity: none
              stop_bits: 2
              direction: gpio
              direction_pin: 4
            meter:
              model: SDM630
              unit_id: 1
            interval: 15m
            paths:
              data_dir: /var/lib/wattproof
              key_dir: /var/lib/wattproof/keys
              config_dir: /etc/wattproof
            """;

    private static BoardParseResult parse(String text) {
        return BoardProfileParser.parse("board.yaml", text);
    }

    @Test
    void theValidProfileParses() {
        BoardProfile p = ((BoardParseResult.Parsed) parse(VALID)).profile();
        assertEquals(new BoardProfile.S0Input(6, BoardProfile.Level.LOW, BoardProfile.Pull.UP, 800, 10),
                p.gpio().s0().orElseThrow());
        assertEquals("/dev/ttyAMA0 19200 8N2", p.serial().describe());
        assertEquals(List.of(22, 27, 5, 6), p.gpio().pins());
    }

    /** The line to replace, what replaces it, the field named, and parts of expected and actual. */
    static Stream<Arguments> brokenProfiles() {
        return Stream.of(
                Arguments.of("schema: wattproof-board/1", "schema: wattproof-board/2", "schema",
                        "'wattproof-board/1'", "'wattproof-board/2'"),
                Arguments.of("name: test-board", "name: Test Board", "name", "lowercase letters", "'Test Board'"),
                Arguments.of("description: every key once", "description: ''", "description", "a non-empty text", "''"),
                Arguments.of("gpio_header: raspberry-pi-40-pin", "gpio_header: pi4", "gpio_header",
                        "one of raspberry-pi-40-pin, none", "'pi4'"),
                Arguments.of("gpio_header: raspberry-pi-40-pin", "gpio_header: none", "gpio",
                        "no gpio section (gpio_header is none)", "a gpio section"),
                Arguments.of("    pin: 22", "    pin: 40", "gpio.status_led.pin", "a BCM GPIO number 0..27", "40"),
                Arguments.of("    pin: 22", "    pin: -1", "gpio.status_led.pin", "a BCM GPIO number 0..27", "-1"),
                Arguments.of("    pin: 22", "    pin: twenty", "gpio.status_led.pin", "an integer", "'twenty' (text)"),
                Arguments.of("    pin: 27", "    pin: 22", "gpio.relay.pin", "a GPIO line no other function uses",
                        "22, already used by gpio.status_led.pin"),
                // The serial line is checked first, so the LED, relay or input is the one to move.
                Arguments.of("    pin: 27", "    pin: 4", "gpio.relay.pin", "a GPIO line no other function uses",
                        "4, already used by serial.direction_pin"),
                Arguments.of("    pin: 27", "    pin: 14", "gpio.relay.pin", "a GPIO line no other function uses",
                        "14, already used by serial.device (/dev/ttyAMA0 TXD)"),
                Arguments.of("  direction_pin: 4", "  direction_pin: 15", "serial.direction_pin",
                        "a GPIO line no other function uses", "15, already used by serial.device (/dev/ttyAMA0 RXD)"),
                Arguments.of("    pin: 27", "    pin: 3", "gpio.relay.pin", "a GPIO line no other function uses",
                        "3, already used by secure_element (I2C-1 SCL)"),
                Arguments.of("    active: high\n  relay:", "    active: on\n  relay:", "gpio.status_led.active",
                        "one of high, low", "'on'"),
                Arguments.of("    pull: up\n  s0:", "    pull: sideways\n  s0:", "gpio.tamper.pull",
                        "one of up, down, none", "'sideways'"),
                Arguments.of("    pull: up\n  s0:", "\n  s0:", "gpio.tamper.pull", "one of up, down, none", "nothing"),
                Arguments.of("    active: high\n  relay:", "    active: high\n    pull: up\n  relay:",
                        "gpio.status_led.pull", "no pull for an output", "up"),
                Arguments.of("    pulses_per_kwh: 800", "    pulses_per_kwh: 0", "gpio.s0.pulses_per_kwh",
                        "imp/kWh, 1..100000", "0"),
                Arguments.of("    debounce_ms: 10", "    debounce_ms: 30", "gpio.s0.debounce_ms",
                        "0..29 ms (shorter than the 30 ms minimum S0 pulse)", "30"),
                Arguments.of("  i2c_bus: 1", "  i2c_bus: 256", "secure_element.i2c_bus", "a bus number 0..255", "256"),
                Arguments.of("  i2c_address: 0x60", "  i2c_address: 0x78", "secure_element.i2c_address",
                        "a 7-bit address 0x08..0x77", "0x78"),
                Arguments.of("  i2c_address: 0x60", "  i2c_address: 0x07", "secure_element.i2c_address",
                        "a 7-bit address 0x08..0x77", "0x07"),
                Arguments.of("key_store: atecc608", "key_store: tpm", "key_store",
                        "one of software, pkcs11, atecc608", "'tpm'"),
                Arguments.of("key_store: atecc608", "key_store: software", "key_store",
                        "atecc608 on a board with a secure_element", "'software'"),
                Arguments.of("secure_element:\n  i2c_bus: 1\n  i2c_address: 0x60\n", "", "secure_element",
                        "the I2C bus and address of the ATECC608", "nothing"),
                Arguments.of("  device: /dev/ttyAMA0", "  device: ttyAMA0", "serial.device", "an absolute device path",
                        "'ttyAMA0'"),
                Arguments.of("  baud: 19200", "  baud: 0", "serial.baud", "bits per second 1..4000000", "0"),
                Arguments.of("  baud: 19200", "  baud: 9600.5", "serial.baud", "an integer", "9600.5"),
                Arguments.of("  parity: none", "  parity: N", "serial.parity", "one of none, even, odd", "'N'"),
                Arguments.of("  stop_bits: 2", "  stop_bits: 3", "serial.stop_bits", "1 or 2", "3"),
                Arguments.of("  direction: gpio", "  direction: auto", "serial.direction",
                        "one of none, rs485-port, gpio", "'auto'"),
                Arguments.of("  direction: gpio", "  direction: none", "serial.direction_pin",
                        "no pin unless direction is gpio", "4"),
                Arguments.of("  direction_pin: 4", "", "serial.direction_pin", "a BCM GPIO number 0..27", "nothing"),
                Arguments.of("  model: SDM630", "  model: SDM999", "meter.model", "a built-in model (SDM630",
                        "'SDM999'"),
                Arguments.of("  unit_id: 1", "  unit_id: 248", "meter.unit_id", "a Modbus unit id 1..247", "248"),
                Arguments.of("  unit_id: 1", "  unit_id: 0", "meter.unit_id", "a Modbus unit id 1..247", "0"),
                Arguments.of("interval: 15m", "interval: 15 minutes", "interval", "written like 15m, 30s, 1h or PT15M",
                        "'15 minutes'"),
                Arguments.of("interval: 15m", "interval: 1500ms", "interval", "a whole number of seconds", "'1500ms'"),
                Arguments.of("interval: 15m", "interval: 2d", "interval", "from 1s to 1d", "'2d'"),
                Arguments.of("interval: 15m", "", "interval", "a whole number of seconds", "nothing"),
                Arguments.of("  data_dir: /var/lib/wattproof", "  data_dir: var/lib/wattproof", "paths.data_dir",
                        "an absolute path such as /var/lib/wattproof", "'var/lib/wattproof'"),
                // Typos must not pass silently: an unknown key names its parent and the known keys.
                Arguments.of("  unit_id: 1", "  unitid: 1", "meter", "only the keys model, unit_id", "unknown key 'unitid'"),
                Arguments.of("key_store: atecc608", "key_store: atecc608\nkeystore: software", "(top level)",
                        "only the keys ", "unknown key 'keystore'"),
                Arguments.of("  baud: 19200", "  baud: 19200\n  baud: 9600", "serial.baud", "each key once",
                        "'baud' a second time"),
                Arguments.of("description: every key once", "description: every: key once", "line 3", "valid YAML",
                        "mapping values are not allowed here"));
    }

    @ParameterizedTest(name = "[{index}] {2}: {4}")
    @MethodSource("brokenProfiles")
    void aBrokenFieldIsRefusedNamingFileFieldExpectedAndActual(
            String line, String replacement, String field, String expected, String actual) {
        assertTrue(VALID.contains(line), "the case must change the valid profile: " + line);
        String broken = VALID.replace(line, replacement);
        switch (parse(broken)) {
            case BoardParseResult.Parsed p -> fail("accepted: " + broken);
            case BoardParseResult.Invalid i -> {
                Optional<BoardProblem> match = i.problems().stream()
                        .filter(p -> p.field().startsWith(field) && p.expected().contains(expected)
                                && p.actual().contains(actual))
                        .findFirst();
                assertTrue(match.isPresent(), "no problem naming " + field + " / " + expected + " / " + actual + " in "
                        + i.problems());
                assertEquals("board.yaml", match.get().origin());
                assertTrue(match.get().message().startsWith("board.yaml: " + match.get().field() + ": expected "),
                        match.get().message());
            }
        }
    }

    @Test
    void everyProblemOfAFileIsReportedAtOnce() {
        String broken = VALID.replace("    pin: 40", "").replace("  unit_id: 1", "  unit_id: 0")
                .replace("interval: 15m", "interval: soon").replace("    pin: 22", "    pin: 99");
        BoardParseResult.Invalid i = (BoardParseResult.Invalid) parse(broken);
        assertEquals(List.of("gpio.status_led.pin", "meter.unit_id", "interval"),
                i.problems().stream().map(BoardProblem::field).toList());
    }

    @Test
    void emptyAndHugeFilesAreRefused() {
        BoardParseResult.Invalid empty = (BoardParseResult.Invalid) parse("");
        assertEquals("(file)", empty.problems().get(0).field());
        BoardParseResult.Invalid huge = (BoardParseResult.Invalid) parse("#".repeat(BoardProfileParser.MAX_FILE_CHARS + 1));
        assertEquals("board.yaml: (file): expected at most 65536 characters, actual 65537 characters",
                huge.problems().get(0).message());
    }

    @Test
    void intervalsAreWrittenAsTheSimulatorsDurations() {
        assertEquals(Optional.of(Duration.ofMinutes(15)), BoardProfileParser.parseDuration("15m"));
        assertEquals(Optional.of(Duration.ofSeconds(1)), BoardProfileParser.parseDuration("1s"));
        assertEquals(Optional.of(Duration.ofMinutes(15)), BoardProfileParser.parseDuration("PT15M"));
        assertEquals(Optional.of(Duration.ofDays(1)), BoardProfileParser.parseDuration("1d"));
        assertEquals(Optional.empty(), BoardProfileParser.parseDuration("15 m"));
        assertEquals("15m", BoardProfileParser.formatDuration(Duration.ofMinutes(15)));
        assertEquals("90s", BoardProfileParser.formatDuration(Duration.ofSeconds(90)));
        assertEquals("1d", BoardProfileParser.formatDuration(Duration.ofDays(1)));
    }
}
