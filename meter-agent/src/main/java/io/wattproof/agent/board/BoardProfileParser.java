package io.wattproof.agent.board;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.wattproof.agent.board.BoardProfile.DataPaths;
import io.wattproof.agent.board.BoardProfile.GpioHeader;
import io.wattproof.agent.board.BoardProfile.GpioLines;
import io.wattproof.agent.board.BoardProfile.InputPin;
import io.wattproof.agent.board.BoardProfile.KeyStoreKind;
import io.wattproof.agent.board.BoardProfile.Level;
import io.wattproof.agent.board.BoardProfile.MeterLink;
import io.wattproof.agent.board.BoardProfile.OutputPin;
import io.wattproof.agent.board.BoardProfile.Pull;
import io.wattproof.agent.board.BoardProfile.S0Input;
import io.wattproof.agent.board.BoardProfile.SecureElement;
import io.wattproof.modbus.maps.MapProblem;
import io.wattproof.modbus.maps.MeterMap;
import io.wattproof.modbus.maps.MeterMapParser;
import io.wattproof.modbus.maps.MeterMaps;
import io.wattproof.modbus.maps.YamlSources;
import io.wattproof.modbus.transport.SerialLineConfig;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Parses and checks a {@code wattproof-board/1} profile (docs/boards.md). Pure: text in, a {@link
 * BoardProfile} or every problem found out; never throws on any input. YAML is bound by the same
 * strict rules as register map files ({@link YamlSources#strictMapper()}: unknown and duplicate
 * keys refused), and binding failures read the same ({@link MeterMapParser#bindingProblem}).
 */
public final class BoardProfileParser {
    /** Larger files are refused before parsing; a profile is about 2 kB. */
    public static final int MAX_FILE_CHARS = 64 * 1024;

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");
    private static final Duration MAX_INTERVAL = Duration.ofDays(1);
    /** UM10204 (I2C-bus specification) section 3.1.12: 0x00-0x07 and 0x78-0x7F are reserved. */
    private static final int I2C_FIRST = 0x08;
    private static final int I2C_LAST = 0x77;
    /** Serial devices on the header UART (GPIO 14 TXD, 15 RXD) of a Raspberry Pi 4 or 5. */
    private static final Set<String> HEADER_UARTS = Set.of("/dev/ttyS0", "/dev/ttyAMA0", "/dev/serial0");

    private static final YAMLMapper MAPPER = YamlSources.strictMapper();

    private BoardProfileParser() {}

    /**
     * @param origin how messages name the file, e.g. {@code raspberry-pi-4b.yaml} or a user's path
     * @param text the file's contents
     */
    public static BoardParseResult parse(String origin, String text) {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(text, "text");
        if (text.length() > MAX_FILE_CHARS) {
            return invalid(new BoardProblem(origin, "(file)", "at most " + MAX_FILE_CHARS + " characters",
                    text.length() + " characters"));
        }
        BoardFile file;
        try {
            file = MAPPER.readValue(text, BoardFile.class);
        } catch (JacksonException e) {
            MapProblem p = MeterMapParser.bindingProblem(origin, e);
            return invalid(new BoardProblem(p.origin(), p.field(), p.expected(), p.actual()));
        } catch (RuntimeException e) {
            // The YAML library must not take the caller down on hostile input (deep nesting, ...).
            return invalid(new BoardProblem(origin, "(file)", "a YAML document", "unparsable: " + e));
        }
        if (file == null) {
            return invalid(new BoardProblem(origin, "(file)", "a mapping with the keys of " + BoardProfile.SCHEMA,
                    "nothing"));
        }
        return new Validator(origin, file).validate();
    }

    /**
     * An interval as written in a profile: {@code 15m}, {@code 30s}, {@code 1h}, {@code 1d}, {@code
     * 500ms} or ISO-8601 ({@code PT15M}), the forms the simulator's duration options take.
     *
     * @return empty if the text is neither form
     */
    public static Optional<Duration> parseDuration(String text) {
        String t = text.strip();
        Matcher m = SIMPLE_DURATION.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return Optional.of(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
        }
        try {
            return Optional.of(Duration.parse(t));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** {@code 15m}, {@code 90s}, {@code 1h}: the shortest whole-unit form of a whole-second duration. */
    public static String formatDuration(Duration d) {
        long s = d.getSeconds();
        if (d.getNano() != 0) {
            return d.toString();
        }
        if (s != 0 && s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s != 0 && s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s != 0 && s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }

    private static BoardParseResult invalid(BoardProblem problem) {
        return new BoardParseResult.Invalid(List.of(problem));
    }

    private static String quote(String text) {
        return "'" + text + "'";
    }

    /** Checks one bound file against the schema, collecting every problem. */
    private static final class Validator {
        private final String origin;
        private final BoardFile file;
        private final List<BoardProblem> problems = new ArrayList<>();
        /** GPIO number -> the field that claimed it first, to refuse a line used twice. */
        private final Map<Integer, String> claimed = new LinkedHashMap<>();

        Validator(String origin, BoardFile file) {
            this.origin = origin;
            this.file = file;
        }

        private void problem(String field, String expected, String actual) {
            problems.add(new BoardProblem(origin, field, expected, actual));
        }

        BoardParseResult validate() {
            if (file.schema() == null) {
                problem("schema", quote(BoardProfile.SCHEMA), "nothing");
            } else if (!file.schema().equals(BoardProfile.SCHEMA)) {
                problem("schema", quote(BoardProfile.SCHEMA), quote(file.schema()));
            }
            String name = name();
            String description = description();
            GpioHeader header = word("gpio_header", file.gpioHeader(), GpioHeader.values(), GpioHeader::fileName, true)
                    .orElse(null);
            Optional<SecureElement> secureElement = secureElement(header);
            KeyStoreKind keyStore = keyStore(secureElement);
            SerialLineConfig serial = serial(header);
            // The GPIO lines come after the fixed functions, so a clash names the LED or relay
            // as the one that has to move.
            GpioLines gpio = gpio(header);
            MeterLink meter = meter();
            Duration interval = interval();
            DataPaths paths = paths();
            if (!problems.isEmpty()) {
                return new BoardParseResult.Invalid(problems);
            }
            return new BoardParseResult.Parsed(new BoardProfile(origin, name, description, header, gpio, secureElement,
                    keyStore, serial, meter, interval, paths));
        }

        private String name() {
            String n = file.name();
            if (n == null || !NAME.matcher(n).matches()) {
                problem("name", "a name of lowercase letters, digits and '-', at most 63 characters",
                        n == null ? "nothing" : quote(n));
                return null;
            }
            return n;
        }

        private String description() {
            String d = file.description();
            if (d == null || d.isBlank()) {
                problem("description", "a non-empty text", d == null ? "nothing" : quote(d));
                return null;
            }
            if (d.strip().contains("\n")) {
                problem("description", "one line", "several lines");
                return null;
            }
            return d.strip();
        }

        /** One of a fixed set of words, as written in the file (lowercase). */
        private <T> Optional<T> word(String field, String value, T[] choices, Function<T, String> spelling,
                boolean required) {
            String expected = Arrays.stream(choices).map(spelling).collect(Collectors.joining(", ", "one of ", ""));
            if (value == null) {
                if (required) {
                    problem(field, expected, "nothing");
                }
                return Optional.empty();
            }
            for (T c : choices) {
                if (spelling.apply(c).equals(value)) {
                    return Optional.of(c);
                }
            }
            problem(field, expected, quote(value));
            return Optional.empty();
        }

        private Optional<SecureElement> secureElement(GpioHeader header) {
            BoardFile.SecureElement se = file.secureElement();
            if (se == null) {
                return Optional.empty();
            }
            boolean ok = true;
            if (se.i2cBus() == null || se.i2cBus() < 0 || se.i2cBus() > 255) {
                problem("secure_element.i2c_bus", "a bus number 0..255 (N of /dev/i2c-N)", show(se.i2cBus()));
                ok = false;
            }
            if (se.i2cAddress() == null || se.i2cAddress() < I2C_FIRST || se.i2cAddress() > I2C_LAST) {
                problem("secure_element.i2c_address", "a 7-bit address 0x08..0x77 (e.g. 0x60, the ATECC608 default)",
                        se.i2cAddress() == null ? "nothing" : hex(se.i2cAddress()));
                ok = false;
            }
            if (!ok) {
                return Optional.empty();
            }
            // On the Pi header, /dev/i2c-1 is GPIO 2 (SDA) and 3 (SCL); other buses are overlays
            // whose pins the profile does not know.
            if (header == GpioHeader.RASPBERRY_PI_40_PIN && se.i2cBus() == 1) {
                claim(2, "secure_element (I2C-1 SDA)");
                claim(3, "secure_element (I2C-1 SCL)");
            }
            return Optional.of(new SecureElement(se.i2cBus(), se.i2cAddress()));
        }

        private KeyStoreKind keyStore(Optional<SecureElement> secureElement) {
            Optional<KeyStoreKind> kind =
                    word("key_store", file.keyStore(), KeyStoreKind.values(), KeyStoreKind::fileName, true);
            if (kind.isEmpty()) {
                return null;
            }
            if (kind.get() == KeyStoreKind.ATECC608 && secureElement.isEmpty() && file.secureElement() == null) {
                problem("secure_element", "the I2C bus and address of the ATECC608 (key_store: atecc608)", "nothing");
            } else if (kind.get() != KeyStoreKind.ATECC608 && file.secureElement() != null) {
                problem("key_store", "atecc608 on a board with a secure_element (or remove secure_element)",
                        quote(file.keyStore()));
            }
            return kind.get();
        }

        private SerialLineConfig serial(GpioHeader header) {
            BoardFile.Serial s = file.serial();
            if (s == null) {
                problem("serial", "a mapping with device, baud, parity, stop_bits and direction", "nothing");
                return null;
            }
            boolean ok = true;
            String device = s.device();
            if (device == null || !device.startsWith("/") || device.strip().length() != device.length()
                    || device.length() < 2) {
                problem("serial.device", "an absolute device path such as /dev/ttyUSB0",
                        device == null ? "nothing" : quote(device));
                ok = false;
            }
            int baud = SerialLineConfig.DEFAULT_BAUD_RATE;
            if (s.baud() != null) {
                if (s.baud() < 1 || s.baud() > SerialLineConfig.MAX_BAUD_RATE) {
                    problem("serial.baud", "bits per second 1.." + SerialLineConfig.MAX_BAUD_RATE + " (e.g. 9600, 19200)",
                            s.baud().toString());
                    ok = false;
                } else {
                    baud = s.baud();
                }
            }
            // Modbus over Serial Line V1.02 section 2.5.1: even parity is the required default.
            Optional<SerialLineConfig.Parity> parity = s.parity() == null ? Optional.of(SerialLineConfig.Parity.EVEN)
                    : word("serial.parity", s.parity(), SerialLineConfig.Parity.values(),
                            p -> p.name().toLowerCase(Locale.ROOT), true);
            ok &= parity.isPresent();
            int stopBits = 1;
            if (s.stopBits() != null) {
                if (s.stopBits() != 1 && s.stopBits() != 2) {
                    problem("serial.stop_bits", "1 or 2", s.stopBits().toString());
                    ok = false;
                } else {
                    stopBits = s.stopBits();
                }
            }
            // Pins a device implies are claimed before any pin the file names, so a clash is
            // reported on the named pin, the one that has to move.
            if (header == GpioHeader.RASPBERRY_PI_40_PIN && device != null && HEADER_UARTS.contains(device)) {
                claim(14, "serial.device (" + device + " TXD)");
                claim(15, "serial.device (" + device + " RXD)");
            }
            SerialLineConfig.Direction direction = direction(s, header);
            ok &= direction != null;
            if (!ok) {
                return null;
            }
            return new SerialLineConfig(device, baud, 8, parity.get(), stopBits, direction);
        }

        private SerialLineConfig.Direction direction(BoardFile.Serial s, GpioHeader header) {
            String d = s.direction();
            String expected = "one of none, rs485-port, gpio";
            if (d == null) {
                problem("serial.direction", expected, "nothing");
                return null;
            }
            switch (d) {
                case "none", "rs485-port" -> {
                    if (s.directionPin() != null) {
                        problem("serial.direction_pin", "no pin unless direction is gpio", s.directionPin().toString());
                        return null;
                    }
                    // DE is active high on RS-485 transceivers (RTS high while sending).
                    return d.equals("none") ? new SerialLineConfig.Direction.None()
                            : new SerialLineConfig.Direction.PortRs485(true, 0, 0);
                }
                case "gpio" -> {
                    if (header == null) {
                        return null; // gpio_header is wrong (reported): the pin's range is unknown
                    }
                    if (header == GpioHeader.NONE) {
                        problem("serial.direction", "none or rs485-port (gpio_header is none)", quote(d));
                        return null;
                    }
                    Integer pin = pin("serial.direction_pin", s.directionPin(), header);
                    // DE (and /RE tied to it) is active high on MAX485-style transceivers.
                    return pin == null ? null : new SerialLineConfig.Direction.GpioPin(pin, true);
                }
                default -> {
                    problem("serial.direction", expected, quote(d));
                    return null;
                }
            }
        }

        private GpioLines gpio(GpioHeader header) {
            BoardFile.Gpio g = file.gpio();
            if (g == null || header == null) {
                return GpioLines.NONE;
            }
            if (header == GpioHeader.NONE) {
                problem("gpio", "no gpio section (gpio_header is none)", "a gpio section");
                return GpioLines.NONE;
            }
            Optional<OutputPin> led = output("gpio.status_led", g.statusLed(), header);
            Optional<OutputPin> relay = output("gpio.relay", g.relay(), header);
            Optional<InputPin> tamper = input("gpio.tamper", g.tamper(), header);
            Optional<S0Input> s0 = s0("gpio.s0", g.s0(), header);
            return new GpioLines(led, relay, tamper, s0);
        }

        private Optional<OutputPin> output(String field, BoardFile.Pin p, GpioHeader header) {
            if (p == null) {
                return Optional.empty();
            }
            onlyFor(field, "pull", p.pull(), "an output");
            onlyFor(field, "pulses_per_kwh", p.pulsesPerKwh(), "an output");
            onlyFor(field, "debounce_ms", p.debounceMs(), "an output");
            Integer pin = pin(field + ".pin", p.pin(), header);
            Optional<Level> active = level(field + ".active", p.active());
            return pin == null || active.isEmpty() ? Optional.empty() : Optional.of(new OutputPin(pin, active.get()));
        }

        private Optional<InputPin> input(String field, BoardFile.Pin p, GpioHeader header) {
            if (p == null) {
                return Optional.empty();
            }
            onlyFor(field, "pulses_per_kwh", p.pulsesPerKwh(), "the tamper input");
            onlyFor(field, "debounce_ms", p.debounceMs(), "the tamper input");
            Integer pin = pin(field + ".pin", p.pin(), header);
            Optional<Level> active = level(field + ".active", p.active());
            Optional<Pull> pull = pull(field + ".pull", p.pull());
            return pin == null || active.isEmpty() || pull.isEmpty() ? Optional.empty()
                    : Optional.of(new InputPin(pin, active.get(), pull.get()));
        }

        private Optional<S0Input> s0(String field, BoardFile.Pin p, GpioHeader header) {
            if (p == null) {
                return Optional.empty();
            }
            Integer pin = pin(field + ".pin", p.pin(), header);
            Optional<Level> active = level(field + ".active", p.active());
            Optional<Pull> pull = pull(field + ".pull", p.pull());
            boolean ok = pin != null && active.isPresent() && pull.isPresent();
            // Meter constants run from 1 imp/kWh (large CTs) to 10000 imp/kWh (small DIN-rail meters).
            int pulses = p.pulsesPerKwh() == null ? 1000 : p.pulsesPerKwh();
            if (pulses < 1 || pulses > 100_000) {
                problem(field + ".pulses_per_kwh", "the meter constant in imp/kWh, 1..100000", String.valueOf(pulses));
                ok = false;
            }
            // EN 62053-31 (S0 interface): a pulse lasts at least 30 ms; a longer debounce would
            // swallow real pulses.
            int debounce = p.debounceMs() == null ? 10 : p.debounceMs();
            if (debounce < 0 || debounce > 29) {
                problem(field + ".debounce_ms", "0..29 ms (shorter than the 30 ms minimum S0 pulse)",
                        String.valueOf(debounce));
                ok = false;
            }
            return ok ? Optional.of(new S0Input(pin, active.get(), pull.get(), pulses, debounce)) : Optional.empty();
        }

        private void onlyFor(String field, String key, Object value, String what) {
            if (value != null) {
                problem(field + "." + key, "no " + key + " for " + what, value.toString());
            }
        }

        /** A GPIO number within the header's range that no other field has claimed. */
        private Integer pin(String field, Integer pin, GpioHeader header) {
            String expected = "a BCM GPIO number 0.." + header.maxPin();
            if (pin == null || pin < 0 || pin > header.maxPin()) {
                problem(field, expected, show(pin));
                return null;
            }
            return claim(pin, field) ? pin : null;
        }

        private boolean claim(int pin, String field) {
            String previous = claimed.putIfAbsent(pin, field);
            if (previous != null) {
                problem(field, "a GPIO line no other function uses", pin + ", already used by " + previous);
                return false;
            }
            return true;
        }

        private Optional<Level> level(String field, String value) {
            return word(field, value, Level.values(), Level::fileName, true);
        }

        private Optional<Pull> pull(String field, String value) {
            return word(field, value, Pull.values(), Pull::fileName, true);
        }

        private MeterLink meter() {
            BoardFile.Meter m = file.meter();
            if (m == null) {
                problem("meter", "a mapping with model and unit_id", "nothing");
                return null;
            }
            boolean ok = true;
            String model = m.model();
            if (model == null || model.isBlank()) {
                problem("meter.model", "a built-in model name or a map file path", model == null ? "nothing" : quote(model));
                ok = false;
            } else {
                MeterLink probe = new MeterLink(model.strip(), 1);
                if (!probe.isMapFile() && MeterMaps.find(probe.model()).isEmpty()) {
                    // The SunSpec common model (1) identifies a device and measures nothing.
                    problem("meter.model", "a built-in model ("
                            + MeterMaps.builtIn().stream()
                                    .filter(map -> map.sunspecModel().isEmpty() || map.sunspecModel().getAsInt() != 1)
                                    .map(MeterMap::model).collect(Collectors.joining(", "))
                            + ") or a path to a .yaml map file", quote(model));
                    ok = false;
                }
            }
            // Modbus over Serial Line V1.02 section 2.2: 1..247 are device addresses (0 is broadcast).
            if (m.unitId() == null || m.unitId() < 1 || m.unitId() > 247) {
                problem("meter.unit_id", "a Modbus unit id 1..247", show(m.unitId()));
                ok = false;
            }
            return ok ? new MeterLink(model.strip(), m.unitId()) : null;
        }

        private Duration interval() {
            String text = file.interval();
            String expected = "a whole number of seconds from 1s to 1d, written like 15m, 30s, 1h or PT15M";
            if (text == null) {
                problem("interval", expected, "nothing");
                return null;
            }
            Optional<Duration> d = parseDuration(text);
            if (d.isEmpty() || d.get().getNano() != 0 || d.get().compareTo(Duration.ofSeconds(1)) < 0
                    || d.get().compareTo(MAX_INTERVAL) > 0) {
                problem("interval", expected, quote(text));
                return null;
            }
            return d.get();
        }

        private DataPaths paths() {
            BoardFile.Paths p = file.paths() == null ? new BoardFile.Paths(null, null, null) : file.paths();
            Path data = path("paths.data_dir", p.dataDir(), DataPaths.DEFAULT_DATA_DIR);
            Path keys = path("paths.key_dir", p.keyDir(), DataPaths.DEFAULT_KEY_DIR);
            Path config = path("paths.config_dir", p.configDir(), DataPaths.DEFAULT_CONFIG_DIR);
            return data == null || keys == null || config == null ? null : new DataPaths(data, keys, config);
        }

        private Path path(String field, String value, String fallback) {
            String text = value == null ? fallback : value;
            String expected = "an absolute path such as " + fallback;
            // The agent runs as a service: a relative path would depend on its working folder.
            if (!text.startsWith("/") || text.contains("\0")) {
                problem(field, expected, quote(text));
                return null;
            }
            try {
                return Path.of(text).normalize();
            } catch (InvalidPathException e) {
                problem(field, expected, quote(text) + " (" + e.getReason() + ")");
                return null;
            }
        }

        private static String show(Integer value) {
            return value == null ? "nothing" : value.toString();
        }

        private static String hex(int value) {
            return String.format("0x%02x", value);
        }
    }
}
