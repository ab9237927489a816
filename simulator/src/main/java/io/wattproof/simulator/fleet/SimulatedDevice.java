package io.wattproof.simulator.fleet;

import io.wattproof.agent.AgentConfig;
import io.wattproof.agent.AgentStatus;
import io.wattproof.agent.MeterAgent;
import io.wattproof.agent.charging.ChargingPile;
import io.wattproof.agent.charging.ChargingPiles;
import io.wattproof.agent.charging.SessionSealer;
import io.wattproof.agent.gpio.Relay;
import io.wattproof.agent.ledger.ConfirmationListener;
import io.wattproof.agent.ledger.LedgerCounters;
import io.wattproof.agent.ledger.LedgerSettings;
import io.wattproof.agent.meter.ModbusMeterSource;
import io.wattproof.agent.ota.UpdateService;
import io.wattproof.agent.outbox.OutboxException;
import io.wattproof.agent.uplink.LiveChannel;
import io.wattproof.agent.uplink.LiveChannelFanOut;
import io.wattproof.agent.uplink.MqttUplink;
import io.wattproof.agent.uplink.MqttUplinkConfig;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.KeyStoreFailure;
import io.wattproof.crypto.seal.RecipientKeyPair;
import io.wattproof.crypto.soft.SoftwareKeyStore;
import io.wattproof.modbus.master.ModbusMaster;
import io.wattproof.modbus.master.ModbusTcpMaster;
import io.wattproof.modbus.master.ModbusTcpMasterConfig;
import io.wattproof.ota.client.UpdateClient;
import io.wattproof.ota.install.HealthCheck;
import io.wattproof.ota.install.Outcome;
import io.wattproof.ota.install.Running;
import io.wattproof.ota.install.Slot;
import io.wattproof.ota.install.SlotInstaller;
import io.wattproof.ota.install.SlotStore;
import io.wattproof.ota.install.Steps;
import io.wattproof.ota.metadata.TrustStore;
import io.wattproof.ota.metadata.Verdict;
import io.wattproof.ota.v1.UpdateStatus;
import io.wattproof.simulator.meter.VirtualMeter;
import io.wattproof.simulator.ota.SimulatedFirmware;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated installation: a virtual meter and the agent that reads it, with the agent's own key
 * store ({@code keys/}) and data folder ({@code data/}) under the device's folder, as on a board.
 * The key is created on first use and reused when the folder is reused.
 */
