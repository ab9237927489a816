package io.wattproof.simulator;

import io.wattproof.agent.AgentConfig;
import io.wattproof.agent.AgentStatus;
import io.wattproof.agent.charging.SessionSealer;
import io.wattproof.agent.driver.CarOwnerStore;
import io.wattproof.agent.gpio.LoggingRelay;
import io.wattproof.agent.interval.ScaledClock;
import io.wattproof.agent.ledger.LedgerSettings;
import io.wattproof.agent.provision.TrustAnchor;
import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.seal.PartyPseudonyms;
import io.wattproof.crypto.seal.RecipientKeyPair;
import io.wattproof.crypto.seal.Suite;
import io.wattproof.crypto.soft.SoftwareKeyStore;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.protocol.v1.TariffContract;
import io.wattproof.protocol.v1.TxResultCode;
import io.wattproof.simulator.broker.EmbeddedBroker;
import io.wattproof.simulator.charging.ChargingScenario;
import io.wattproof.simulator.charging.OcmfDump;
import io.wattproof.simulator.fault.LinkProxy;
import io.wattproof.simulator.fault.SteppableClock;
import io.wattproof.simulator.fleet.SimulatedDevice;
import io.wattproof.simulator.ledger.IncludedTx;
import io.wattproof.simulator.ledger.LedgerNode;
import io.wattproof.simulator.ledger.TxResult;
import io.wattproof.simulator.ledger.app.AppSnapshot;
import io.wattproof.simulator.ledger.app.EnergyApplication;
import io.wattproof.simulator.ledger.app.Genesis;
import io.wattproof.simulator.ledger.app.OperatorTransactions;
import io.wattproof.simulator.ledger.chain.BlockLog;
import io.wattproof.simulator.ledger.chain.ChainDumper;
import io.wattproof.simulator.ledger.chain.ReferenceLedger;
import io.wattproof.simulator.ledger.chain.ReferenceLedgerConfig;
import io.wattproof.simulator.ledger.gateway.ByzantinePolicy;
import io.wattproof.simulator.ledger.gateway.Gateway;
import io.wattproof.simulator.ledger.gateway.GatewayConfig;
import io.wattproof.simulator.ledger.gateway.GatewayCounters;
import io.wattproof.simulator.ledger.gateway.ServedForgeries;
import io.wattproof.simulator.ledger.rpc.CometRpcNode;
import io.wattproof.simulator.ledger.rpc.CometRpcServer;
import io.wattproof.simulator.ledger.rpc.CometRpcSource;
import io.wattproof.simulator.load.ChargingLoad;
import io.wattproof.simulator.load.LoadProfile;
import io.wattproof.simulator.meter.VirtualMeter;
import io.wattproof.simulator.ota.OtaScenario;
import io.wattproof.simulator.verify.ChainPointFile;
import io.wattproof.simulator.verify.ReadingVerifier;
import io.wattproof.simulator.verify.ReceivingSide;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A whole lab on one machine: an embedded MQTT broker, N virtual SDM630 meters on Modbus TCP, one
 * agent per meter (each with its own key store, outbox and light store), a reference ledger of
 * Ed25519 validators running the energy application, and a gateway between the broker and the
 * ledger. The simulator is also the operator: it registers every device on the ledger before its
 * agent starts, and installs the ledger's latest block in each agent as its trust anchor, as a
 * technician's provisioning would. Everything talks over loopback sockets, exactly as on a board.
 *
 * <p>The run folder keeps everything a second run needs to continue: device keys and outboxes,
 * the operator key, and the ledger's block log, from which the ledger replays its chain.
 */
public final class Simulation implements AutoCloseable {
    /** The operator's key signs device registrations and the tariff; Ed25519 keeps them short. */
    private static final KeyAlgorithm OPERATOR_ALGORITHM = KeyAlgorithm.ED25519;
    private static final Duration REGISTRATION_TIMEOUT = Duration.ofSeconds(30);
    /** Registrations submitted before waiting for their block: well below the mempool's capacity. */
    private static final int REGISTRATION_BATCH = 2000;
    /** A simulated run lasts minutes: a trust anchor good for two weeks never expires in one. */
    private static final Duration TRUSTING_PERIOD = Duration.ofDays(14);

