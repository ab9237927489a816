package io.wattproof.simulator.fleet;

import io.wattproof.agent.AgentConfig;
import io.wattproof.agent.AgentStatus;
import io.wattproof.agent.MeterAgent;
import io.wattproof.agent.charging.ChargingPile;
import io.wattproof.agent.charging.ChargingPiles;
import io.wattproof.agent.charging.SessionSealer;
import io.wattproof.agent.gpio.Relay;
import io.wattproof.agent.ledger.LedgerCounters;
import io.wattproof.agent.ledger.LedgerSettings;
import io.wattproof.agent.meter.ModbusMeterSource;
import io.wattproof.agent.outbox.OutboxException;
import io.wattproof.agent.uplink.MqttUplink;
import io.wattproof.agent.uplink.MqttUplinkConfig;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.KeyStoreFailure;
import io.wattproof.crypto.seal.RecipientKeyPair;
import io.wattproof.crypto.soft.SoftwareKeyStore;
import io.wattproof.modbus.master.ModbusTcpMaster;
import io.wattproof.modbus.master.ModbusTcpMasterConfig;
import io.wattproof.simulator.meter.VirtualMeter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * One simulated installation: a virtual meter and the agent that reads it, with the agent's own key
 * store ({@code keys/}) and data folder ({@code data/}) under the device's folder, as on a board.
 * The key is created on first use and reused when the folder is reused.
 */
public final class SimulatedDevice implements AutoCloseable {
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
    /** Ledger counters of agents that ran on this device before the current one, this run. */
    private long confirmedBefore;
    private long forgeriesBefore;

    public SimulatedDevice(Path folder, KeyAlgorithm algorithm, VirtualMeter meter, AgentConfig.Builder config, String brokerUri,
            Clock clock) throws KeyStoreFailure, java.io.IOException {
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
                : SoftwareKeyStore.create(keys, algorithm, secret);
        this.config = config.meterSerial(meter.serial()).build();
    }

    /**
     * What makes this device a charging pile (docs/charging.md): its relay, its sealer (the pile's
     * HPKE key, the owner's and supervisor's keys, the owner's contact) and its owner's pseudonym.
     */
    public record PileParts(Relay relay, SessionSealer sealer, RecipientKeyPair sealKey, byte[] ownerPseudonym) {}

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
        ModbusTcpMaster master = new ModbusTcpMaster(ModbusTcpMasterConfig.builder("127.0.0.1").port(meter.port()).build());
        // On loopback a broker is back within seconds; a board's 30 s back-off would only slow the lab.
        MqttUplink uplink = new MqttUplink(MqttUplinkConfig.of(brokerUri, key.deviceId().hex()).withMaxReconnectDelay(Duration.ofSeconds(2)));
        AgentConfig agentConfig = this.ledger == null ? config : config.withLedger(this.ledger);
        agent = MeterAgent.start(agentConfig, key, new ModbusMeterSource(master, VirtualMeter.UNIT_ID, VirtualMeter.MAP), uplink, clock);
        if (pileParts != null) {
            pile = startPile(agent, uplink);
        }
    }

    /** The pile's shell inside the agent, wired as the daemon wires it (docs/charging.md, "The pile's shell"). */
    private ChargingPile startPile(MeterAgent running, MqttUplink uplink) {
        ChargingPile.Settings settings = ChargingPile.Settings.of(config.chainId(), config.dataDir(), pileParts.ownerPseudonym(),
                pileParts.sealKey().publicKey().encoded(), "X25519_AES_128_GCM");
        return ChargingPiles.startIn(running, uplink, settings, key, pileParts.relay(), pileParts.sealer(), clock,
                Optional.empty());
    }

    /** Stops the agent as a service stop would: metering ends, the outbox is committed and closed. */
    public synchronized void stopAgent() {
        if (agent != null) {
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
        if (agent != null) {
            agent.stopMetering();
        }
    }

    public synchronized boolean awaitDrained(java.time.Duration timeout) throws InterruptedException {
        return agent == null || agent.awaitDrained(timeout);
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