public final class SimulatedDevice implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SimulatedDevice.class);
    /** Boots a new slot gets before the fall-back: one, so a release that cannot start is given up at the next start. */
    private static final int BOOT_ATTEMPTS = 1;

    private final Path folder;
    private final DeviceKey key;
    private final VirtualMeter meter;
    private final AgentConfig config;
    private final String brokerUri;
    private final Clock clock;
    private LedgerSettings ledger;
    private MeterAgent agent;
    /** Set for a charging pile: what its shell runs on. */
    private PileParts pileParts;
    private ChargingPile pile;
    private AgentStatus lastStatus;
    /** Set for a device that takes updates: what its update shell needs. */
    private UpdateParts updateParts;
    private UpdateService updates;
    private UpdateStatus lastUpdateStatus;
    /** Every start of the agent on this device, this run, in order. */
    private final List<Boot> boots = new ArrayList<>();
    /** Set by {@link #stopMetering}: the run is ending, and a restart the update shell asks for is not made. */
    private boolean ending;
    /** Hears every record an agent of this device makes final; null for nobody. */
    private ConfirmationListener confirmations;
    /** Ledger counters of agents that ran on this device before the current one, this run. */
    private long confirmedBefore;
    private long forgeriesBefore;

    public SimulatedDevice(Path folder, KeyAlgorithm algorithm, VirtualMeter meter, AgentConfig.Builder config, String brokerUri,
            Clock clock) throws KeyStoreFailure, java.io.IOException {
        this(folder, algorithm, meter, config, brokerUri, clock, false);
    }

    /**
     * As above; with {@code lightKeyStore}, a new key store is encrypted with
     * {@link SoftwareKeyStore#MIN_PBKDF2_ITERATIONS} rounds (its secret is random; see
     * {@link io.wattproof.simulator.FleetHosting#lightKeyStores}).
     */
    public SimulatedDevice(Path folder, KeyAlgorithm algorithm, VirtualMeter meter, AgentConfig.Builder config, String brokerUri,
            Clock clock, boolean lightKeyStore) throws KeyStoreFailure, java.io.IOException {
        this.folder = folder;
        this.meter = meter;
        this.brokerUri = brokerUri;
        this.clock = clock;
        Path keys = folder.resolve("keys");
        Path secret = keys.resolve("secret");
        Files.createDirectories(keys);
        SoftwareKeyStore.createSecret(secret);
        this.key = Files.exists(keys.resolve(SoftwareKeyStore.PRIVATE_KEY_FILE))
                ? SoftwareKeyStore.open(keys, secret)
                : lightKeyStore ? SoftwareKeyStore.create(keys, algorithm, secret, SoftwareKeyStore.MIN_PBKDF2_ITERATIONS)
                : SoftwareKeyStore.create(keys, algorithm, secret);
        this.config = config.meterSerial(meter.serial()).build();
    }

    /**
     * What makes this device a charging pile (docs/charging.md): its relay, its sealer (the pile's
     * HPKE key, the owner's and supervisor's keys, the owner's contact) and its owner's pseudonym.
     */
    public record PileParts(Relay relay, SessionSealer sealer, RecipientKeyPair sealKey, byte[] ownerPseudonym) {}

    /**
     * What makes a device take signed updates (docs/ota.md): its board name, the root of trust its
     * technician installed, the image it left the factory with, and its update shell's settings.
     */
    public record UpdateParts(String board, byte[] signedRoot, SimulatedFirmware factory, int imageSize, HealthCheck health,
            Duration requestTimeout) {}

    /** One start of the agent: when, which slot and release, whether on trial, and the sequence it started from. */
    public record Boot(Instant at, Slot slot, long version, boolean trial, long sequenceAtBoot) {}

    /**
     * Makes the device take updates from its next {@link #startAgent} on. The first time, the
     * device is provisioned as a technician would: the factory image in slot A, committed, and the
     * root in {@code ota/ota-trust.bin}; a device folder provisioned before is left as it is.
     */
    public synchronized void makeUpdatable(UpdateParts parts) throws IOException {
        Path ota = otaFolder();
        if (!Files.exists(ota.resolve("ota-state.bin"))) {
            Files.createDirectories(ota.resolve("slots/a"));
            Files.write(ota.resolve("slots/a").resolve(SlotInstaller.IMAGE_FILE), parts.factory().image(parts.imageSize()));
            if (new SlotStore(ota, Steps.NONE).provision(parts.factory().version()) instanceof Outcome.Refused<?> r) {
                throw new IOException("cannot provision the slots of " + folder + ": " + r.refusal());
            }
            if (new TrustStore(ota).provision(parts.signedRoot(), false) instanceof Verdict.Refused<?> r) {
                throw new IOException("the root of trust was refused: " + r.refusal());
            }
        }
        this.updateParts = parts;
    }

    private Path otaFolder() {
        return folder.resolve("ota");
    }

    /** The starts of this run, oldest first. */
    public synchronized List<Boot> boots() {
        return List.copyOf(boots);
    }

    /** What the update shell reported last (also after the agent stopped); empty for a device without updates. */
    public synchronized Optional<UpdateStatus> updateStatus() {
        return updates != null ? Optional.of(updates.status()) : Optional.ofNullable(lastUpdateStatus);
    }

    /** Who hears each record this device's agents make final, from the next {@link #startAgent} on; null for nobody. */
    public synchronized void confirmations(ConfirmationListener listener) {
        this.confirmations = listener;
    }

    /** Makes the device a charging pile from its next {@link #startAgent} on. */
    public synchronized void makePile(PileParts parts) {
        this.pileParts = parts;
    }

    /** The pile's shell while the agent runs; empty for a household or a stopped agent. */
    public synchronized Optional<ChargingPile> pile() {
        return Optional.ofNullable(pile);
    }

    public static AgentConfig.Builder configFor(Path folder) {
        return AgentConfig.builder(folder.resolve("data"));
    }

    public DeviceKey key() {
        return key;
    }

    /** The device's virtual meter (for faults: docs/faults.md). */
    public VirtualMeter meter() {
        return meter;
    }

    /** Whether the agent runs (false before the first start and after {@link #stopAgent}). */
    public synchronized boolean agentRunning() {
        return agent != null;
    }

    /** The serial number of the device's meter. */
    public String meterSerial() {
        return meter.serial();
    }

    /** Starts the agent on the device's data folder (again, after {@link #stopAgent}). */
    public synchronized void startAgent() throws OutboxException {
        startAgent(null);
    }

    /**
     * Starts the agent following the ledger with {@code ledger} (null: records are done once the
     * broker acknowledges them).
     */
    public synchronized void startAgent(LedgerSettings ledger) throws OutboxException {
        if (ledger != null) {
            this.ledger = ledger;
        }
        if (agent != null) {
            throw new IllegalStateException("agent of " + folder + " is already running");
        }
        AgentConfig agentConfig = this.ledger == null ? config : config.withLedger(this.ledger);
        int unit = VirtualMeter.UNIT_ID;
        SlotInstaller installer = null;
        Running running = null;
        if (updateParts != null) {
            // The boot loader's part: pick the slot, then run what its image says.
            installer = new SlotInstaller(new SlotStore(otaFolder(), Steps.NONE), BOOT_ATTEMPTS);
            try {
                Running booted = switch (installer.bootSlot()) {
                    case Outcome.Refused<Slot> r -> throw new IllegalStateException("device " + folder + " cannot boot: " + r.refusal());
                    case Outcome.Done<Slot> d -> switch (installer.running()) {
                        case Outcome.Refused<Running> r -> throw new IllegalStateException("device " + folder + " cannot boot: " + r.refusal());
                        case Outcome.Done<Running> ok -> ok.value();
                    };
                };
                running = booted;
                Path slotImage = otaFolder().resolve("slots").resolve(booted.slot().name().toLowerCase(java.util.Locale.ROOT))
                        .resolve(SlotInstaller.IMAGE_FILE);
                byte[] image = Files.readAllBytes(slotImage);
                SimulatedFirmware firmware = SimulatedFirmware.parse(image).orElseThrow(
                        () -> new IllegalStateException(slotImage + " holds no simulated firmware"));
                unit = firmware.modbusUnit();
                agentConfig = agentConfig.withFirmware(SimulatedFirmware.identity(firmware, image));
            } catch (IOException e) {
                throw new IllegalStateException("device " + folder + " cannot read its slots: " + e.getMessage(), e);
            }
        }
        ModbusMaster master = meter.servesTcp()
                ? new ModbusTcpMaster(ModbusTcpMasterConfig.builder("127.0.0.1").port(meter.port()).build())
                : meter.inProcessMaster();
        // On loopback a broker is back within seconds; a board's 30 s back-off would only slow the lab.
        MqttUplink uplink = new MqttUplink(MqttUplinkConfig.of(brokerUri, key.deviceId().hex()).withMaxReconnectDelay(Duration.ofSeconds(2)));
        agent = MeterAgent.start(agentConfig, key, new ModbusMeterSource(master, unit, VirtualMeter.MAP), uplink, clock);
        agent.confirmations(confirmations);
        LiveChannelFanOut live = updateParts == null ? null : new LiveChannelFanOut(uplink);
        if (pileParts != null) {
            pile = startPile(agent, live == null ? uplink : live.attach());
        }
        if (updateParts != null) {
            Instant bootedAt = clock.instant();
            boots.add(new Boot(bootedAt, running.slot(), running.version(), running.trial(), agent.status().lastSequence()));
            UpdateClient.Settings settings = UpdateClient.Settings.of(updateParts.board(), otaFolder().resolve("download"), updateParts.health())
                    .withRequestTimeout(updateParts.requestTimeout());
            updates = UpdateService.start(agent, live.attach(), MqttUplinkConfig.DEFAULT_TOPIC_PREFIX, settings, new TrustStore(otaFolder()),
                    installer, running, bootedAt, why -> Thread.ofPlatform().daemon().name("restart-" + key.deviceId().hex().substring(0, 8))
                            .start(() -> restart(why)), clock);
        }
    }

    /**
     * The restart an update asks for: the agent stops as a service stop would and starts again,
     * booting whatever slot the installer now chooses. A start that fails (an image that cannot
     * run) is a failed boot: the next start falls back to the good slot, as the boot attempts say.
     */
    private void restart(String why) {
        synchronized (this) {
            if (agent == null || ending) {
                return;
            }
            log.info("device {} restarts: {}", key.deviceId().hex(), why);
            stopAgent();
            for (int attempt = 0; attempt < 2 && agent == null; attempt++) {
                try {
                    startAgent();
                } catch (RuntimeException | OutboxException e) {
                    log.warn("device {} failed to start: {}", key.deviceId().hex(), e.toString());
                }
            }
        }
    }

    /** The pile's shell inside the agent, wired as the daemon wires it (docs/charging.md, "The pile's shell"). */
    private ChargingPile startPile(MeterAgent running, LiveChannel uplink) {
        ChargingPile.Settings settings = ChargingPile.Settings.of(config.chainId(), config.dataDir(), pileParts.ownerPseudonym(),
                pileParts.sealKey().publicKey().encoded(), "X25519_AES_128_GCM");
        return ChargingPiles.startIn(running, uplink, settings, key, pileParts.relay(), pileParts.sealer(), clock,
                Optional.empty());
    }

    /** Stops the agent as a service stop would: metering ends, the outbox is committed and closed. */
    public synchronized void stopAgent() {
        if (agent != null) {
            if (updates != null) {
                lastUpdateStatus = updates.status();
                updates.close();
                updates = null;
            }
            if (pile != null) {
                pile.close();
                pile = null;
            }
            agent.close();
            lastStatus = agent.status();
            agent.ledger().ifPresent(c -> {
                confirmedBefore += c.confirmed();
                forgeriesBefore += c.forgeriesDetected();
            });
            agent = null;
        }
    }

    /** Records whose inclusion the device's agents verified themselves since this object was made. */
    public synchronized long confirmed() {
        return confirmedBefore + (agent == null ? 0 : agent.ledger().map(LedgerCounters::confirmed).orElse(0L));
    }

    /** Forged headers and proofs the device's agents detected since this object was made. */
    public synchronized long forgeriesDetected() {
        return forgeriesBefore + (agent == null ? 0 : agent.ledger().map(LedgerCounters::forgeriesDetected).orElse(0L));
    }

    /** Waits until every stored record is final (acknowledged only, without a ledger). */
    public boolean awaitFinal(Duration timeout) throws InterruptedException {
        MeterAgent a;
        synchronized (this) {
            a = agent;
        }
        if (a == null) {
            return true;
        }
        return this.ledger == null ? a.awaitDrained(timeout) : a.awaitFinal(timeout);
    }

    public synchronized void stopMetering() {
        ending = true;
        if (agent != null) {
            agent.stopMetering();
        }
    }

    public synchronized boolean awaitDrained(java.time.Duration timeout) throws InterruptedException {
        return agent == null || agent.awaitDrained(timeout);
    }

    /** The running agent's newest meter read; empty while the agent is stopped or before its first read. */
    public synchronized Optional<io.wattproof.agent.meter.MeterSample> latestSample() {
        return agent == null ? Optional.empty() : agent.latestSample();
    }

    /** Status of the running agent, or its last status while stopped (null if never started). */
    public synchronized AgentStatus status() {
        return agent == null ? lastStatus : agent.status();
    }

    @Override
    public synchronized void close() {
        stopAgent();
        meter.close();
    }
}