    private final SimulationConfig config;
    /** The embedded broker; null when the run uses an external one. */
    private EmbeddedBroker broker;
    /** Where agents, gateway and auditor connect: the embedded broker's or the external one's. */
    private String brokerUri;
    /** Every agent's confirmations, for {@code --bench}. */
    private final io.wattproof.simulator.bench.FleetBench bench = new io.wattproof.simulator.bench.FleetBench();
    private BlockLog blockLog;
    private EnergyApplication app;
    private ReferenceLedger ledger;
    private Gateway gateway;
    private CometRpcServer rpc;
    private CometRpcNode rpcNode;
    private DeviceKey operator;
    /** Checks and dumps every record that crosses the broker, independently of the ledger; only with a dump folder. */
    private ReceivingSide auditor;
    private final List<SimulatedDevice> devices = new ArrayList<>();
    /** One relay per device between its agent and the broker, so a device's link can be cut. */
    private final List<LinkProxy> links = new ArrayList<>();
    /** Each device's own wall clock, which a clock-jump fault steps; empty when the run's clock is scaled (docs/faults.md). */
    private final List<SteppableClock> deviceClocks = new ArrayList<>();
    private final Map<DeviceId, Long> sequenceAtStart = new LinkedHashMap<>();
    /** In the charging scenario, each pile's relay and what its meter measures; index as {@link #devices}. */
    private final List<PileHardware> pileHardware = new ArrayList<>();

    /** The supervisor's HPKE key: every session's personal data is sealed to it too. */
    private RecipientKeyPair supervisor;
    private ChargingScenario charging;
    private OtaScenario ota;

    /** A pile's virtual relay and the load its meter sees through it. */
    public record PileHardware(LoggingRelay relay, ChargingLoad load) {}
    private AppSnapshot.Totals totalsAtStart;
    /** The run's clock: the one given, or a {@link ScaledClock} when the run is compressed or continues a faster one. */
    private Clock clock;

    private Simulation(SimulationConfig config) {
        this.config = config;
    }

    /**
     * Starts broker, ledger, gateway, meters and agents. On failure, stops what was started. A run
     * faster than real time, or one continuing a chain whose blocks lie ahead of {@code clock}, runs
     * on a {@link ScaledClock} that starts where {@link TimeCompression#startAt} says; {@code clock}
     * then gives only that start ({@link #clock()}).
     */
    public static Simulation start(SimulationConfig config, Clock clock) throws Exception {
        Files.createDirectories(config.runFolder());
        Simulation sim = new Simulation(config);
        try {
            if (config.hosting().virtualThreads()) {
                // Before the first agent: the choice holds for the process (AgentThreads).
                io.wattproof.agent.AgentThreads.useVirtualThreads();
            }
            if (config.hosting().externalBroker().isPresent()) {
                sim.brokerUri = config.hosting().externalBroker().get();
            } else {
                sim.broker = EmbeddedBroker.start(config.runFolder().resolve("broker"), config.brokerPort());
                sim.brokerUri = sim.broker.uri();
            }
            sim.blockLog = BlockLog.open(config.runFolder().resolve("ledger").resolve("blocks.log"));
            sim.clock = sim.runClock(clock);
            sim.startLedger(sim.clock);
            sim.startDevices(sim.clock);
            return sim;
        } catch (Exception | Error e) {
            sim.close();
            throw e;
        }
    }

    /**
     * One clock for the ledger, the meters and the agents (docs/architecture.md, "Time compression
     * in the simulator"): headers carry the ledger's time and each agent's light client checks them
     * against its own.
     */
    private Clock runClock(Clock given) {
        Instant now = given.instant();
        List<BlockLog.LoggedBlock> logged = blockLog.blocks();
        Optional<Instant> last = logged.isEmpty() ? blockLog.genesis().map(BlockLog.Genesis::time)
                : Optional.of(logged.get(logged.size() - 1).time());
        Instant start = TimeCompression.startAt(now, last);
        if (config.timeCompression().isRealTime() && start.equals(now)) {
            return given;
        }
        return ScaledClock.startingAt(start, config.speed());
    }

    /** The clock the run's ledger, meters and agents read: simulated time. */
    public Clock clock() {
        return clock;
    }

