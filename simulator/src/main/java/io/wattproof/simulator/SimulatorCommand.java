package io.wattproof.simulator;

import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.modbus.transport.SerialLineConfig;
import io.wattproof.simulator.dashboard.DashboardServer;
import io.wattproof.simulator.dashboard.SimulationFleet;
import io.wattproof.simulator.fault.Durations;
import io.wattproof.simulator.meter.VirtualMeter;
import io.wattproof.simulator.ota.OtaScenario;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/simulate}: runs a fleet of virtual meters and agents and checks every record. */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        versionProvider = SimulatorCommand.Version.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Runs virtual SDM630 meters (Modbus TCP), one meter agent per meter, an embedded MQTT 5 broker, a gateway",
            "and a reference ledger (CometBFT-format blocks signed by Ed25519 validators) running the energy application.",
            "Every agent follows the ledger as a light client and forgets a record only once it has verified the",
            "record's inclusion proof itself. Prints one progress line per second and ends with",
            "  summary: meters=N readings=R verified=V rejected=X gaps=G confirmed=C height=H forgeries_detected=F",
            "Exit status: 0 when rejected=0, gaps=0, confirmed >= 90%% of readings and every forgery served was detected;",
            "1 otherwise; 2 on bad arguments.",
            "While it runs, a live dashboard is served at http://127.0.0.1:8080 (--http-port, --no-dashboard; docs/dashboard.md).",
            "",
            "--scenario charging runs charging piles instead of households: each pile offers itself on the ledger, virtual",
            "cars book, start, charge and stop, and the summary adds sessions=S settled=T disputes=D relay_violations=V;",
            "it passes when every session settled, no booking is left open, nothing is disputed and no relay closed",
            "without a verified booking. With --dump, every session is also written as OCMF: DIR/ocmf/<sessionId>.ocmf",
            "and the pile's key as DIR/ocmf/<pileDeviceId>.pem.",
            "",
            "--scenario ota ships a signed release to the fleet once it meters: every device verifies the announcement, fetches",
            "the image in chunks, installs it to its second slot, restarts into it and commits it after a passing health",
            "check; the summary adds updated=U rolled_back=B and passes when every device updated. --scenario ota-bad-health",
            "ships a release that cannot read the meter: it passes when every device rolled back and signs readings again",
            "(docs/ota.md, \"Simulator\").",
            "",
            "--speed K runs the lab's clock K times faster: agents, meters and the ledger's block times all read one clock,",
            "so --interval 15m --speed 300 --duration 1d meters a simulated day of 15-minute intervals in under 5 minutes.",
            "--interval and --duration are simulated time; --block-interval, --receipt-timeout and --drain-timeout stay real",
            "time (docs/architecture.md, \"Time compression in the simulator\"). The metering scenario only.",
            "",
            "Fleets of thousands: --lightweight-devices hosts each device without a link proxy and a Modbus TCP slave of its own,",
            "on virtual threads; --broker tcp://HOST:PORT uses an outside broker (Mosquitto) instead of the embedded one; --bench",
            "ends with a line of readings/s sustained, p50/p99 from interval end to verified confirmation and memory per meter",
            "(docs/benchmarks.md, \"Simulator: fleet scale\")."
        })
public final class SimulatorCommand implements Callable<Integer> {

    @Option(names = "--meters", paramLabel = "N", description = "number of meters and agents, 1..10000 (default: ${DEFAULT-VALUE})")
    int meters = 3;

