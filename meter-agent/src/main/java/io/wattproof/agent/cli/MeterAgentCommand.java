package io.wattproof.agent.cli;

import io.wattproof.agent.AgentConfig;
import io.wattproof.agent.MeterAgent;
import io.wattproof.agent.meter.ModbusMeterSource;
import io.wattproof.agent.RunningBuild;
import io.wattproof.agent.config.DeviceConfig;
import io.wattproof.agent.telemetry.TelemetryPublisher;
import io.wattproof.agent.telemetry.TelemetrySettings;
import io.wattproof.agent.uplink.MqttUplink;
import io.wattproof.agent.uplink.MqttUplinkConfig;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.cert.CertificateFailure;
import io.wattproof.crypto.cert.Certificates;
import io.wattproof.crypto.cert.DeviceKeyManager;
import io.wattproof.crypto.soft.SoftwareKeyStore;
import io.wattproof.modbus.maps.MeterMap;
import io.wattproof.modbus.maps.MeterMapException;
import io.wattproof.modbus.maps.MeterMaps;
import io.wattproof.modbus.master.ModbusMaster;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/meter-agent}: the agent's command line. */
@Command(
        name = "meter-agent",
        mixinStandardHelpOptions = true,
        versionProvider = MeterAgentCommand.Version.class,
        description = "Wattproof meter agent: signs every metering interval with the device key and sends it over MQTT.",
        subcommands = {KeysCommand.class, CaCommand.class, MeterAgentCommand.Keygen.class, MeterAgentCommand.Run.class, ReadCommand.class,
                ModelsCommand.class, BoardsCommand.class, StatusCommand.class, ProvisionCommand.class, ChargeCommand.class,
                OtaCommand.class})