    private void startLedger(Clock clock) throws Exception {
        Path keys = config.runFolder().resolve("operator");
        Files.createDirectories(keys);
        Path secret = keys.resolve("secret");
        SoftwareKeyStore.createSecret(secret);
        operator = Files.exists(keys.resolve(SoftwareKeyStore.PRIVATE_KEY_FILE))
                ? SoftwareKeyStore.open(keys, secret)
                : SoftwareKeyStore.create(keys, OPERATOR_ALGORITHM, secret);
        app = new EnergyApplication(new Genesis(config.chainId(),
                List.of(new Genesis.OperatorKey(operator.algorithm(), operator.publicKeyInfo())),
                Optional.of(defaultTariff())));

        LedgerSetup settings = config.ledger();
        long seed = blockLog.genesis().map(BlockLog.Genesis::seed).orElseGet(() -> new SecureRandom().nextLong());
        ReferenceLedgerConfig ledgerConfig = ReferenceLedgerConfig.builder().chainId(config.chainId())
                .validators(settings.validators()).blockInterval(settings.blockInterval())
                .valsetChangeEvery(settings.valsetChangeEvery()).seed(seed).clock(clock).build();
        ledger = ReferenceLedger.open(ledgerConfig, app, blockLog);
        if (ledger.latestHeight() == 0) {
            // Block 1 exists before any agent starts: it is the trust anchor the agents are given.
            ledger.produceBlock();
        }
        totalsAtStart = app.snapshot().totals();
        ledger.start();
        GatewayConfig.Builder gatewayConfig = GatewayConfig.builder(brokerUri).clientId("wattproof-gateway-" + ProcessHandle.current().pid());
        if (settings.byzantineGateway()) {
            gatewayConfig.byzantine(ByzantinePolicy.lying(seed, BYZANTINE_RATE));
        }
        LedgerNode node = ledger;
        if (settings.servesRpc()) {
            rpc = CometRpcServer.start(new CometRpcSource(ledger), Math.max(0, settings.rpcPort()));
            if (settings.gatewayViaRpc()) {
                // The gateway as it would run against a CometBFT network: only the node it is given changes.
                rpcNode = CometRpcNode.connect(rpc.uri(), config.chainId(), Duration.ofSeconds(5), settings.blockInterval());
                node = rpcNode;
            }
        }
        gateway = Gateway.start(gatewayConfig.build(), node);
        if (config.dumpFolder() != null) {
            auditor = ReceivingSide.start(brokerUri, config.chainId(), config.dumpFolder());
        }
    }

    /** How often a byzantine gateway lies: about one answer in ten. */
    static final double BYZANTINE_RATE = 0.1;

    /**
     * The tariff the simulated market runs under: P2P at 0.20, grid import at 0.30 and feed-in at
     * 0.08 per kWh (micro-units), no per-account cap; an interval is settled two intervals after it
     * ends, so readings delayed by a block or a reconnect still count.
     */
    private TariffContract defaultTariff() {
        long delay = config.timeCompression().settlementDelaySeconds(config.interval(), config.ledger().blockInterval());
        return TariffContract.newBuilder().setContractId("simulated-market").setValidFrom(0).setValidUntil(0)
                .setP2PPrice(200_000).setGridImportPrice(300_000).setGridExportPrice(80_000)
                .setSettlementDelaySeconds((int) Math.min(Integer.MAX_VALUE, delay)).build();
    }

    private Path chainPointFile() {
        return config.runFolder().resolve("receiver-chains.properties");
    }