    @Option(names = "--interval", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "metering interval, e.g. 1s, 15m (default: 1s)")
    Duration interval = Duration.ofSeconds(1);

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "how long the meters are read, e.g. 20s, 5m (default: 20s)")
    Duration duration = Duration.ofSeconds(20);

    @Option(names = "--key-alg", paramLabel = "ALG", converter = KeyAlgorithmConverter.class,
            description = "algorithm of new device keys: p256, ed25519 or sm2 (default: p256)")
    KeyAlgorithm keyAlgorithm = KeyAlgorithm.ECDSA_P256_SHA256;

    @Option(names = "--dump", paramLabel = "DIR",
            description = "write every verified record as DIR/<deviceId>/<seq>.signbytes and .sig, and public.pem per device; "
                    + "and the chain as DIR/chain/genesis.json, commit_<height>.json, validators_<height>.json")
    Path dump;

    @Option(names = "--data", paramLabel = "DIR",
            description = "run folder for key stores, outboxes and broker files; reused if it exists (default: a new temporary folder)")
    Path data;

    @Option(names = "--chain-id", paramLabel = "ID", description = "chain id records are signed for (default: ${DEFAULT-VALUE})")
    String chainId = "wattproof-sim";

    @Option(names = "--broker-port", paramLabel = "PORT", description = "MQTT port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE})")
    int brokerPort = 0;

    @Option(names = "--meter-serial", paramLabel = "PORT",
            description = "also serve meter 1 as Modbus RTU unit 1 on this serial port (an RS-485 adapter, or a socat pty), "
                    + "for outside masters such as mbpoll or an agent on a board")
    String meterSerial;

    @Option(names = "--meter-serial-line", paramLabel = "SETTINGS",
            description = "baud rate and character format of --meter-serial (default: ${DEFAULT-VALUE})")
    String meterSerialLine = "9600 8N1";

    @Option(names = "--validators", paramLabel = "N", description = "validators of the reference ledger (default: ${DEFAULT-VALUE})")
    int validators = 4;

    @Option(names = "--block-interval", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "time between blocks (default: 1s)")
    Duration blockInterval = Duration.ofSeconds(1);

    @Option(names = "--valset-change-every", paramLabel = "H",
            description = "change the validator set at every multiple of height H; 0 = never (default: ${DEFAULT-VALUE})")
    long valsetChangeEvery = 0;

    @Option(names = "--byzantine-gateway",
            description = "the gateway now and then serves a forged header or a bad proof, or withholds a receipt; "
                    + "every forgery must be detected and nothing lost")
    boolean byzantineGateway;

    @Option(names = "--receipt-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "how long an agent waits for a verified receipt before submitting a record again (default: 5s)")
    Duration receiptTimeout = Duration.ofSeconds(5);

    @Option(names = "--rpc-port", paramLabel = "PORT",
            description = "serve the ledger over CometBFT's JSON-RPC and WebSocket on 127.0.0.1:PORT (0: a free port), so "
                    + "CometBFT light clients can follow it")
    Integer rpcPort;

    @Option(names = "--gateway-via-rpc",
            description = "the gateway reaches the ledger over that RPC, as it would a CometBFT node, instead of in process")
    boolean gatewayViaRpc;

    @Option(names = "--scenario", paramLabel = "NAME",
            description = "metering (households), charging (piles and cars, docs/charging.md), ota or ota-bad-health (a signed "
                    + "release shipped to the fleet, docs/ota.md) (default: ${DEFAULT-VALUE})")
    String scenario = "metering";

    @Option(names = "--piles", paramLabel = "P", description = "charging piles in the charging scenario (default: ${DEFAULT-VALUE})")
    int piles = 3;

    @Option(names = "--cars", paramLabel = "C", description = "cars in the charging scenario (default: ${DEFAULT-VALUE})")
    int cars = 5;

    @Option(names = "--http-port", paramLabel = "PORT",
            description = "serve the live dashboard on http://127.0.0.1:PORT; 0 picks a free port (default: ${DEFAULT-VALUE}; "
                    + "docs/dashboard.md)")
    int httpPort = 8080;

    @Option(names = "--no-dashboard", description = "do not serve the dashboard")
    boolean noDashboard;

    @Option(names = "--speed", paramLabel = "K",
            description = "run the clock of agents, meters and ledger K times faster than real time, 1..10000; an interval must "
                    + "still last at least 100 ms in real time (default: ${DEFAULT-VALUE})")
    int speed = 1;

    @Option(names = "--broker", paramLabel = "URI",
            description = "use the MQTT 5 broker at tcp://HOST:PORT (e.g. Mosquitto) instead of the embedded one")
    String externalBroker;

    @Option(names = "--lightweight-devices",
            description = "host each device without a link proxy and without a Modbus TCP slave of its own (meters are read in "
                    + "process), its agent's jobs on virtual threads: for fleets of thousands")
    boolean lightweightDevices;

    @Option(names = "--bench",
            description = "measure from the third interval on and end with a line: readings/s sustained end to end, p50/p99 from "
                    + "interval end to the agent's verified confirmation, heap and RSS per meter, platform threads, CPU")
    boolean bench;

    @Option(names = "--drain-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "how long to wait at the end for every record to be confirmed (default: 30s)")
    Duration drainTimeout = Duration.ofSeconds(30);

    @Option(names = "--scenario-file", paramLabel = "FILE",
            description = "run a fault scenario (docs/faults.md): a YAML file, or builtin:NAME for a shipped one ("
                    + "broker-restart, partition, power-cut, clock-jump, garbage, valset-change, byzantine-gateway, several-faults); "
                    + "prints each fault as it is injected and each check as PASS or FAIL; exit 0 only if all pass. The fleet comes "
                    + "from the file; --data, --http-port, --no-dashboard and --drain-timeout apply")
    String scenarioFile;

    /** Intervals from the first boundary before {@code --bench} opens its window. */
    static final int BENCH_WARMUP_INTERVALS = 2;
    /** How long the end of a run waits for faults still ending (a broker restart in progress). */
    private static final Duration FAULTS_END_WAIT = Duration.ofSeconds(30);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final PrintStream out;

    SimulatorCommand(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        // Named explicitly: the HiveMQ jar ships a logback.xml of its own.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "io/wattproof/simulator/logback-simulator.xml");
        }
        System.exit(run(System.out, System.err, args));
    }

    static int run(PrintStream out, PrintStream err, String... args) {
        CommandLine cli = new CommandLine(new SimulatorCommand(out));
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            err.println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        // The running CommandLine (not a new one): its error stream is the one run() was given.
        CommandLine cli = spec.commandLine();
        if (scenarioFile != null) {
            return runScenarioFile(cli);
        }
        if (interval.toNanos() % 1_000_000_000L != 0 || interval.isZero() || interval.compareTo(Duration.ofDays(1)) > 0) {
            throw new CommandLine.ParameterException(cli, "--interval: expected a whole number of seconds from 1s to 24h, got "
                    + Durations.format(interval));
        }
        if (meters < 1 || meters > SimulationConfig.MAX_METERS) {
            throw new CommandLine.ParameterException(cli, "--meters: expected 1.." + SimulationConfig.MAX_METERS + ", got " + meters);
        }
        FleetHosting hosting = lightweightDevices ? FleetHosting.LARGE : FleetHosting.DEFAULT;
        if (externalBroker != null) {
            if (brokerPort != 0) {
                throw new CommandLine.ParameterException(cli, "--broker-port: expected none with --broker (it is the embedded broker's "
                        + "port), got " + brokerPort);
            }
            try {
                hosting = hosting.withExternalBroker(externalBroker);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cli, "--" + e.getMessage());
            }
        }
        // The first boundary may lie up to an interval away, then the warm-up, then at least one interval measured.
        int benchMinimum = BENCH_WARMUP_INTERVALS + 2;
        if (bench && duration.compareTo(interval.multipliedBy(benchMinimum)) < 0) {
            throw new CommandLine.ParameterException(cli, "--bench: expected a --duration of at least " + benchMinimum
                    + " intervals (" + Durations.format(interval.multipliedBy(benchMinimum)) + "), got " + Durations.format(duration));
        }
        if (bench && speed != 1) {
            throw new CommandLine.ParameterException(cli, "--bench: expected --speed 1 (latencies are real time), got " + speed);
        }
        if (duration.isZero() || duration.isNegative()) {
            throw new CommandLine.ParameterException(cli, "--duration: expected a positive duration, got " + Durations.format(duration));
        }
        if (brokerPort < 0 || brokerPort > 65535) {
            throw new CommandLine.ParameterException(cli, "--broker-port: expected 0..65535, got " + brokerPort);
        }
        if (validators < 1 || validators > 150) {
            throw new CommandLine.ParameterException(cli, "--validators: expected 1..150, got " + validators);
        }
        if (blockInterval.toMillis() < 10) {
            throw new CommandLine.ParameterException(cli, "--block-interval: expected at least 10ms, got "
                    + Durations.format(blockInterval));
        }
        if (valsetChangeEvery < 0) {
            throw new CommandLine.ParameterException(cli, "--valset-change-every: expected 0 (never) or a height, got "
                    + valsetChangeEvery);
        }
        if (receiptTimeout.isZero() || receiptTimeout.isNegative()) {
            throw new CommandLine.ParameterException(cli, "--receipt-timeout: expected a positive duration, got "
                    + Durations.format(receiptTimeout));
        }
        if (httpPort < 0 || httpPort > 65535) {
            throw new CommandLine.ParameterException(cli, "--http-port: expected 0..65535, got " + httpPort);
        }
        if (rpcPort != null && (rpcPort < 0 || rpcPort > 65535)) {
            throw new CommandLine.ParameterException(cli, "--rpc-port: expected 0..65535, got " + rpcPort);
        }
        if (speed < TimeCompression.MIN_SPEED || speed > TimeCompression.MAX_SPEED) {
            throw new CommandLine.ParameterException(cli, "--speed: expected " + TimeCompression.MIN_SPEED + ".." + TimeCompression.MAX_SPEED
                    + ", got " + speed);
        }
        TimeCompression compression = new TimeCompression(speed);
        Optional<String> tooFast = compression.intervalProblem(interval);
        if (tooFast.isPresent()) {
            throw new CommandLine.ParameterException(cli, "--speed: " + tooFast.get());
        }
        if (speed > 1 && !scenario.equals("metering")) {
            throw new CommandLine.ParameterException(cli, "--speed: expected 1 with --scenario " + scenario
                    + " (only the metering scenario runs compressed), got " + speed);
        }
        boolean charging = scenario.equals("charging");
        Optional<OtaScenario.Kind> ota = switch (scenario) {
            case "metering", "charging" -> Optional.empty();
            case "ota" -> Optional.of(OtaScenario.Kind.HEALTHY);
            case "ota-bad-health" -> Optional.of(OtaScenario.Kind.BAD_HEALTH);
            default -> throw new CommandLine.ParameterException(cli, "--scenario: expected metering, charging, ota or ota-bad-health, got "
                    + scenario);
        };
        if (charging && (piles < 1 || piles > 100)) {
            throw new CommandLine.ParameterException(cli, "--piles: expected 1..100, got " + piles);
        }
        if (charging && (cars < 1 || cars > 1000)) {
            throw new CommandLine.ParameterException(cli, "--cars: expected 1..1000, got " + cars);
        }
        if (charging && keyAlgorithm != KeyAlgorithm.ECDSA_P256_SHA256) {
            // OCMF signs with ECDSA-secp256r1-SHA256 only (docs/ocmf.md); a pile's key must be P-256.
            throw new CommandLine.ParameterException(cli, "--key-alg: expected p256 in the charging scenario (OCMF signs with "
                    + "ECDSA-secp256r1), got " + keyAlgorithm);
        }
        LedgerSetup ledger = new LedgerSetup(validators, blockInterval, valsetChangeEvery, byzantineGateway, receiptTimeout,
                rpcPort == null ? -1 : rpcPort, gatewayViaRpc);
        Optional<SerialLineConfig> serialLine = Optional.empty();
        if (meterSerial != null) {
            try {
                serialLine = Optional.of(SerialLineConfig.builder(meterSerial).lineSettings(meterSerialLine).build());
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cli, "--meter-serial-line: " + e.getMessage());
            }
        }
        Path runFolder = data != null ? data : Files.createTempDirectory("wattproof-sim-");
        SimulationConfig config = new SimulationConfig(charging ? piles : meters, interval, duration, keyAlgorithm, runFolder, dump, chainId, brokerPort,
                ZoneId.systemDefault(), serialLine, ledger);
        if (charging) {
            config = config.withCharging(new SimulationConfig.ChargingSetup(piles, cars));
        }
        if (ota.isPresent()) {
            config = config.withOta(ota.get());
        }
        if (speed > 1) {
            config = config.withSpeed(speed);
        }
        config = config.withHosting(hosting);
        out.printf("wattproof simulator: %s interval=%ds duration=%ds%s key=%s validators=%d block=%s%s%s run=%s%s%n",
                charging ? "scenario=charging piles=" + piles + " cars=" + cars
                        : (ota.isPresent() ? "scenario=" + scenario + " " : "") + "meters=" + meters,
                interval.toSeconds(), duration.toSeconds(),
                speed > 1 ? " speed=" + speed + " (duration " + formatReal(compression.real(duration)) + " real)" : "",
                keyAlgorithm, validators, Durations.format(blockInterval),
                valsetChangeEvery > 0 ? " valset-change-every=" + valsetChangeEvery : "", byzantineGateway ? " byzantine-gateway" : "",
                runFolder, dump != null ? " dump=" + dump : "");
        Clock clock = Clock.systemUTC();
        SimulationResult result;
        io.wattproof.simulator.bench.FleetBench.Report benchReport = null;
        try (Simulation sim = Simulation.start(config, clock);
                io.wattproof.simulator.fault.FaultInjector faults = new io.wattproof.simulator.fault.FaultInjector(sim, out::println);
                DashboardServer dashboard = noDashboard ? null
                        : DashboardServer.start(new SimulationFleet(sim, sim.clock()), httpPort, sim.clock(),
                                new io.wattproof.simulator.fault.InjectorControl(faults, sim.devices().size()))) {
            out.println("broker " + sim.brokerUri() + "; ledger " + sim.ledger().chainId() + " at height " + sim.ledger().latestHeight()
                    + "; agents start at the next interval boundary");
            if (dashboard != null) {
                out.println("dashboard at " + dashboard.uri().toString().replaceAll("/$", ""));
            }
            if (sim.clock() instanceof io.wattproof.agent.interval.ScaledClock scaled) {
                out.println("simulated time is " + scaled.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + " and runs "
                        + speed + " times faster than real time" + (speed == 1 ? " (continuing the block times of a faster run)" : ""));
            }
            sim.rpcUri().ifPresent(uri -> out.println("ledger RPC (CometBFT JSON-RPC and /websocket) at " + uri
                    + (gatewayViaRpc ? "; the gateway uses it" : "")));
            serialLine.ifPresent(line -> out.println("meter 1 also answers Modbus RTU unit " + VirtualMeter.UNIT_ID + " on "
                    + line.describe()));
            long start = System.nanoTime();
            // --duration is simulated time: at speed K it takes 1/K of it in real time.
            long end = start + compression.real(config.duration()).toNanos();
            // Agents start at the next boundary; their first interval and the next are the warm-up.
            java.time.Instant benchOpens = io.wattproof.agent.interval.IntervalSchedule.of(interval).nextBoundaryAfter(sim.clock().instant())
                    .plus(interval.multipliedBy(BENCH_WARMUP_INTERVALS));
            boolean benchOpen = false;
            long nextLine = start + 1_000_000_000L;
            while (System.nanoTime() < end) {
                Thread.sleep(Math.max(1, Math.min(end, nextLine) - System.nanoTime()) / 1_000_000 + 1);
                if (bench && !benchOpen && !sim.clock().instant().isBefore(benchOpens)) {
                    sim.bench().open(sim.clock().instant());
                    benchOpen = true;
                }
                if (System.nanoTime() >= nextLine) {
                    out.println(sim.progressLine(Duration.ofNanos(System.nanoTime() - start))
                            + (speed > 1 ? " simulated=" + sim.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) : ""));
                    nextLine += 1_000_000_000L;
                }
            }
            if (bench) {
                sim.bench().close(sim.clock().instant());
            }
            // Faults injected from the dashboard that would outlast the run end now, so what the
            // fleet signed meanwhile still reaches the ledger before the summary.
            faults.endNow();
            if (!faults.awaitEnded(System.nanoTime() + FAULTS_END_WAIT.toNanos())) {
                out.println("a fault injected from the dashboard is still ending; the summary may count its meters' records as unconfirmed");
            }
            out.println("metering stopped; waiting until every record is confirmed");
            result = sim.finish(drainTimeout);
            if (bench) {
                benchReport = sim.bench().report(config.meters(), interval);
            }
            out.println(sim.progressLine(Duration.ofNanos(System.nanoTime() - start)));
            sim.chargingOutcomes().forEach(out::println);
            if (dump != null) {
                if (charging) {
                    int sessions = sim.dumpOcmf(dump);
                    out.println("charging sessions exported as OCMF: " + sessions + " in " + dump.resolve("ocmf"));
                }
                long height = sim.dumpChain(dump);
                out.println("chain dumped: heights 1.." + height + " in " + dump.resolve("chain")
                        + "; check it with: bin/light-client verify-chain --dir " + dump);
            }
        }
        out.println(result.summaryLine());
        if (benchReport != null) {
            out.println(benchReport.line());
        }
        if (!result.passed()) {
            out.println("failed: " + result.failures());
        }
        return result.passed() ? 0 : 1;
    }

    /** {@code --scenario-file}: one fault scenario on a new lab (docs/faults.md). */
    private int runScenarioFile(CommandLine cli) throws Exception {
        io.wattproof.simulator.fault.Scenario scenario = switch (io.wattproof.simulator.fault.Scenarios.load(scenarioFile)) {
            case io.wattproof.simulator.fault.Parsed.Invalid<io.wattproof.simulator.fault.Scenario> bad ->
                    throw new CommandLine.ParameterException(cli, "--scenario-file: " + scenarioFile + " is not a valid scenario:\n"
                            + bad.message());
            case io.wattproof.simulator.fault.Parsed.Ok<io.wattproof.simulator.fault.Scenario> ok -> ok.value();
        };
        if (httpPort < 0 || httpPort > 65535) {
            throw new CommandLine.ParameterException(cli, "--http-port: expected 0..65535, got " + httpPort);
        }
        if (data != null && Files.exists(data) && !isEmptyFolder(data)) {
            // A scenario's checks count from a new chain; continuing an old one would mix in its history.
            throw new CommandLine.ParameterException(cli, "--data: expected a new or empty folder for a scenario, got " + data
                    + " which holds files");
        }
        Path runFolder = data != null ? data : Files.createTempDirectory("wattproof-scenario-");
        io.wattproof.simulator.fault.ScenarioRun.Report report = io.wattproof.simulator.fault.ScenarioRun.run(scenario, runFolder, out,
                noDashboard ? -1 : httpPort, drainTimeout);
        return report.passed() ? 0 : 1;
    }

    private static boolean isEmptyFolder(Path folder) throws java.io.IOException {
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (java.util.stream.Stream<Path> entries = Files.list(folder)) {
            return entries.findAny().isEmpty();
        }
    }

    /** Whole seconds as 24s, else to a tenth: 86.4s. */
    static String formatReal(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : String.format(java.util.Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }

    /** Accepts 500ms, 20s, 15m, 2h, 1d, or ISO-8601 (PT20S). */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        private static final Pattern SIMPLE = Pattern.compile("(\\d+)(ms|s|m|h|d)");

        @Override
        public Duration convert(String value) {
            Matcher m = SIMPLE.matcher(value.trim());
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
            try {
                return Duration.parse(value.trim());
            } catch (java.time.format.DateTimeParseException e) {
                throw new CommandLine.TypeConversionException(
                        "expected a duration like 20s, 15m, 1h or PT20S, got '" + value + "'");
            }
        }
    }

    static final class KeyAlgorithmConverter implements CommandLine.ITypeConverter<KeyAlgorithm> {
        @Override
        public KeyAlgorithm convert(String value) {
            try {
                return KeyAlgorithm.fromShortName(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"wattproof simulator " + io.wattproof.agent.RunningBuild.version()};
        }
    }
}
