package io.wattproof.agent.config;

import io.wattproof.agent.ledger.LedgerSettings;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.wattproof.agent.AgentConfig;
import io.wattproof.agent.board.BoardProfileParser;
import io.wattproof.agent.charging.OfferPolicy;
import io.wattproof.agent.config.DeviceConfig.Atecc608Store;
import io.wattproof.agent.config.DeviceConfig.KeyStoreSettings;
import io.wattproof.agent.config.DeviceConfig.Ledger;
import io.wattproof.agent.config.DeviceConfig.MeterOverrides;
import io.wattproof.agent.config.DeviceConfig.Mqtt;
import io.wattproof.agent.config.DeviceConfig.Pkcs11Store;
import io.wattproof.agent.config.DeviceConfig.SoftwareStore;
import io.wattproof.agent.config.DeviceConfig.Telemetry;
import io.wattproof.crypto.DeviceId;
import io.wattproof.modbus.maps.MapProblem;
import io.wattproof.modbus.maps.MeterMapParser;
import io.wattproof.modbus.maps.YamlSources;
import io.wattproof.protocol.SignBytes;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and checks a {@code wattproof-agent/1} configuration. Pure: text in, a {@link
 * DeviceConfig} or every problem found out; never throws on any input. The YAML rules are those
 * of board profiles and register maps (unknown and duplicate keys refused).
 */
public final class DeviceConfigParser {
    /** A configuration is well under 2 kB. */
    public static final int MAX_FILE_CHARS = 64 * 1024;
    static final int MAX_LOCATION_CHARS = 64;
    static final int MAX_OWNER_CONTACT_CHARS = 1024;
    static final int ATECC608_SLOTS = 16;

