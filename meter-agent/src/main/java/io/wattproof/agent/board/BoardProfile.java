package io.wattproof.agent.board;

import io.wattproof.modbus.transport.SerialLineConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A checked board profile ({@code wattproof-board/1}, docs/boards.md): everything the agent needs
 * to know about the hardware it runs on. Built only by {@link BoardProfileParser}, which has
 * checked every range and that no GPIO line serves two purposes.
 *
 * @param origin where the profile came from, e.g. {@code raspberry-pi-4b.yaml} or a user's path
 * @param name short name, lowercase letters, digits and '-'
 * @param description one line for listings
 * @param gpioHeader which GPIO numbering the pins use
 * @param gpio the LED, relay, tamper and S0 lines the board has (none without a header)
 * @param secureElement the I2C secure element, if the board has one
 * @param keyStore where the device key is kept
 * @param serial the RS-485 line to the meter
 * @param meter which meter is on the line
 * @param interval metering interval, whole seconds, 1 s .. 1 day
 * @param paths where the agent keeps its state, keys and configuration
 */
public record BoardProfile(
        String origin,
        String name,
        String description,
        GpioHeader gpioHeader,
        GpioLines gpio,
        Optional<SecureElement> secureElement,
        KeyStoreKind keyStore,
        SerialLineConfig serial,
        MeterLink meter,
        Duration interval,
        DataPaths paths) {

    /** The schema id every profile names in its {@code schema} key. */
    public static final String SCHEMA = "wattproof-board/1";

    public BoardProfile {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(gpioHeader, "gpioHeader");
        Objects.requireNonNull(gpio, "gpio");
        Objects.requireNonNull(secureElement, "secureElement");
        Objects.requireNonNull(keyStore, "keyStore");
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(meter, "meter");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(paths, "paths");
    }

    /** The GPIO numbering of a board. */
    public enum GpioHeader {
        /**
         * The Raspberry Pi 40-pin header (Pi 4B, Pi 5; a CM4 brings out the same lines): BCM GPIO
         * numbers 0..27.
         */
        RASPBERRY_PI_40_PIN("raspberry-pi-40-pin", 27),
        /** No GPIO the agent may use (a generic board or a desktop): the profile names no pins. */
        NONE("none", -1);

        private final String fileName;
        private final int maxPin;

        GpioHeader(String fileName, int maxPin) {
            this.fileName = fileName;
            this.maxPin = maxPin;
        }

        /** As written in a profile. */
        public String fileName() {
            return fileName;
        }

        /** Highest GPIO number, or -1 without GPIO. */
        public int maxPin() {
            return maxPin;
        }
    }

    /** Electrical level at which a line means "on" (LED lit, relay closed, tamper, S0 pulse). */
    public enum Level {
        HIGH, LOW;

        public String fileName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The SoC's internal bias resistor on an input line. */
    public enum Pull {
        UP, DOWN, NONE;

        public String fileName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A GPIO output (LED, relay driver), BCM number. */
    public record OutputPin(int pin, Level active) {
        public OutputPin {
            Objects.requireNonNull(active, "active");
        }
    }

    /** A GPIO input (tamper switch), BCM number. */
    public record InputPin(int pin, Level active, Pull pull) {
        public InputPin {
            Objects.requireNonNull(active, "active");
            Objects.requireNonNull(pull, "pull");
        }
    }

    /**
     * An S0 pulse input (EN 62053-31): the meter's open-collector output conducts for at least 30 ms
     * per pulse.
     *
     * @param pulsesPerKwh the meter's constant (imp/kWh), 1..100000
     * @param debounceMillis edges closer than this are ignored, 0..29 ms (below the 30 ms minimum pulse)
     */
    public record S0Input(int pin, Level active, Pull pull, int pulsesPerKwh, int debounceMillis) {
        public S0Input {
            Objects.requireNonNull(active, "active");
            Objects.requireNonNull(pull, "pull");
        }
    }

    /** The GPIO lines a board has; any of them may be absent. */
    public record GpioLines(
            Optional<OutputPin> statusLed, Optional<OutputPin> relay, Optional<InputPin> tamper, Optional<S0Input> s0) {
        public static final GpioLines NONE = new GpioLines(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());

        public GpioLines {
            Objects.requireNonNull(statusLed, "statusLed");
            Objects.requireNonNull(relay, "relay");
            Objects.requireNonNull(tamper, "tamper");
            Objects.requireNonNull(s0, "s0");
        }

        /** Every GPIO number in use, in the order LED, relay, tamper, S0. */
        public List<Integer> pins() {
            List<Integer> pins = new ArrayList<>();
            statusLed.ifPresent(p -> pins.add(p.pin()));
            relay.ifPresent(p -> pins.add(p.pin()));
            tamper.ifPresent(p -> pins.add(p.pin()));
            s0.ifPresent(p -> pins.add(p.pin()));
            return List.copyOf(pins);
        }
    }

    /**
     * An I2C secure element (ATECC608).
     *
     * @param i2cBus Linux bus number N of {@code /dev/i2c-N}
     * @param i2cAddress 7-bit address 0x08..0x77
     */
    public record SecureElement(int i2cBus, int i2cAddress) {
        /** {@code /dev/i2c-1}. */
        public String device() {
            return "/dev/i2c-" + i2cBus;
        }
    }

    /** Where the device key lives (DESIGN.md section 7). */
    public enum KeyStoreKind {
        /** Encrypted key file readable only by the agent's user. */
        SOFTWARE,
        /** A token behind a PKCS#11 library (TPM, HSM, SoftHSM2). */
        PKCS11,
        /** Microchip ATECC608 on I2C; needs a {@link SecureElement}. */
        ATECC608;

        public String fileName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The meter on the serial line.
     *
     * @param model a built-in register map name (e.g. {@code SDM630}) or a map file path; a relative
     *     path is resolved against {@link DataPaths#configDir()} (see {@link #mapFile(DataPaths)})
     * @param unitId Modbus unit id, 1..247 (Modbus over Serial Line V1.02 section 2.2)
     */
    public record MeterLink(String model, int unitId) {
        public MeterLink {
            Objects.requireNonNull(model, "model");
        }

        /** Whether {@link #model} names a map file rather than a built-in map (the rule of {@code --model}). */
        public boolean isMapFile() {
            String lower = model.toLowerCase(Locale.ROOT);
            return lower.endsWith(".yaml") || lower.endsWith(".yml") || model.contains("/") || model.contains("\\");
        }

        /** The map file, relative paths taken from the configuration folder; empty for a built-in map. */
        public Optional<Path> mapFile(DataPaths paths) {
            return isMapFile() ? Optional.of(paths.configDir().resolve(model)) : Optional.empty();
        }
    }

    /**
     * The agent's folders, all absolute.
     *
     * @param dataDir durable state (outbox, header store); default {@value #DEFAULT_DATA_DIR}
     * @param keyDir software key store; default {@value #DEFAULT_KEY_DIR}
     * @param configDir configuration (trust anchor, certificates, user map files); default {@value
     *     #DEFAULT_CONFIG_DIR}
     */
    public record DataPaths(Path dataDir, Path keyDir, Path configDir) {
        public static final String DEFAULT_DATA_DIR = "/var/lib/wattproof";
        public static final String DEFAULT_KEY_DIR = "/var/lib/wattproof/keys";
        public static final String DEFAULT_CONFIG_DIR = "/etc/wattproof";

        public DataPaths {
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(keyDir, "keyDir");
            Objects.requireNonNull(configDir, "configDir");
        }
    }
}