    private void startDevices(Clock clock) throws Exception {
        Map<DeviceId, ReadingVerifier.ChainPoint> settled = ChainPointFile.load(chainPointFile());
        SplittableRandom random = new SplittableRandom(20261127L);
        for (int i = 1; i <= config.meters(); i++) {
            VirtualMeter meter;
            if (config.charging().isPresent()) {
                // A pile's meter measures what its relay lets through to the plugged-in car.
                LoggingRelay relay = new LoggingRelay(clock);
                ChargingLoad load = new ChargingLoad(2000L + i, relay::isClosed);
                meter = VirtualMeter.start(String.format("PILE%05d", i), load, config.zone(), 500 + 5000 * random.nextDouble(), clock);
                pileHardware.add(new PileHardware(relay, load));
            } else {
                // Every third household has PV, so the fleet both imports and exports around noon.
                boolean pv = i % 3 == 0;
                LoadProfile profile = LoadProfile.household(1000L + i, pv, pv ? 4000 + 2000 * random.nextDouble() : 0);
                String serial = String.format("SIM%06d", i);
                double initialKwh = 1000 + 20000 * random.nextDouble();
                meter = config.hosting().inProcessMeters() ? VirtualMeter.startInProcess(serial, profile, config.zone(), initialKwh, clock)
                        : VirtualMeter.start(serial, profile, config.zone(), initialKwh, clock);
            }
            if (i == 1 && config.meterSerial().isPresent()) {
                try {
                    meter.serveSerial(config.meterSerial().get());
                } catch (Exception e) {
                    meter.close();
                    throw e;
                }
            }
            Path folder = config.runFolder().resolve("devices").resolve(String.format("meter-%03d", i));
            AgentConfig.Builder agentConfig = SimulatedDevice.configFor(folder).chainId(config.chainId()).interval(config.interval());
            if (!config.timeCompression().isRealTime()) {
                TimeCompression compression = config.timeCompression();
                agentConfig.samplePeriod(compression.samplePeriod(config.interval())).maxLateness(compression.maxLateness(config.interval()));
            }
            String deviceBroker = brokerUri;
            if (config.hosting().linkProxies()) {
                LinkProxy link = LinkProxy.start(broker != null ? new InetSocketAddress(InetAddress.getLoopbackAddress(), broker.port())
                        : new InetSocketAddress(FleetHosting.host(brokerUri), FleetHosting.port(brokerUri)));
                links.add(link);
                deviceBroker = link.uri();
            }
            SimulatedDevice device;
            try {
                device = new SimulatedDevice(folder, config.keyAlgorithm(), meter, agentConfig, deviceBroker, deviceClock(clock),
                        config.hosting().lightKeyStores());
            } catch (Exception e) {
                meter.close();
                throw e;
            }
            devices.add(device);
            if (config.charging().isPresent()) {
                device.makePile(pileParts(i, pileHardware.get(pileHardware.size() - 1).relay()));
            }
            if (auditor != null) {
                auditor.register(device.key().deviceId(), device.key().algorithm(), device.key().publicKeyInfo());
                ReadingVerifier.ChainPoint point = settled.get(device.key().deviceId());
                if (point != null) {
                    auditor.resume(device.key().deviceId(), point);
                }
            }
        }
        if (config.ota().isPresent()) {
            ota = OtaScenario.prepare(config.ota().get(), config.runFolder(), config.interval(), clock.instant());
            for (SimulatedDevice device : devices) {
                device.makeUpdatable(ota.deviceParts());
            }
        }
        register(devices);
        TrustAnchor anchor = new TrustAnchor("simulated ledger " + config.chainId(), config.chainId(), TRUSTING_PERIOD,
                ledger.lightBlock(ledger.latestHeight()).orElseThrow());
        LedgerSettings agentLedger = LedgerSettings.of(anchor)
                .withReceiptTimeout(config.timeCompression().receiptTimeout(config.ledger().receiptTimeout()))
                .withRequestTimeout(Duration.ofSeconds(5)).withPruneThreshold(16);
        for (SimulatedDevice device : devices) {
            device.confirmations(bench);
            device.startAgent(agentLedger);
            sequenceAtStart.put(device.key().deviceId(), device.status().lastSequence());
        }
        if (config.charging().isPresent()) {
            startCharging(clock);
        }
        if (ota != null) {
            // The fleet meters for two intervals (at least 2 s) before the release is announced.
            Duration after = config.interval().multipliedBy(2).compareTo(Duration.ofSeconds(2)) < 0 ? Duration.ofSeconds(2)
                    : config.interval().multipliedBy(2);
            ota.start(devices, brokerUri, io.wattproof.agent.uplink.MqttUplinkConfig.DEFAULT_TOPIC_PREFIX, after, clock);
        }
    }