    private static final Pattern HEX_ID = Pattern.compile("[0-9a-f]{" + 2 * DeviceId.LENGTH + "}");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,12})\\s*(B|KiB|MiB|GiB)?");
    private static final Duration MIN_TELEMETRY_PERIOD = Duration.ofSeconds(1);
    private static final Duration MIN_RECEIPT_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration MAX_RECEIPT_TIMEOUT = Duration.ofDays(1);
    /** A year of 15-minute records: beyond it, a threshold only makes the outbox file large. */
    private static final int MAX_PRUNE_THRESHOLD = 35_040;
    private static final Duration MAX_TELEMETRY_PERIOD = Duration.ofHours(1);
    /** A trial shorter than a minute cannot see the broker reconnect; one longer than a day leaves a trial open too long. */
    private static final Duration MIN_HEALTH_WINDOW = Duration.ofMinutes(1);
    private static final Duration MAX_HEALTH_WINDOW = Duration.ofDays(1);
    static final int MAX_BOARD_NAME_CHARS = 64;
    static final int MAX_REBOOT_WORDS = 16;
    static final int MAX_REBOOT_WORD_CHARS = 256;
    private static final YAMLMapper MAPPER = YamlSources.strictMapper();

    private DeviceConfigParser() {}

    public static ConfigParseResult parse(String origin, String text) {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(text, "text");
        if (text.length() > MAX_FILE_CHARS) {
            return invalid(new ConfigProblem(origin, "(file)", "at most " + MAX_FILE_CHARS + " characters",
                    text.length() + " characters"));
        }
        ConfigFile file;
        try {
            file = MAPPER.readValue(text, ConfigFile.class);
        } catch (JacksonException e) {
            MapProblem p = MeterMapParser.bindingProblem(origin, e);
            return invalid(new ConfigProblem(p.origin(), p.field(), p.expected(), p.actual()));
        } catch (RuntimeException e) {
            // Hostile YAML (deep nesting, ...) must not take the caller down.
            return invalid(new ConfigProblem(origin, "(file)", "a YAML document", "unparsable: " + e));
        }
        if (file == null) {
            return invalid(new ConfigProblem(origin, "(file)", "a mapping with the keys of " + DeviceConfig.SCHEMA, "nothing"));
        }
        return new Validator(origin, file).validate();
    }

    /**
     * A size as written in the file: bytes, or a whole number of {@code KiB}, {@code MiB} or
     * {@code GiB}.
     */
    public static Optional<Long> parseSize(String text) {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        int shift = m.group(2) == null ? 0 : switch (m.group(2)) {
            case "KiB" -> 10;
            case "MiB" -> 20;
            case "GiB" -> 30;
            default -> 0;
        };
        return n > Long.MAX_VALUE >> shift ? Optional.empty() : Optional.of(n << shift);
    }

    /** The shortest exact form {@link #parseSize} reads back: {@code 64MiB}, {@code 1000}. */
    public static String formatSize(long bytes) {
        for (String[] unit : new String[][] {{"GiB", "30"}, {"MiB", "20"}, {"KiB", "10"}}) {
            int shift = Integer.parseInt(unit[1]);
            if (bytes != 0 && bytes % (1L << shift) == 0) {
                return (bytes >> shift) + unit[0];
            }
        }
        return Long.toString(bytes);
    }

    private static ConfigParseResult invalid(ConfigProblem problem) {
        return new ConfigParseResult.Invalid(List.of(problem));
    }

    private static String quote(String text) {
        return "'" + text + "'";
    }

    private static final class Validator {
        private final String origin;
        private final ConfigFile file;
        private final List<ConfigProblem> problems = new ArrayList<>();

        Validator(String origin, ConfigFile file) {
            this.origin = origin;
            this.file = file;
        }

        private void problem(String field, String expected, String actual) {
            problems.add(new ConfigProblem(origin, field, expected, actual));
        }

        ConfigParseResult validate() {
            if (file.schema() == null) {
                problem("schema", quote(DeviceConfig.SCHEMA), "nothing");
            } else if (!file.schema().equals(DeviceConfig.SCHEMA)) {
                problem("schema", quote(DeviceConfig.SCHEMA), quote(file.schema()));
            }
            String board = board();
            DeviceId deviceId = deviceId();
            Optional<String> location = location();
            KeyStoreSettings keyStore = keyStore();
            Mqtt mqtt = mqtt();
            Ledger ledger = ledger();
            MeterOverrides meter = meter();
            Optional<Duration> interval = interval();
            Optional<Path> dataDir = Optional.ofNullable(file.dataDir()).flatMap(d -> path("data_dir", d));
            long budget = budget();
            Telemetry telemetry = telemetry();
            Optional<DeviceConfig.Charging> charging = charging();
            Optional<DeviceConfig.Ota> ota = ota();
            if (!problems.isEmpty()) {
                return new ConfigParseResult.Invalid(problems);
            }
            return new ConfigParseResult.Parsed(new DeviceConfig(origin, board, deviceId, location, keyStore, mqtt, ledger,
                    meter, interval, dataDir, budget, telemetry, charging, ota));
        }

        private String board() {
            String b = file.board();
            if (b == null || b.isBlank()) {
                problem("board", "a built-in board profile's name (bin/meter-agent boards) or a profile file",
                        b == null ? "nothing" : quote(b));
                return null;
            }
            return b.strip();
        }

        private DeviceId deviceId() {
            String id = file.deviceId();
            if (id == null || !HEX_ID.matcher(id).matches()) {
                problem("device_id", 2 * DeviceId.LENGTH + " lowercase hex characters (the id 'keys show' prints)",
                        id == null ? "nothing" : quote(id));
                return null;
            }
            return DeviceId.fromHex(id);
        }

        private Optional<String> location() {
            String l = file.location();
            if (l == null) {
                return Optional.empty();
            }
            if (l.isBlank() || l.length() > MAX_LOCATION_CHARS || !l.codePoints().noneMatch(Character::isISOControl)) {
                problem("location", "1.." + MAX_LOCATION_CHARS + " characters on one line", quote(l));
                return Optional.empty();
            }
            return Optional.of(l.strip());
        }

        private KeyStoreSettings keyStore() {
            ConfigFile.KeyStore k = file.keyStore();
            if (k == null) {
                problem("key_store", "a mapping with kind: software, pkcs11 or atecc608", "nothing");
                return null;
            }
            String kind = k.kind() == null ? null : k.kind().toLowerCase(Locale.ROOT);
            if (kind == null || !List.of("software", "pkcs11", "atecc608").contains(kind)) {
                problem("key_store.kind", "software, pkcs11 or atecc608", k.kind() == null ? "nothing" : quote(k.kind()));
                return null;
            }
            List<String> allowed = switch (kind) {
                case "software" -> List.of("dir", "secret_file");
                case "pkcs11" -> List.of("pkcs11_library", "token_label", "key_label", "pin_file");
                default -> List.of("slot");
            };
            refuseOthers(kind, allowed, "dir", k.dir());
            refuseOthers(kind, allowed, "secret_file", k.secretFile());
            refuseOthers(kind, allowed, "pkcs11_library", k.pkcs11Library());
            refuseOthers(kind, allowed, "token_label", k.tokenLabel());
            refuseOthers(kind, allowed, "key_label", k.keyLabel());
            refuseOthers(kind, allowed, "pin_file", k.pinFile());
            refuseOthers(kind, allowed, "slot", k.slot());
            return switch (kind) {
                case "software" -> {
                    Optional<Path> dir = required("key_store.dir", k.dir());
                    Optional<Path> secret = required("key_store.secret_file", k.secretFile());
                    yield dir.isPresent() && secret.isPresent() ? new SoftwareStore(dir.get(), secret.get()) : null;
                }
                case "pkcs11" -> {
                    Optional<Path> library = required("key_store.pkcs11_library", k.pkcs11Library());
                    Optional<Path> pin = required("key_store.pin_file", k.pinFile());
                    String token = label("key_store.token_label", k.tokenLabel(), null);
                    String key = label("key_store.key_label", k.keyLabel(), "wattproof-device");
                    yield library.isPresent() && pin.isPresent() && token != null && key != null
                            ? new Pkcs11Store(library.get(), token, key, pin.get())
                            : null;
                }
                default -> {
                    int slot = k.slot() == null ? 0 : k.slot();
                    if (slot < 0 || slot >= ATECC608_SLOTS) {
                        problem("key_store.slot", "0.." + (ATECC608_SLOTS - 1), Integer.toString(slot));
                        yield null;
                    }
                    yield new Atecc608Store(slot);
                }
            };
        }

        private void refuseOthers(String kind, List<String> allowed, String key, Object value) {
            if (value != null && !allowed.contains(key)) {
                problem("key_store." + key, "only " + String.join(", ", allowed) + " for kind " + kind, "a value for " + key);
            }
        }

        private String label(String field, String value, String fallback) {
            if (value == null) {
                if (fallback == null) {
                    problem(field, "a label", "nothing");
                }
                return fallback;
            }
            if (value.isBlank() || value.length() > 32) {
                problem(field, "1..32 characters (PKCS#11 labels are 32 bytes)", quote(value));
                return null;
            }
            return value;
        }

        private Optional<Path> required(String field, String value) {
            if (value == null) {
                problem(field, "an absolute path", "nothing");
                return Optional.empty();
            }
            return path(field, value);
        }

        private Optional<Path> path(String field, String value) {
            try {
                Path p = Path.of(value);
                if (!p.isAbsolute()) {
                    // A daemon's working directory is not the technician's: relative paths would
                    // name different files at provisioning and at run time.
                    problem(field, "an absolute path", quote(value));
                    return Optional.empty();
                }
                return Optional.of(p.normalize());
            } catch (InvalidPathException e) {
                problem(field, "an absolute path", quote(value));
                return Optional.empty();
            }
        }

        private Mqtt mqtt() {
            ConfigFile.Mqtt m = file.mqtt();
            if (m == null || m.broker() == null) {
                problem(m == null ? "mqtt" : "mqtt.broker", "tcp://HOST:PORT or ssl://HOST:PORT", "nothing");
                return null;
            }
            URI broker;
            try {
                broker = new URI(m.broker().strip());
            } catch (URISyntaxException e) {
                broker = null;
            }
            if (broker == null || !("tcp".equals(broker.getScheme()) || "ssl".equals(broker.getScheme()))
                    || broker.getHost() == null || broker.getPort() <= 0 || (broker.getPath() != null && !broker.getPath().isEmpty())) {
                problem("mqtt.broker", "tcp://HOST:PORT or ssl://HOST:PORT", quote(m.broker()));
                return null;
            }
            Optional<Path> cert = Optional.ofNullable(m.deviceCert()).flatMap(c -> path("mqtt.device_cert", c));
            Optional<Path> ca = Optional.ofNullable(m.brokerCa()).flatMap(c -> path("mqtt.broker_ca", c));
            boolean ssl = "ssl".equals(broker.getScheme());
            if (ssl && m.deviceCert() == null) {
                problem("mqtt.device_cert", "the device certificate's path (mutual TLS with an ssl:// broker)", "nothing");
            }
            if (ssl && m.brokerCa() == null) {
                problem("mqtt.broker_ca", "the broker authority's path (mutual TLS with an ssl:// broker)", "nothing");
            }
            if (!ssl && (m.deviceCert() != null || m.brokerCa() != null)) {
                problem(m.deviceCert() != null ? "mqtt.device_cert" : "mqtt.broker_ca", "nothing for a tcp:// broker (no TLS)",
                        "a path; use ssl:// for mutual TLS");
            }
            return new Mqtt(broker, cert, ca);
        }

        private Ledger ledger() {
            ConfigFile.Ledger l = file.ledger();
            if (l == null || l.chainId() == null) {
                problem(l == null ? "ledger" : "ledger.chain_id", "the ledger's chain id", "nothing");
                return null;
            }
            try {
                SignBytes.checkChainId(l.chainId());
            } catch (IllegalArgumentException e) {
                problem("ledger.chain_id", "a chain id: " + e.getMessage(), quote(l.chainId()));
                return null;
            }
            Optional<Path> anchor = Optional.ofNullable(l.trustAnchor()).flatMap(a -> path("ledger.trust_anchor", a));
            Duration receiptTimeout = LedgerSettings.DEFAULT_RECEIPT_TIMEOUT;
            if (l.receiptTimeout() != null) {
                Optional<Duration> d = BoardProfileParser.parseDuration(l.receiptTimeout());
                if (d.isEmpty() || d.get().compareTo(MIN_RECEIPT_TIMEOUT) < 0 || d.get().compareTo(MAX_RECEIPT_TIMEOUT) > 0) {
                    problem("ledger.receipt_timeout", "1s..1d, e.g. 60s", quote(l.receiptTimeout()));
                } else {
                    receiptTimeout = d.get();
                }
            }
            int pruneThreshold = LedgerSettings.DEFAULT_PRUNE_THRESHOLD;
            if (l.pruneThreshold() != null) {
                if (l.pruneThreshold() < 1 || l.pruneThreshold() > MAX_PRUNE_THRESHOLD) {
                    problem("ledger.prune_threshold", "1.." + MAX_PRUNE_THRESHOLD + " records", l.pruneThreshold().toString());
                } else {
                    pruneThreshold = l.pruneThreshold();
                }
            }
            return new Ledger(l.chainId(), anchor, receiptTimeout, pruneThreshold);
        }

        private MeterOverrides meter() {
            ConfigFile.Meter m = file.meter();
            if (m == null) {
                return MeterOverrides.NONE;
            }
            if (m.unitId() != null && (m.unitId() < 1 || m.unitId() > 247)) {
                // Modbus over Serial Line V1.02 section 2.2: individual addresses are 1..247.
                problem("meter.unit_id", "1..247", m.unitId().toString());
            }
            String serial = m.serial();
            if (serial != null && (serial.isEmpty() || serial.length() > 32 || !serial.chars().allMatch(c -> c >= 0x20 && c < 0x7f))) {
                problem("meter.serial", "1..32 printable ASCII characters", quote(serial));
            }
            if (m.model() != null && m.model().isBlank()) {
                problem("meter.model", "a meter model (bin/meter-agent models) or a map file", quote(m.model()));
            }
            DeviceConfig.EnergySource source = DeviceConfig.EnergySource.MODBUS;
            if (m.source() != null) {
                switch (m.source().toLowerCase(Locale.ROOT)) {
                    case "modbus" -> source = DeviceConfig.EnergySource.MODBUS;
                    case "s0" -> source = DeviceConfig.EnergySource.S0;
                    default -> problem("meter.source", "modbus or s0", quote(m.source()));
                }
            }
            return new MeterOverrides(Optional.ofNullable(m.model()), Optional.ofNullable(m.unitId()), Optional.ofNullable(serial),
                    source);
        }

        private Optional<Duration> interval() {
            if (file.interval() == null) {
                return Optional.empty();
            }
            Optional<Duration> d = BoardProfileParser.parseDuration(file.interval());
            if (d.isEmpty() || d.get().isNegative() || d.get().isZero() || d.get().getNano() != 0
                    || 86_400 % d.get().getSeconds() != 0) {
                problem("interval", "whole seconds dividing a day, e.g. 15m or 1m", quote(file.interval()));
                return Optional.empty();
            }
            return d;
        }

        private long budget() {
            if (file.outboxBudget() == null) {
                return AgentConfig.DEFAULT_OUTBOX_BUDGET_BYTES;
            }
            Optional<Long> bytes = parseSize(file.outboxBudget());
            if (bytes.isEmpty() || bytes.get() < AgentConfig.MIN_OUTBOX_BUDGET_BYTES) {
                problem("outbox_budget", "a size of at least " + formatSize(AgentConfig.MIN_OUTBOX_BUDGET_BYTES)
                        + ", e.g. 64MiB", quote(file.outboxBudget()));
                return AgentConfig.DEFAULT_OUTBOX_BUDGET_BYTES;
            }
            return bytes.get();
        }

        private Telemetry telemetry() {
            ConfigFile.Telemetry t = file.telemetry();
            if (t == null) {
                return Telemetry.DEFAULT;
            }
            Duration period = Telemetry.DEFAULT.period();
            if (t.period() != null) {
                Optional<Duration> d = BoardProfileParser.parseDuration(t.period());
                if (d.isEmpty() || d.get().compareTo(MIN_TELEMETRY_PERIOD) < 0 || d.get().compareTo(MAX_TELEMETRY_PERIOD) > 0) {
                    problem("telemetry.period", "1s..1h, e.g. 10s", quote(t.period()));
                } else {
                    period = d.get();
                }
            }
            boolean enabled = t.enabled() == null || t.enabled();
            boolean homeAssistant = t.homeAssistant() == null ? enabled : t.homeAssistant();
            if (homeAssistant && !enabled) {
                problem("telemetry.home_assistant", "false while telemetry.enabled is false (discovery announces telemetry)", "true");
            }
            return new Telemetry(enabled, homeAssistant, period);
        }

        private Optional<DeviceConfig.Charging> charging() {
            ConfigFile.Charging c = file.charging();
            if (c == null) {
                return Optional.empty();
            }
            Optional<Path> keyFile = required("charging.seal_key_file", c.sealKeyFile());
            byte[] owner = hex("charging.owner_seal_key", c.ownerSealKey(), 32, "the pile owner's X25519 public key");
            byte[] supervisor = hex("charging.supervisor_seal_key", c.supervisorSealKey(), 32, "the supervisor's X25519 public key");
            byte[] salt = hex("charging.owner_salt", c.ownerSalt(), io.wattproof.crypto.seal.PartyPseudonyms.SALT_LENGTH,
                    "the salt of the owner's pseudonym");
            String contact = c.ownerContact();
            if (contact == null || contact.isBlank() || contact.length() > MAX_OWNER_CONTACT_CHARS) {
                problem("charging.owner_contact", "1.." + MAX_OWNER_CONTACT_CHARS + " characters", contact == null ? "nothing" : quote(contact));
                contact = null;
            }
            if (owner != null && supervisor != null && java.util.Arrays.equals(owner, supervisor)) {
                // Sealing to the same key twice gives nobody a second copy (docs/sealing.md).
                problem("charging.supervisor_seal_key", "a key other than charging.owner_seal_key", "the same key");
            }
            Optional<DeviceConfig.Offer> offer = offer(c.offer());
            if (keyFile.isEmpty() || owner == null || supervisor == null || salt == null || contact == null) {
                return Optional.empty();
            }
            return Optional.of(new DeviceConfig.Charging(keyFile.get(), owner, supervisor, contact, salt, offer));
        }

        /** The ranges are OfferPolicy's (and publishOffer's): what the ledger would refuse is refused here. */
        private Optional<DeviceConfig.Offer> offer(ConfigFile.Offer o) {
            if (o == null) {
                return Optional.empty();
            }
            Long price = bounded("charging.offer.unit_price", o.unitPrice(), 1, OfferPolicy.MAX_UNIT_PRICE, "micro-units per kWh");
            Long power = bounded("charging.offer.max_power_w", o.maxPowerW(), 1, OfferPolicy.MAX_POWER_W, "W");
            Long days = o.windowDays() == null ? Long.valueOf(OfferPolicy.DEFAULT_WINDOW_DAYS)
                    : bounded("charging.offer.window_days", o.windowDays(), 1, OfferPolicy.MAX_WINDOW_DAYS, "days");
            if (price == null || power == null || days == null) {
                return Optional.empty();
            }
            return Optional.of(new DeviceConfig.Offer(price, power.intValue(), days.intValue()));
        }

        private Long bounded(String field, Long value, long min, long max, String unit) {
            if (value == null || value < min || value > max) {
                problem(field, min + ".." + max + " " + unit, value == null ? "nothing" : value.toString());
                return null;
            }
            return value;
        }

        private byte[] hex(String field, String value, int length, String what) {
            String expected = 2 * length + " lowercase hex characters (" + what + ", " + length + " bytes)";
            if (value == null || !value.matches("[0-9a-f]{" + 2 * length + "}")) {
                // A salt is half a secret: a malformed one is not echoed into a log.
                problem(field, expected, value == null ? "nothing" : value.length() + " characters that are not that");
                return null;
            }
            return java.util.HexFormat.of().parseHex(value);
        }

        /** The update section (docs/daemon.md, "Updates"); absent: the device takes no updates. */
        private Optional<DeviceConfig.Ota> ota() {
            ConfigFile.Ota o = file.ota();
            if (o == null) {
                return Optional.empty();
            }
            int before = problems.size();
            if (o.installer() == null || !o.installer().equals("rauc")) {
                // Folder slots need a launcher that starts the agent from the booted slot (docs/ota.md, "Not built yet").
                problem("ota.installer", "rauc (the only installer the daemon drives)", o.installer() == null ? "nothing" : quote(o.installer()));
            }
            Optional<Path> rauc = o.rauc() == null ? Optional.of(DeviceConfig.Ota.DEFAULT_RAUC) : path("ota.rauc", o.rauc());
            Optional<String> board = Optional.ofNullable(o.board());
            if (board.isPresent() && (board.get().isEmpty() || board.get().length() > MAX_BOARD_NAME_CHARS
                    || !board.get().chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
                problem("ota.board", "1.." + MAX_BOARD_NAME_CHARS + " printable ASCII characters without spaces (a name in the "
                        + "images' compatible_boards)", quote(board.get()));
            }
            Optional<Duration> window = Optional.empty();
            if (o.healthWindow() != null) {
                window = BoardProfileParser.parseDuration(o.healthWindow());
                if (window.isEmpty() || window.get().compareTo(MIN_HEALTH_WINDOW) < 0 || window.get().compareTo(MAX_HEALTH_WINDOW) > 0) {
                    problem("ota.health_window", "1m..1d, e.g. 35m", quote(o.healthWindow()));
                }
            }
            List<String> reboot = DeviceConfig.Ota.DEFAULT_REBOOT_COMMAND;
            if (o.rebootCommand() != null) {
                reboot = o.rebootCommand();
                if (reboot.isEmpty() || reboot.size() > MAX_REBOOT_WORDS || !reboot.stream().allMatch(w -> w != null && !w.isBlank()
                        && w.length() <= MAX_REBOOT_WORD_CHARS && w.codePoints().noneMatch(Character::isISOControl))) {
                    problem("ota.reboot_command", "a program and its arguments, 1.." + MAX_REBOOT_WORDS
                            + " words on one line each, e.g. [systemctl, reboot]", reboot.toString());
                }
            }
            Optional<Path> stateDir = Optional.ofNullable(o.stateDir()).flatMap(d -> path("ota.state_dir", d));
            Long version = o.provisionedVersion();
            if (version == null || version < 1) {
                problem("ota.provisioned_version", "the release number (1 or more) of the system image the device was provisioned with",
                        version == null ? "nothing" : version.toString());
            }
            if (problems.size() > before) {
                return Optional.empty();
            }
            return Optional.of(new DeviceConfig.Ota(rauc.orElseThrow(), board, window, reboot, stateDir, version));
        }
    }
}
