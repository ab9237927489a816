package io.wattproof.agent.config;

import io.wattproof.agent.ledger.LedgerSettings;
import io.wattproof.crypto.DeviceId;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A checked {@code wattproof-agent/1} configuration (docs/provisioning.md). What it leaves empty
 * comes from the board profile it names.
 *
 * @param origin how messages name the file
 * @param board a built-in board profile's name or a profile file
 * @param deviceId the identity provisioning created; the agent refuses to start with another key,
 *     so a swapped secure element or key folder cannot sign under this device's name
 * @param location free text shown to owners (telemetry, Home Assistant), e.g. "Garage"
 * @param keyStore where the device key lives
 * @param mqtt the broker and, for {@code ssl://}, the device certificate and the broker's CA
 * @param ledger the chain records are signed for and its trust anchor
 * @param meter overrides of the board's meter settings
 * @param interval overrides the board's interval
 * @param dataDir overrides the board's data folder
 * @param outboxBudgetBytes the most the outbox may occupy on disk
 * @param telemetry live values for owners
 * @param charging present for a charging pile (docs/charging.md, "The pile's shell")
 * @param ota present on a device that takes signed updates (docs/daemon.md, "Updates")
 */
public record DeviceConfig(
        String origin,
        String board,
        DeviceId deviceId,
        Optional<String> location,
        KeyStoreSettings keyStore,
        Mqtt mqtt,
        Ledger ledger,
        MeterOverrides meter,
        Optional<Duration> interval,
        Optional<Path> dataDir,
        long outboxBudgetBytes,
        Telemetry telemetry,
        Optional<Charging> charging,
        Optional<Ota> ota) {

    public static final String SCHEMA = "wattproof-agent/1";

    public DeviceConfig {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(board, "board");
        Objects.requireNonNull(deviceId, "device id");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(keyStore, "key store");
        Objects.requireNonNull(mqtt, "mqtt");
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(meter, "meter");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(dataDir, "data dir");
        Objects.requireNonNull(telemetry, "telemetry");
        Objects.requireNonNull(charging, "charging");
        Objects.requireNonNull(ota, "ota");
    }

    /** A device that takes no updates. */
    public DeviceConfig(String origin, String board, DeviceId deviceId, Optional<String> location, KeyStoreSettings keyStore,
            Mqtt mqtt, Ledger ledger, MeterOverrides meter, Optional<Duration> interval, Optional<Path> dataDir,
            long outboxBudgetBytes, Telemetry telemetry, Optional<Charging> charging) {
        this(origin, board, deviceId, location, keyStore, mqtt, ledger, meter, interval, dataDir, outboxBudgetBytes, telemetry,
                charging, Optional.empty());
    }

    /** The same configuration with {@code ota} as its update section. */
    public DeviceConfig withOta(Optional<Ota> ota) {
        return new DeviceConfig(origin, board, deviceId, location, keyStore, mqtt, ledger, meter, interval, dataDir,
                outboxBudgetBytes, telemetry, charging, ota);
    }

    /** A device that is no charging pile. */
    public DeviceConfig(String origin, String board, DeviceId deviceId, Optional<String> location, KeyStoreSettings keyStore,
            Mqtt mqtt, Ledger ledger, MeterOverrides meter, Optional<Duration> interval, Optional<Path> dataDir,
            long outboxBudgetBytes, Telemetry telemetry) {
        this(origin, board, deviceId, location, keyStore, mqtt, ledger, meter, interval, dataDir, outboxBudgetBytes, telemetry,
                Optional.empty());
    }

    /** Where the device key lives; the key never leaves it. */
    public sealed interface KeyStoreSettings {
        /** Kind as written in the file: {@code software}, {@code pkcs11} or {@code atecc608}. */
        String kind();
    }

    /** An encrypted key file in {@code dir}, opened with the secret in {@code secretFile}. */
    public record SoftwareStore(Path dir, Path secretFile) implements KeyStoreSettings {
        public SoftwareStore {
            Objects.requireNonNull(dir, "dir");
            Objects.requireNonNull(secretFile, "secret file");
        }

        @Override
        public String kind() {
            return "software";
        }
    }

    /** A key on a PKCS#11 token. */
    public record Pkcs11Store(Path library, String tokenLabel, String keyLabel, Path pinFile) implements KeyStoreSettings {
        public Pkcs11Store {
            Objects.requireNonNull(library, "library");
            Objects.requireNonNull(tokenLabel, "token label");
            Objects.requireNonNull(keyLabel, "key label");
            Objects.requireNonNull(pinFile, "pin file");
        }

        @Override
        public String kind() {
            return "pkcs11";
        }
    }

    /** A key slot of the ATECC608 the board profile places on its I2C bus. */
    public record Atecc608Store(int slot) implements KeyStoreSettings {
        @Override
        public String kind() {
            return "atecc608";
        }
    }

    /**
     * @param broker {@code tcp://host:port} or {@code ssl://host:port}
     * @param deviceCert for ssl: where the device certificate is (it may be installed after the
     *     configuration is written; {@code provision --check} says when it is missing)
     * @param brokerCa for ssl: the authority the broker's certificate must chain to
     */
    public record Mqtt(URI broker, Optional<Path> deviceCert, Optional<Path> brokerCa) {
        public Mqtt {
            Objects.requireNonNull(broker, "broker");
            Objects.requireNonNull(deviceCert, "device cert");
            Objects.requireNonNull(brokerCa, "broker ca");
        }

        public boolean tls() {
            return "ssl".equals(broker.getScheme());
        }
    }

    /**
     * @param trustAnchor the light block the agent starts to trust the ledger from
     * @param receiptTimeout how long a record may wait for a verified receipt before it is sent again
     * @param pruneThreshold final records held before the outbox is compacted
     */
    public record Ledger(String chainId, Optional<Path> trustAnchor, Duration receiptTimeout, int pruneThreshold) {
        public Ledger {
            Objects.requireNonNull(chainId, "chain id");
            Objects.requireNonNull(trustAnchor, "trust anchor");
            Objects.requireNonNull(receiptTimeout, "receipt timeout");
        }

        /** With the default receipt timeout and prune threshold. */
        public Ledger(String chainId, Optional<Path> trustAnchor) {
            this(chainId, trustAnchor, LedgerSettings.DEFAULT_RECEIPT_TIMEOUT, LedgerSettings.DEFAULT_PRUNE_THRESHOLD);
        }
    }

    /**
     * @param source where energy is read: the meter's registers over Modbus (the default) or the
     *     pulses of its S0 output on the board's {@code gpio.s0} line (import energy only; docs/gpio.md)
     */
    public record MeterOverrides(Optional<String> model, Optional<Integer> unitId, Optional<String> serial, EnergySource source) {
        public static final MeterOverrides NONE = new MeterOverrides(Optional.empty(), Optional.empty(), Optional.empty());

        public MeterOverrides {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(unitId, "unit id");
            Objects.requireNonNull(serial, "serial");
            Objects.requireNonNull(source, "source");
        }

        /** Read over Modbus. */
        public MeterOverrides(Optional<String> model, Optional<Integer> unitId, Optional<String> serial) {
            this(model, unitId, serial, EnergySource.MODBUS);
        }
    }

    public enum EnergySource {
        MODBUS, S0;

        public String fileName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * @param enabled publish live values on the telemetry topic
     * @param homeAssistant publish Home Assistant MQTT discovery for them
     * @param period how often live values are published
     */
    public record Telemetry(boolean enabled, boolean homeAssistant, Duration period) {
        public static final Telemetry DEFAULT = new Telemetry(true, true, Duration.ofSeconds(10));

        public Telemetry {
            Objects.requireNonNull(period, "period");
        }
    }

    /**
     * What a charging pile needs beside a meter's settings (docs/charging.md, "Personal data"). The
     * relay is the board profile's {@code gpio.relay}.
     *
     * @param sealKeyFile the pile's HPKE private key (X25519, 64 hex characters on one line, mode
     *     0600): car owners seal their data to its public key, published in charge/info
     * @param ownerSealKey the pile owner's HPKE public key, X25519, 32 bytes
     * @param supervisorSealKey the supervisor's HPKE public key, X25519, 32 bytes
     * @param ownerContact the pile owner's contact, sealed into every session record
     * @param ownerSalt 32 bytes: with the contact it opens the offers' owner_pseudonym
     *     (PartyPseudonyms)
     * @param offer the offer the pile keeps open by itself; empty: the pile makes no offers
     */
    public record Charging(Path sealKeyFile, byte[] ownerSealKey, byte[] supervisorSealKey, String ownerContact, byte[] ownerSalt,
            Optional<Offer> offer) {
        public Charging {
            Objects.requireNonNull(sealKeyFile, "seal key file");
            Objects.requireNonNull(ownerContact, "owner contact");
            Objects.requireNonNull(offer, "offer");
            ownerSealKey = ownerSealKey.clone();
            supervisorSealKey = supervisorSealKey.clone();
            ownerSalt = ownerSalt.clone();
        }

        @Override
        public byte[] ownerSealKey() {
            return ownerSealKey.clone();
        }

        @Override
        public byte[] supervisorSealKey() {
            return supervisorSealKey.clone();
        }

        @Override
        public byte[] ownerSalt() {
            return ownerSalt.clone();
        }

        /** The offers' owner_pseudonym: SHA-256("wattproof/v1/party" ‖ salt ‖ contact). */
        public byte[] ownerPseudonym() {
            return io.wattproof.crypto.seal.PartyPseudonyms.pseudonym(ownerSalt,
                    ownerContact.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Charging c && sealKeyFile.equals(c.sealKeyFile) && java.util.Arrays.equals(ownerSealKey, c.ownerSealKey)
                    && java.util.Arrays.equals(supervisorSealKey, c.supervisorSealKey) && ownerContact.equals(c.ownerContact)
                    && java.util.Arrays.equals(ownerSalt, c.ownerSalt) && offer.equals(c.offer);
        }

        @Override
        public int hashCode() {
            return sealKeyFile.hashCode() * 31 + ownerContact.hashCode();
        }

        /** The salt opens the owner's pseudonym: it is not printed. */
        @Override
        public String toString() {
            return "Charging[sealKeyFile=" + sealKeyFile + ", owner contact of " + ownerContact.length() + " characters, offer="
                    + offer + "]";
        }
    }

    /**
     * The offer a pile keeps open (docs/charging.md, "In the daemon and the simulator"): the
     * {@code charging.offer} keys, checked as {@code OfferPolicy} checks them.
     *
     * @param unitPrice micro-units per kWh, 1..10^9
     * @param maxPowerW W, 1..1,000,000
     * @param windowDays each offer's window, 1..30 days
     */
    public record Offer(long unitPrice, int maxPowerW, int windowDays) {}

    /**
     * How the daemon takes signed updates (docs/daemon.md, "Updates"; docs/ota.md, "In the
     * daemon"). Only whole-system bundles handed to RAUC for now.
     *
     * @param rauc the rauc executable
     * @param board the board name matched against an image's compatible boards; empty: the board
     *     profile's name
     * @param healthWindow how long a new version on trial has to show it meters; empty: twice the
     *     interval plus 5 minutes (a first record needs two boundary reads)
     * @param rebootCommand what restarts the device into the slot RAUC chose, program then arguments
     * @param stateDir where ota-trust.bin, ota-rauc.bin and downloads live; empty: {@code <data dir>/ota}
     * @param provisionedVersion the release number of the system image the device was provisioned
     *     with: the version floor until the first committed update, ≥ 1
     */
    public record Ota(Path rauc, Optional<String> board, Optional<Duration> healthWindow, java.util.List<String> rebootCommand,
            Optional<Path> stateDir, long provisionedVersion) {
        public static final Path DEFAULT_RAUC = Path.of("/usr/bin/rauc");
        public static final java.util.List<String> DEFAULT_REBOOT_COMMAND = java.util.List.of("systemctl", "reboot");

        public Ota {
            Objects.requireNonNull(rauc, "rauc");
            Objects.requireNonNull(board, "board");
            Objects.requireNonNull(healthWindow, "health window");
            rebootCommand = java.util.List.copyOf(rebootCommand);
            Objects.requireNonNull(stateDir, "state dir");
            if (rebootCommand.isEmpty()) {
                throw new IllegalArgumentException("reboot command: expected a program, got nothing");
            }
            if (provisionedVersion < 1) {
                throw new IllegalArgumentException("provisioned version: expected 1 or more, got " + provisionedVersion);
            }
        }

        /** Every default, with the release the device was provisioned with. */
        public static Ota of(long provisionedVersion) {
            return new Ota(DEFAULT_RAUC, Optional.empty(), Optional.empty(), DEFAULT_REBOOT_COMMAND, Optional.empty(), provisionedVersion);
        }

        public Ota withProvisionedVersion(long version) {
            return new Ota(rauc, board, healthWindow, rebootCommand, stateDir, version);
        }

        /** The folder of the update state, given the data folder in use. */
        public Path stateDir(Path dataDir) {
            return stateDir.orElse(dataDir.resolve("ota"));
        }
    }
}