    /**
     * The charging scenario: the operator funds every car owner's account, then each pile offers
     * itself and the cars start booking (docs/charging.md).
     */
    private void startCharging(Clock clock) throws Exception {
        SimulationConfig.ChargingSetup setup = config.charging().orElseThrow();
        List<CarOwnerStore> cars = new ArrayList<>();
        for (int i = 0; i < setup.cars(); i++) {
            cars.add(ChargingScenario.carStore(config.runFolder(), i));
        }
        fund(ChargingScenario.accounts(cars), ChargingScenario.CAR_CREDIT);
        List<ChargingScenario.Pile> piles = new ArrayList<>();
        for (int i = 0; i < devices.size(); i++) {
            SimulatedDevice d = devices.get(i);
            PileHardware hw = pileHardware.get(i);
            piles.add(new ChargingScenario.Pile(d.key().deviceId(), d.pile().orElseThrow(), hw.relay(), hw.load()));
        }
        charging = ChargingScenario.start(piles, cars, setup, config.duration(), brokerUri, config.chainId(), clock, app);
    }

    /**
     * What makes device {@code i} (1-based) a pile: an owner with a contact, a salt and an HPKE key,
     * the pile's own HPKE key, and the supervisor's key, which the simulator holds.
     */
    private SimulatedDevice.PileParts pileParts(int i, LoggingRelay relay) {
        SecureRandom random = new SecureRandom();
        Suite suite = Suite.X25519_AES_128_GCM;
        if (supervisor == null) {
            supervisor = RecipientKeyPair.generate(suite.kem(), random);
        }
        RecipientKeyPair pileKey = RecipientKeyPair.generate(suite.kem(), random);
        RecipientKeyPair ownerKey = RecipientKeyPair.generate(suite.kem(), random);
        byte[] contact = String.format("Pile owner %03d <owner%03d@example.org>", i, i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        PartyPseudonyms.Commitment owner = PartyPseudonyms.commit(contact, random);
        SessionSealer sealer = new SessionSealer(suite, pileKey, ownerKey.publicKey(), supervisor.publicKey(), contact, owner.salt(),
                random);
        return new SimulatedDevice.PileParts(relay, sealer, pileKey, owner.pseudonym());
    }

    /** The operator credits {@code amount} to each account and waits for the block. */
    private void fund(List<String> accounts, long amount) throws Exception {
        long nonce = app.snapshot().operatorNonce(operatorId());
        List<byte[]> pending = new ArrayList<>();
        for (String account : accounts) {
            byte[] tx = OperatorTransactions.accountCredit(config.chainId(), operator, ++nonce, account, amount);
            TxResult r = ledger.submit(tx);
            if (!r.isOk()) {
                throw new IllegalStateException("crediting " + account + " was refused: code " + r.code() + " " + r.log());
            }
            pending.add(tx);
        }
        awaitIncluded(pending, "account credits");
    }

    /**
     * The operator registers every device the ledger does not know yet (board, location and a
     * settlement account per household) and waits until the registrations are in a block, so that
     * no agent's first record finds its device unknown.
     */
    private void register(List<SimulatedDevice> fleet) throws Exception {
        AppSnapshot state = app.snapshot();
        long nonce = state.operatorNonce(operatorId());
        List<byte[]> pending = new ArrayList<>();
        for (int i = 0; i < fleet.size(); i++) {
            DeviceKey key = fleet.get(i).key();
            if (state.isRegistered(key.deviceId())) {
                continue;
            }
            byte[] tx = OperatorTransactions.register(config.chainId(), operator, ++nonce, key.algorithm(), key.publicKeyInfo(),
                    "simulated-sdm630", String.format("simulated %s %03d", kind(), i + 1), String.format("%s-%03d", kind(), i + 1));
            TxResult r = ledger.submit(tx);
            if (!r.isOk()) {
                throw new IllegalStateException("registering device " + key.deviceId() + " was refused: code " + r.code() + " " + r.log());
            }
            pending.add(tx);
            if (pending.size() == REGISTRATION_BATCH) {
                // A fleet larger than the mempool (CometBFT's mempool.size, 5000) registers in batches.
                awaitIncluded(pending, "device registrations");
                pending.clear();
            }
        }
        awaitIncluded(pending, "device registrations");
    }

    /** Waits until every one of the operator's {@code pending} transactions is accepted in a block. */
    private void awaitIncluded(List<byte[]> pending, String what) throws InterruptedException {
        long deadline = System.nanoTime() + REGISTRATION_TIMEOUT.toNanos();
        for (byte[] tx : pending) {
            Optional<IncludedTx> included;
            while ((included = ledger.findTx(io.wattproof.lightclient.tx.TxInclusion.txHash(Bytes.of(tx)).toArray())).isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(what + " not in a block after " + REGISTRATION_TIMEOUT.toSeconds() + " s");
                }
                Thread.sleep(20);
            }
            if (!included.get().result().isOk()) {
                throw new IllegalStateException(what + ": one refused in block " + included.get().height() + ": "
                        + included.get().result().log());
            }
        }
    }