public final class MeterAgentCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "io/wattproof/agent/logback-agent.xml");
        }
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    static int run(PrintWriter out, PrintWriter err, String... args) {
        return new CommandLine(new MeterAgentCommand())
                .setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler((e, cli, parse) -> {
                    cli.getErr().println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
                    return 1;
                })
                .execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "keygen", mixinStandardHelpOptions = true,
            description = "Creates the device key in a software key store (never replaces an existing one) and prints the device id.")
    static final class Keygen implements Callable<Integer> {
        @CommandLine.Mixin
        KeyStoreOptionsMixin store;

        @Option(names = "--alg", paramLabel = "ALG", description = "p256 (default), ed25519 or sm2")
        String algorithm = "p256";

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            KeyAlgorithm alg;
            try {
                alg = KeyAlgorithm.fromShortName(algorithm);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--alg: " + e.getMessage());
            }
            SoftwareKeyStore.createSecret(store.secret);
            DeviceKey key = SoftwareKeyStore.create(store.keys, alg, store.secret);
            PrintWriter out = spec.commandLine().getOut();
            out.println("device id: " + key.deviceId().hex());
            out.println("algorithm: " + key.algorithm());
            out.println("public key: " + store.keys.resolve(SoftwareKeyStore.PUBLIC_KEY_FILE));
            return 0;
        }
    }

    /** Key store options, shared by the subcommands. */
    static final class KeyStoreOptionsMixin {
        @Option(names = "--keys", paramLabel = "DIR", required = true, description = "software key store folder")
        Path keys;

        @Option(names = "--secret", paramLabel = "FILE", required = true,
                description = "file holding the key store's encryption secret (mode 0600 or 0400)")
        Path secret;
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Reads a meter over Modbus RTU or TCP, signs each interval and sends it to an MQTT broker until stopped.",
                    "",
                    "As a service: run --config /etc/wattproof/agent.yaml (written by 'provision'; docs/daemon.md).",
                    "By hand: run --keys DIR --secret FILE --data DIR --serial PORT|--tcp HOST --mqtt URI [options]."})
    static final class Run implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "FILE",
                description = "the device configuration written by 'provision'; everything else comes from it and its board profile")
        Path config;

        @Option(names = "--keys", paramLabel = "DIR", description = "software key store folder")
        Path keys;

        @Option(names = "--secret", paramLabel = "FILE", description = "file holding the key store's encryption secret (mode 0600 or 0400)")
        Path secret;

        @Option(names = "--data", paramLabel = "DIR", description = "folder of the durable outbox")
        Path data;

        @CommandLine.Mixin
        MeterConnectionOptions connection;

        @Option(names = "--unit", paramLabel = "ID", description = "Modbus unit id of the meter (default: ${DEFAULT-VALUE})")
        int unit = 1;

        @Option(names = "--model", paramLabel = "NAME|FILE",
                description = "built-in register map (model name or alias, e.g. SDM630) or a map file path ending in .yaml "
                        + "(default: ${DEFAULT-VALUE}); see docs/meters.md")
        String model = "SDM630";

        @Option(names = "--mqtt", paramLabel = "URI",
                description = "broker, e.g. tcp://127.0.0.1:1883, or ssl://broker:8883 for mutual TLS (docs/mosquitto.md)")
        String mqtt;

        @Option(names = "--device-cert", paramLabel = "FILE",
                description = "ssl:// only: the device's certificate (PEM), e.g. from 'ca issue'; its key stays in the store")
        Path deviceCert;

        @Option(names = "--broker-ca", paramLabel = "FILE",
                description = "ssl:// only: the authority (PEM) the broker's certificate must chain to")
        Path brokerCa;

        @Option(names = "--interval", paramLabel = "SECONDS", description = "interval length in seconds (default: ${DEFAULT-VALUE})")
        long intervalSeconds = 900;

        @Option(names = "--chain-id", paramLabel = "ID", description = "chain id records are signed for (default: ${DEFAULT-VALUE})")
        String chainId = "wattproof-sim";

        @Option(names = "--meter-serial", paramLabel = "SERIAL", description = "meter serial recorded in each reading")
        String meterSerial = "unknown";

        @Option(names = "--clock-sync", paramLabel = "SOURCE",
                description = "where to learn whether the system clock is synchronised: auto (default), timedated, chrony, "
                        + "timesyncd, or assume-synchronised (records are never flagged CLOCK_UNSYNCED); see docs/architecture.md")
        String clockSync = "auto";

        @Option(names = "--no-telemetry",
                description = "publish no live values and no Home Assistant discovery (docs/telemetry.md)")
        boolean noTelemetry;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        /** With --config, the file is the one source: a second one on the command line would be ignored or win silently. */
        private void refuseWithConfig(CommandLine cli) {
            List<String> given = new java.util.ArrayList<>();
            for (CommandLine.Model.OptionSpec o : spec.options()) {
                String name = o.longestName();
                if (!name.equals("--config") && !name.equals("--help") && !name.equals("--version")
                        && cli.getParseResult().hasMatchedOption(o)) {
                    given.add(name);
                }
            }
            if (!given.isEmpty()) {
                throw new CommandLine.ParameterException(cli, "--config: the configuration file says everything; drop "
                        + String.join(", ", given) + " (or change them in " + config + ")");
            }
        }

        private MqttUplinkConfig uplinkConfig(DeviceKey key) throws CertificateFailure {
            return tls(spec.commandLine(), mqtt, key, deviceCert, brokerCa);
        }

        @Override
        public Integer call() throws Exception {
            CommandLine cli = spec.commandLine();
            if (config != null) {
                refuseWithConfig(cli);
                return RunConfigured.run(cli, config);
            }
            for (Object[] required : new Object[][] {{"--keys=DIR", keys}, {"--secret=FILE", secret}, {"--data=DIR", data},
                    {"--mqtt=URI", mqtt}}) {
                if (required[1] == null) {
                    throw new CommandLine.ParameterException(cli, "Missing required option: '" + required[0]
                            + "' (or run --config FILE)");
                }
            }
            MeterConnectionOptions.Target target = connection.target(spec);
            MeterConnectionOptions.checkUnit(spec, target, unit);
            MeterMap map;
            try {
                map = MeterMaps.resolve(model);
            } catch (MeterMapException e) {
                String message = e.getMessage().startsWith("--model") ? e.getMessage() : "--model: " + e.getMessage();
                throw new CommandLine.ParameterException(spec.commandLine(), message);
            }
            io.wattproof.agent.clock.ClockSyncSource clockSyncSource;
            try {
                clockSyncSource = io.wattproof.agent.clock.ClockSyncSources.named(clockSync, Clock.systemUTC());
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--clock-sync: " + e.getMessage());
            }
            DeviceKey key = SoftwareKeyStore.open(keys, secret);
            MqttUplinkConfig uplink = uplinkConfig(key); // checks the TLS options before the meter is opened
            AgentConfig config = AgentConfig.builder(data)
                    .chainId(chainId)
                    .interval(Duration.ofSeconds(intervalSeconds))
                    .meterSerial(meterSerial)
                    .build();
            ModbusMaster master = connection.open(target);
            MqttUplink mqttUplink = new MqttUplink(uplink);
            MeterAgent agent = MeterAgent.start(config, key, new ModbusMeterSource(master, unit, map),
                    mqttUplink, Clock.systemUTC(), io.wattproof.agent.record.QualityFlagSource.none(), clockSyncSource);
            // Without a configuration file there is no board or location: the meter model stands in.
            TelemetryPublisher telemetry = noTelemetry ? null : TelemetryPublisher.start(agent, mqttUplink,
                    TelemetrySettings.of(DeviceConfig.Telemetry.DEFAULT, Optional.empty(), model, data, config.samplePeriod()),
                    Clock.systemUTC());
            spec.commandLine().getOut().println("agent running: device " + key.deviceId().hex() + ", interval " + intervalSeconds
                    + " s, outbox " + data + "; stop with Ctrl-C");
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (telemetry != null) {
                    telemetry.close();
                }
                agent.close();
                stopped.countDown();
            }));
            stopped.await();
            return 0;
        }
    }

    /**
     * Plain TCP, or mutual TLS for an {@code ssl://} broker: the device certificate must hold the
     * device key's public half, and the broker's certificate must chain to {@code --broker-ca}.
     */
    static MqttUplinkConfig tls(CommandLine cli, String mqtt, DeviceKey key, Path deviceCert, Path brokerCa)
            throws CertificateFailure {
        MqttUplinkConfig plain = MqttUplinkConfig.of(mqtt, key.deviceId().hex());
        boolean ssl = mqtt.startsWith("ssl://");
        if (!ssl) {
            if (deviceCert != null || brokerCa != null) {
                throw new CommandLine.ParameterException(cli, "--device-cert and --broker-ca are for an ssl:// broker; --mqtt is " + mqtt);
            }
            return plain;
        }
        if (deviceCert == null || brokerCa == null) {
            throw new CommandLine.ParameterException(cli, "--mqtt " + mqtt + ": mutual TLS needs --device-cert and --broker-ca");
        }
        X509Certificate certificate = readCertificate(cli, "--device-cert", deviceCert);
        X509Certificate authority = readCertificate(cli, "--broker-ca", brokerCa);
        return plain.withDeviceTls(DeviceKeyManager.of(key, List.of(certificate)), List.of(authority));
    }

    private static X509Certificate readCertificate(CommandLine cli, String option, Path file) {
        try {
            return Certificates.fromPem(Files.readString(file));
        } catch (IOException | IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, option + " " + file + ": " + e.getMessage());
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"wattproof meter-agent " + RunningBuild.identity()};
        }
    }
}