    private String kind() {
        return config.charging().isPresent() ? "pile" : "household";
    }

    private DeviceId operatorId() {
        return DeviceId.fromPublicKeyInfo(operator.publicKeyInfo());
    }

    /**
     * The clock an agent reads: a {@link SteppableClock} over the run's clock at real time, so a
     * fault can step it; the run's clock itself when compressed, since the agent scales its own
     * bounds only on a {@link ScaledClock} (docs/architecture.md, "Time compression in the simulator").
     */
    private Clock deviceClock(Clock clock) {
        if (clock instanceof ScaledClock) {
            return clock;
        }
        SteppableClock c = new SteppableClock(clock);
        deviceClocks.add(c);
        return c;
    }

    /**
     * Steps the wall clock of device {@code index} (0-based) by {@code by}.
     *
     * @throws IllegalStateException when the run's clock is compressed (its agents' clocks cannot be stepped)
     */
    public void stepClock(int index, Duration by) {
        if (deviceClocks.size() != devices.size()) {
            throw new IllegalStateException("clock-jump: expected a run at real time (--speed 1), the agents' clocks cannot be "
                    + "stepped on a compressed clock");
        }
        deviceClocks.get(index).step(by);
    }

    /**
     * Stops the broker and, after {@code down}, starts it again on the same port, as a broker host
     * restarting: every connection drops and, its persistence being in memory, every session and
     * retained message is gone. Blocks until the broker is back.
     */
    public synchronized void restartBroker(Duration down) throws IOException, InterruptedException {
        if (broker == null) {
            throw new IllegalStateException("broker-restart: expected the embedded broker, but this run uses " + brokerUri);
        }
        int port = broker.port();
        broker.close();
        Thread.sleep(down.toMillis());
        broker = EmbeddedBroker.start(config.runFolder().resolve("broker"), port);
    }

    /** From now on the gateway lies as {@code policy} says ({@link ByzantinePolicy#honest()}: never). */
    public void setByzantine(ByzantinePolicy policy) {
        gateway.setByzantine(policy);
    }

    public SimulationConfig config() {
        return config;
    }

    /** Cuts the link between device {@code index} (0-based) and the broker; it keeps metering. */
    public void cutLink(int index) {
        link(index).cut();
    }

    public void restoreLink(int index) {
        link(index).restore();
    }

    private LinkProxy link(int index) {
        if (!config.hosting().linkProxies()) {
            throw new IllegalStateException("links cannot be cut: this run connects its devices to the broker without link proxies");
        }
        return links.get(index);
    }

    /** Every agent's confirmations, timed from interval end ({@code --bench}). */
    public io.wattproof.simulator.bench.FleetBench bench() {
        return bench;
    }

    public List<SimulatedDevice> devices() {
        return List.copyOf(devices);
    }

    public String brokerUri() {
        return brokerUri;
    }

    public ReferenceLedger ledger() {
        return ledger;
    }

    public EnergyApplication application() {
        return app;
    }

    /** The ledger's CometBFT RPC address, when it is served. */
    public Optional<java.net.URI> rpcUri() {
        return rpc == null ? Optional.empty() : Optional.of(rpc.uri());
    }

    public GatewayCounters gatewayCounters() {
        return gateway.counters();
    }

    /** Records signed by the agents since this run started. */
    public long readings() {
        long n = 0;
        for (SimulatedDevice d : devices) {
            n += d.status().lastSequence() - sequenceAtStart.get(d.key().deviceId());
        }
        return n;
    }

    /** Records whose inclusion the agents verified themselves during this run. */
    public long confirmed() {
        return devices.stream().mapToLong(SimulatedDevice::confirmed).sum();
    }

    public long forgeriesDetected() {
        return devices.stream().mapToLong(SimulatedDevice::forgeriesDetected).sum();
    }

    /** The lies the gateway told this run, to whom and when (none unless it was byzantine at some point). */
    public List<ServedForgeries.Served> forgeriesServed() {
        return gateway.forgeriesServed();
    }

    public int outboxDepth() {
        int n = 0;
        for (SimulatedDevice d : devices) {
            AgentStatus s = d.status();
            n += s == null ? 0 : s.outboxDepth() + s.unconfirmed();
        }
        return n;
    }

    /** Readings the ledger accepted during this run. */
    public long verified() {
        return app.snapshot().totals().readingsAccepted() - totalsAtStart.readingsAccepted();
    }

    /**
     * Transactions refused during this run: by CheckTx at the gateway, or in a block. A
     * re-submission of a transaction already in a block (RESULT_ALREADY_INCLUDED, answered with the
     * original receipt) is not a refusal.
     */
    public long rejected() {
        long inBlocks = sum(app.snapshot().totals().refusedByCode()) - sum(totalsAtStart.refusedByCode());
        Map<Integer, Long> atGateway = new java.util.HashMap<>(gateway.counters().refusedByCode());
        atGateway.remove(TxResultCode.RESULT_ALREADY_INCLUDED_VALUE);
        return inBlocks + sum(atGateway);
    }


    private static long sum(Map<Integer, Long> byCode) {
        return byCode.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Sequences an agent signed that the ledger does not hold: not arrived, or an open gap. */
    public long gaps() {
        AppSnapshot state = app.snapshot();
        long missing = 0;
        for (SimulatedDevice d : devices) {
            long signed = d.status().lastSequence();
            Optional<AppSnapshot.DeviceView> view = state.device(d.key().deviceId());
            long head = view.map(AppSnapshot.DeviceView::headSequence).orElse(0L);
            missing += Math.max(0, signed - head) + view.map(AppSnapshot.DeviceView::missing).orElse(0L);
        }
        return missing;
    }

    /** One line of progress for the console. */
    public String progressLine(Duration elapsed) {
        return String.format("[%4ds] meters=%d readings=%d verified=%d rejected=%d confirmed=%d height=%d outbox=%d%s",
                elapsed.toSeconds(), devices.size(), readings(), verified(), rejected(), confirmed(), ledger.latestHeight(),
                outboxDepth(), config.ledger().byzantineGateway() ? " forgeries_detected=" + forgeriesDetected() : "")
                + (charging == null ? "" : charging.progress()) + (ota == null ? "" : ota.progress());
    }

    /**
     * Stops metering and waits, at most {@code drainTimeout}, until every agent holds a verified
     * receipt for every record it signed; then counts.
     */
    public SimulationResult finish(Duration drainTimeout) throws InterruptedException {
        if (charging != null) {
            // The cars' sessions end before the run does; a pile needs its meter until its last one has.
            charging.awaitCars(System.nanoTime() + drainTimeout.toNanos());
        }
        if (ota != null) {
            // Every device reaches its outcome (committed, or rolled back and signing again) before metering stops.
            ota.awaitOutcome(System.nanoTime() + drainTimeout.toNanos());
        }
        devices.forEach(SimulatedDevice::stopMetering);
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        for (SimulatedDevice d : devices) {
            d.awaitFinal(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        gateway.awaitIdle(1000);
        awaitQuiet(deadline);
        if (auditor != null) {
            auditor.awaitChained(lastSequences(), Math.max(1000, (deadline - System.nanoTime()) / 1_000_000));
            auditor.awaitIdle(1000);
        }
        Optional<SimulationResult.ChargingCounts> counts = Optional.empty();
        if (charging != null) {
            counts = Optional.of(charging.counts(deadline));
        }
        Optional<SimulationResult.OtaCounts> otaCounts = Optional.empty();
        if (ota != null) {
            OtaScenario.Counts c = ota.counts();
            otaCounts = Optional.of(new SimulationResult.OtaCounts(ota.kind() == OtaScenario.Kind.BAD_HEALTH, c.release(), c.updated(),
                    c.rolledBack(), c.signingAfterRollback()));
        }
        GatewayCounters g = gateway.counters();
        return new SimulationResult(devices.size(), readings(), verified(), rejected(), gaps(), confirmed(), ledger.latestHeight(),
                forgeriesDetected(), g.forgedHeadersServed() + g.badProofsServed(), g.receiptsWithheld(), counts, otaCounts);
    }

    /**
     * Receipts still being checked when the last record became final (a forged one waiting beside
     * the honest one for the same header, a late answer to a re-submission) are counted a moment
     * later: waits until the gateway's lies and the agents' detections have not changed for two
     * follower checks, or the deadline.
     */
    private void awaitQuiet(long deadline) throws InterruptedException {
        long[] last = null;
        while (System.nanoTime() < deadline) {
            GatewayCounters g = gateway.counters();
            long[] now = {g.forgedHeadersServed() + g.badProofsServed(), forgeriesDetected(), confirmed()};
            if (last != null && java.util.Arrays.equals(last, now)) {
                return;
            }
            last = now;
            Thread.sleep(2000);
        }
    }

    public Map<DeviceId, Long> lastSequences() {
        Map<DeviceId, Long> last = new LinkedHashMap<>();
        for (SimulatedDevice d : devices) {
            last.put(d.key().deviceId(), d.status().lastSequence());
        }
        return last;
    }

    /**
     * Writes the chain in CometBFT JSON-RPC shapes to {@code dump/chain}: genesis, and per height
     * the commit and the validator set, so {@code bin/light-client verify-chain --dir dump} can
     * verify the whole run independently.
     */
    public long dumpChain(Path dump) throws IOException {
        return ChainDumper.write(ledger, dump);
    }

    /**
     * Writes every charging session of the ledger as OCMF to {@code dump/ocmf} with each pile's
     * public key (docs/ocmf.md); 0 outside the charging scenario.
     */
    public int dumpOcmf(Path dump) throws Exception {
        if (charging == null) {
            return 0;
        }
        Map<DeviceId, OcmfDump.PileKey> keys = new LinkedHashMap<>();
        for (SimulatedDevice d : devices) {
            keys.put(d.key().deviceId(), new OcmfDump.PileKey(d.key(), d.meterSerial()));
        }
        return OcmfDump.write(ledger, keys, dump);
    }

    /** One line per car of the charging scenario; empty otherwise. */
    public List<String> chargingOutcomes() {
        return charging == null ? List.of() : charging.outcomeLines();
    }

    @Override
    public void close() {
        if (charging != null) {
            charging.close();
        }
        if (ota != null) {
            ota.close();
        }
        // At once: each agent's MQTT disconnect waits for the broker's answer, which for thousands
        // of devices one after the other takes minutes.
        try (java.util.concurrent.ExecutorService closing = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (SimulatedDevice d : devices) {
                closing.execute(d::close);
            }
        }
        if (auditor != null) {
            Map<DeviceId, ReadingVerifier.ChainPoint> heads = new LinkedHashMap<>();
            for (SimulatedDevice d : devices) {
                auditor.chainPoint(d.key().deviceId()).ifPresent(p -> heads.put(d.key().deviceId(), p));
            }
            try {
                ChainPointFile.save(chainPointFile(), heads);
            } catch (IOException e) {
                System.err.println("warning: could not save the auditor's chain heads: " + e.getMessage());
            }
            auditor.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (rpcNode != null) {
            rpcNode.close();
        }
        if (rpc != null) {
            rpc.close();
        }
        if (ledger != null) {
            ledger.close();
        }
        if (blockLog != null) {
            try {
                blockLog.close();
            } catch (IOException e) {
                System.err.println("warning: closing the block log failed: " + e.getMessage());
            }
        }
        links.forEach(LinkProxy::close);
        if (operator != null) {
            try {
                operator.close();
            } catch (Exception e) {
                // Nothing is pending on a software key.
            }
        }
        if (broker != null) {
            broker.close();
        }
    }
}
