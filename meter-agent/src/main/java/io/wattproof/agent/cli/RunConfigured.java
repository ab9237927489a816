package io.wattproof.agent.cli;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.plugin.linuxfs.provider.gpio.digital.LinuxFsDigitalInputProvider;
import com.pi4j.plugin.linuxfs.provider.gpio.digital.LinuxFsDigitalOutputProvider;
import io.wattproof.agent.AgentConfig;
import io.wattproof.agent.MeterAgent;
import io.wattproof.agent.board.BoardProfile;
import io.wattproof.agent.board.BoardProfileException;
import io.wattproof.agent.board.BoardProfiles;
import io.wattproof.agent.charging.ChargingPile;
import io.wattproof.agent.charging.ChargingPiles;
import io.wattproof.agent.charging.OfferPolicy;
import io.wattproof.agent.charging.SealKeyFile;
import io.wattproof.agent.charging.SessionSealer;
import io.wattproof.agent.clock.ClockSyncSources;
import io.wattproof.agent.config.ConfigParseResult;
import io.wattproof.agent.config.ConfigProblem;
import io.wattproof.agent.config.DeviceConfig;
import io.wattproof.agent.config.DeviceConfigParser;
import io.wattproof.agent.daemon.AgentDaemon;
import io.wattproof.agent.daemon.StatusFile;
import io.wattproof.agent.daemon.SystemdNotify;
import io.wattproof.agent.gpio.GpioException;
import io.wattproof.agent.gpio.Pi4jRelay;
import io.wattproof.agent.gpio.Pi4jS0Input;
import io.wattproof.agent.gpio.Pi4jTamperInput;
import io.wattproof.agent.gpio.Pull;
import io.wattproof.agent.gpio.Relay;
import io.wattproof.agent.gpio.RelayConfig;
import io.wattproof.agent.gpio.S0InputConfig;
import io.wattproof.agent.gpio.ScheduledGpioTimer;
import io.wattproof.agent.gpio.StatusLed;
import io.wattproof.agent.gpio.TamperEventPublisher;
import io.wattproof.agent.gpio.TamperInputConfig;
import io.wattproof.agent.gpio.TamperLatch;
import io.wattproof.agent.gpio.TamperListener;
import io.wattproof.agent.ledger.LedgerSettings;
import io.wattproof.agent.meter.ModbusMeterSource;
import io.wattproof.agent.meter.PulseEnergy;
import io.wattproof.agent.meter.S0MeterSource;
import io.wattproof.agent.ota.UpdateService;
import io.wattproof.agent.provision.DeviceKeyStores;
import io.wattproof.agent.provision.TrustAnchorParser;
import io.wattproof.agent.provision.TrustAnchorResult;
import io.wattproof.agent.record.QualityFlagSource;
import io.wattproof.agent.telemetry.TelemetryPublisher;
import io.wattproof.agent.telemetry.TelemetrySettings;
import io.wattproof.agent.uplink.LiveChannel;
import io.wattproof.agent.uplink.LiveChannelFanOut;
import io.wattproof.agent.uplink.MqttUplink;
import io.wattproof.agent.uplink.MqttUplinkConfig;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.MonotonicCounter;
import io.wattproof.crypto.atecc608.Atecc608DeviceKey;
import io.wattproof.crypto.seal.RecipientKeyPair;
import io.wattproof.crypto.seal.RecipientPublicKey;
import io.wattproof.crypto.seal.Suite;
import io.wattproof.modbus.frame.rtu.RtuTiming;
import io.wattproof.modbus.maps.MeterMap;
import io.wattproof.modbus.maps.MeterMapException;
import io.wattproof.modbus.maps.MeterMaps;
import io.wattproof.modbus.master.ModbusMaster;
import io.wattproof.modbus.master.ModbusRtuMaster;
import io.wattproof.modbus.master.ModbusRtuMasterConfig;
import io.wattproof.modbus.transport.Pi4jDirectionControl;
import io.wattproof.modbus.transport.SerialLineConfig;
import io.wattproof.modbus.transport.SerialPortTransport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * {@code run --config FILE}: the agent as the packaged service runs it. Everything comes from the
 * device configuration and the board profile it names; nothing is guessed. Start-up refuses, with
 * the reason, an unreadable configuration, a board that does not resolve, and a key that is not
 * the provisioned identity; missing GPIO (a board without the lines, a kernel without the GPIO
 * interface) is an alarm in the status, not a reason to stop metering; so is anything that keeps
 * the update shell of an {@code ota} section from starting ({@link DaemonUpdates}).
 */
final class RunConfigured {
    private static final Logger log = LoggerFactory.getLogger(RunConfigured.class);
    /** How long a stop waits for the broker to acknowledge what is stored; unacknowledged records stay in the outbox. */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);
    static final Duration MODBUS_TIMEOUT = Duration.ofSeconds(1);

    private RunConfigured() {}

    static int run(CommandLine cli, Path configFile) throws Exception {
        PrintWriter out = cli.getOut();
        Optional<DeviceConfig> loaded = load(cli.getErr(), configFile);
        if (loaded.isEmpty()) {
            return 2;
        }
        DeviceConfig config = loaded.get();
        BoardProfile board;
        try {
            board = BoardProfiles.resolve(config.board());
        } catch (BoardProfileException e) {
            cli.getErr().println("error: " + configFile + ": board: " + e.getMessage());
            return 2;
        }
        Clock clock = Clock.systemUTC();
        List<String> standingAlarms = new ArrayList<>();
        Context gpio = needsGpio(board) ? gpioContext(standingAlarms) : null;
        DeviceKey key = new DeviceKeyStores(board.secureElement(), KeysCommand.atecc608Chips::open, clock).open(config.keyStore());
        if (!key.deviceId().equals(config.deviceId())) {
            key.close();
            return refused(cli, "the key in the " + config.keyStore().kind() + " store is device " + key.deviceId().hex()
                    + ", but " + configFile + " was provisioned for " + config.deviceId().hex()
                    + "; not signing under another identity (see 'meter-agent provision --check')");
        }
        String model = config.meter().model().orElse(board.meter().model());
        boolean s0 = config.meter().source() == DeviceConfig.EnergySource.S0;
        Optional<BoardProfile.S0Input> s0Line = board.gpio().s0();
        if (s0 && s0Line.isEmpty()) {
            return refused(cli, configFile + ": meter.source s0: board " + board.name() + " names no gpio.s0 line");
        }
        MqttUplinkConfig uplink = MeterAgentCommand.tls(cli, config.mqtt().broker().toString(), key,
                config.mqtt().deviceCert().orElse(null), config.mqtt().brokerCa().orElse(null));
        Path dataDir = config.dataDir().orElse(board.paths().dataDir());
        AgentConfig agentConfig = AgentConfig.builder(dataDir)
                .chainId(config.ledger().chainId())
                .interval(config.interval().orElse(board.interval()))
                .meterSerial(config.meter().serial().orElse("unknown"))
                .outboxBudgetBytes(config.outboxBudgetBytes())
                .ledger(ledgerSettings(config, clock, standingAlarms).orElse(null))
                .build();
        Files.createDirectories(dataDir);
        // What booted is asked before the agent starts: a trial's health window opens at this start.
        Optional<DaemonUpdates.Boot> updateBoot = config.ota().isPresent()
                ? DaemonUpdates.boot(config.ota().get(), board.name(), agentConfig.schedule().length(), dataDir, floorCounter(key), clock,
                        standingAlarms)
                : Optional.empty();

        ScheduledGpioTimer gpioTimer = new ScheduledGpioTimer();
        QualityFlagSource flags = QualityFlagSource.none();
        Optional<StatusLed> led = Optional.empty();
        MqttUplink mqttUplink = new MqttUplink(uplink);
        // Its thread only where there is a tamper input to report.
        TamperEventPublisher tamperEvents = gpio != null && board.gpio().tamper().isPresent()
                ? new TamperEventPublisher(key.deviceId().hex(), mqttUplink)
                : null;
        if (gpio != null) {
            Optional<TamperLatch> latch = tamper(gpio, board, gpioTimer, clock, tamperEvents, standingAlarms);
            if (latch.isPresent()) {
                flags = latch.get();
            }
            led = statusLed(gpio, board, gpioTimer, standingAlarms);
        }
        String meterDescription;
        MeterAgent agent;
        if (s0) {
            // Pulses carry import energy only; the count restarts at 0 with every start, so the
            // register continues from the last stored record's (docs/gpio.md).
            BoardProfile.S0Input line = s0Line.get();
            if (gpio == null) {
                throw new IllegalStateException("meter.source s0: GPIO is unavailable, so the S0 input on GPIO " + line.pin()
                        + " cannot be counted");
            }
            Pi4jS0Input pulses = Pi4jS0Input.create(gpio, new S0InputConfig(line.pin(), line.active() == BoardProfile.Level.HIGH,
                    Pull.valueOf(line.pull().name()), Duration.ofMillis(line.debounceMillis())), System::nanoTime);
            PulseEnergy energy = new PulseEnergy(line.pulsesPerKwh());
            meterDescription = model + " S0 output on GPIO " + line.pin() + ", " + line.pulsesPerKwh() + " imp/kWh";
            agent = MeterAgent.start(agentConfig, key, chain -> new S0MeterSource(pulses, energy, chain.lastImportWh(), model),
                    mqttUplink, clock, flags, ClockSyncSources.auto(clock));
        } else {
            MeterMap map;
            try {
                map = MeterMaps.resolve(board.meter().isMapFile() && config.meter().model().isEmpty()
                        ? board.meter().mapFile(board.paths()).orElseThrow().toString()
                        : model);
            } catch (MeterMapException e) {
                return refused(cli, configFile + ": meter model " + model + ": " + e.getMessage());
            }
            int unit = config.meter().unitId().orElse(board.meter().unitId());
            ModbusMaster master = openMeter(board.serial(), gpio);
            meterDescription = map.manufacturer() + " " + map.model() + ", unit " + unit + " on " + board.serial().describe();
            // The system's time service says whether the clock can be trusted (docs/architecture.md, "Clock").
            agent = MeterAgent.start(agentConfig, key, new ModbusMeterSource(master, unit, map), mqttUplink,
                    clock, flags, ClockSyncSources.auto(clock));
        }
        // Telemetry and a charging pile each get a view of the uplink's live channel.
        LiveChannelFanOut live = new LiveChannelFanOut(mqttUplink);
        // Live values for the owner and Home Assistant discovery, as the file's telemetry says (docs/telemetry.md).
        TelemetryPublisher telemetry = config.telemetry().enabled()
                ? TelemetryPublisher.start(agent, live.attach(), TelemetrySettings.of(config.telemetry(), config.location(), board.name(),
                        dataDir, agentConfig.samplePeriod()), clock)
                : null;
        ChargingPile pile = config.charging().isPresent()
                ? chargingPile(config, board, gpio, agent, live.attach(), key, dataDir, clock, standingAlarms).orElse(null)
                : null;
        // Signed updates, on a view of their own (docs/daemon.md, "Updates").
        UpdateService updates = updateBoot.isPresent()
                ? DaemonUpdates.start(updateBoot.get(), agent, live.attach(), uplink.topicPrefix(), clock, standingAlarms).orElse(null)
                : null;
        Path statusDir = StatusFile.directory(System.getenv(), dataDir);
        SystemdNotify notify = SystemdNotify.fromEnvironment(System.getenv(), ProcessHandle.current().pid());
        AgentDaemon daemon = AgentDaemon.start(agent,
                new AgentDaemon.Identity(board.name(), config.location().orElse(null), meterDescription,
                        config.mqtt().broker().toString(), config.ledger().chainId(),
                        config.ledger().trustAnchor().map(Path::toString).orElse(null), agentConfig.schedule().seconds(),
                        agentConfig.outboxBudgetBytes(), agentConfig.samplePeriod(), standingAlarms),
                notify, clock, statusDir, led, DRAIN_TIMEOUT);
        out.println("agent running: device " + key.deviceId().hex() + ", board " + board.name() + ", " + meterDescription
                + ", broker " + config.mqtt().broker() + ", status " + StatusFile.in(statusDir) + "; stop with Ctrl-C or SIGTERM");
        CountDownLatch stopped = new CountDownLatch(1);
        Context gpioContext = gpio;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (updates != null) {
                updates.close();
            }
            if (pile != null) {
                // Opens the relay: nothing flows while the agent is down.
                pile.close();
            }
            if (telemetry != null) {
                telemetry.close();
            }
            daemon.close();
            if (tamperEvents != null) {
                tamperEvents.close();
            }
            gpioTimer.close();
            if (gpioContext != null) {
                gpioContext.shutdown();
            }
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }

    /**
     * The pile's shell when the configuration has a charging section (docs/charging.md, "The pile's
     * shell"): the relay is the board's {@code gpio.relay}, the pile's HPKE key is read from the
     * file the section names. A board without a relay line, no GPIO, or an unreadable key file is a
     * standing alarm: the agent meters on, and the pile takes no booking, so its relay stays open.
     * With {@code charging.offer} the pile keeps an offer open by itself ({@link OfferPolicy}).
     */
    static Optional<ChargingPile> chargingPile(DeviceConfig config, BoardProfile board, Context gpio, MeterAgent agent,
            LiveChannel live, DeviceKey key, Path dataDir, Clock clock, List<String> alarms) {
        DeviceConfig.Charging charging = config.charging().orElseThrow();
        Optional<BoardProfile.OutputPin> relayLine = board.gpio().relay();
        if (relayLine.isEmpty()) {
            return pileNotStarted(alarms, "board " + board.name() + " names no gpio.relay line");
        }
        if (gpio == null) {
            return pileNotStarted(alarms, "GPIO is unavailable, so the relay on GPIO " + relayLine.get().pin() + " cannot be switched");
        }
        RecipientKeyPair sealKey;
        try {
            sealKey = SealKeyFile.read(charging.sealKeyFile());
        } catch (IOException | RuntimeException e) {
            // SealKeyFile names the file in its messages; a missing file is named by the JDK's alone.
            return pileNotStarted(alarms, e instanceof java.nio.file.NoSuchFileException
                    ? charging.sealKeyFile() + ": no such file" : e.getMessage());
        }
        Relay relay;
        try {
            relay = Pi4jRelay.create(gpio, RelayConfig.fromBoard(relayLine.get()));
        } catch (GpioException | RuntimeException e) {
            return pileNotStarted(alarms, "relay on GPIO " + relayLine.get().pin() + ": " + e.getMessage());
        }
        Suite suite = Suite.X25519_AES_128_GCM;
        SessionSealer sealer;
        try {
            sealer = new SessionSealer(suite, sealKey, RecipientPublicKey.of(suite.kem(), charging.ownerSealKey()),
                    RecipientPublicKey.of(suite.kem(), charging.supervisorSealKey()),
                    charging.ownerContact().getBytes(StandardCharsets.UTF_8), charging.ownerSalt(), new SecureRandom());
        } catch (IllegalArgumentException e) {
            return pileNotStarted(alarms, "charging seal keys: " + e.getMessage());
        }
        ChargingPile.Settings settings = ChargingPile.Settings.of(config.ledger().chainId(), dataDir, charging.ownerPseudonym(),
                sealKey.publicKey().encoded(), "X25519_AES_128_GCM");
        Optional<OfferPolicy> offers = charging.offer().map(o -> new OfferPolicy(o.unitPrice(), o.maxPowerW(), o.windowDays()));
        if (offers.isEmpty()) {
            log.info("charging pile makes no offers: the configuration has no charging.offer; it can be booked only on offers "
                    + "it already holds");
        }
        return Optional.of(ChargingPiles.startIn(agent, live, settings, key, relay, sealer, clock, offers));
    }

    /**
     * The secure element's counter for the update floor, when the device key lives in an ATECC608
     * (docs/ota.md, "Floor in the secure element"); other key stores have none.
     */
    static Optional<MonotonicCounter> floorCounter(DeviceKey key) {
        return key instanceof Atecc608DeviceKey chip ? Optional.of(chip.floorCounter()) : Optional.empty();
    }

    private static Optional<ChargingPile> pileNotStarted(List<String> alarms, String why) {
        alarms.add("charging pile not started: " + why);
        log.error("charging pile not started: {}; the agent meters on, the relay stays open", why);
        return Optional.empty();
    }

    /**
     * Follow the ledger when the configuration names a trust anchor (docs/ledger.md, "What the
     * agent does"). An anchor that cannot be read, is for another chain or has expired is a standing
     * alarm, not a reason to stop metering: the records stay in the outbox, acknowledged, until an
     * anchor that works is installed.
     */
    static Optional<LedgerSettings> ledgerSettings(DeviceConfig config, Clock clock, List<String> alarms) {
        Optional<Path> file = config.ledger().trustAnchor();
        if (file.isEmpty()) {
            return Optional.empty();
        }
        String text;
        try {
            text = Files.readString(file.get());
        } catch (IOException | RuntimeException e) {
            return notFollowed(alarms, file.get() + ": cannot read the trust anchor: "
                    + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()));
        }
        return switch (TrustAnchorParser.parse(file.get().toString(), text)) {
            case TrustAnchorResult.Invalid i -> notFollowed(alarms, i.message());
            case TrustAnchorResult.Read r -> {
                Optional<TrustAnchorResult.Invalid> unusable = TrustAnchorParser.checkUsable(r.anchor(), config.ledger().chainId(),
                        clock.instant());
                yield unusable.isPresent() ? notFollowed(alarms, unusable.get().message())
                        : Optional.of(LedgerSettings.of(r.anchor()).withReceiptTimeout(config.ledger().receiptTimeout())
                                .withPruneThreshold(config.ledger().pruneThreshold()));
            }
        };
    }

    private static Optional<LedgerSettings> notFollowed(List<String> alarms, String why) {
        alarms.add("ledger not followed: " + why);
        log.error("ledger not followed: {}; acknowledged records stay in the outbox", why);
        return Optional.empty();
    }

    /**
     * An installation the agent will not run: exit status 2, which the unit's {@code
     * RestartPreventExitStatus=2} leaves stopped, since restarting cannot fix it.
     */
    private static int refused(CommandLine cli, String why) {
        cli.getErr().println("error: " + why);
        return 2;
    }

    /** Parses the file, printing every problem; empty when it cannot be used. */
    static Optional<DeviceConfig> load(PrintWriter err, Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            err.println("error: " + file + ": cannot read the configuration: " + e.getMessage()
                    + " (written by 'meter-agent provision'; docs/provisioning.md)");
            return Optional.empty();
        }
        return switch (DeviceConfigParser.parse(file.toString(), text)) {
            case ConfigParseResult.Parsed p -> Optional.of(p.config());
            case ConfigParseResult.Invalid i -> {
                for (ConfigProblem problem : i.problems()) {
                    err.println("error: " + problem.message());
                }
                yield Optional.empty();
            }
        };
    }

    private static boolean needsGpio(BoardProfile board) {
        return !board.gpio().pins().isEmpty()
                || board.serial().direction() instanceof SerialLineConfig.Direction.GpioPin;
    }

    /** Pi4J with the kernel's GPIO interface; none (and an alarm) where the kernel offers none. */
    private static Context gpioContext(List<String> alarms) {
        try {
            return Pi4J.newContextBuilder()
                    .add(LinuxFsDigitalInputProvider.newInstance(), LinuxFsDigitalOutputProvider.newInstance())
                    .build();
        } catch (RuntimeException e) {
            alarms.add("GPIO unavailable: " + e.getMessage());
            log.error("GPIO unavailable, tamper input and status LED not served: {}", e.toString());
            return null;
        }
    }

    private static Optional<TamperLatch> tamper(Context gpio, BoardProfile board, ScheduledGpioTimer timer, Clock clock,
            TamperListener events, List<String> alarms) {
        Optional<BoardProfile.InputPin> pin = board.gpio().tamper();
        if (pin.isEmpty()) {
            return Optional.empty();
        }
        BoardProfile.InputPin p = pin.get();
        TamperLatch latch = new TamperLatch();
        try {
            Pi4jTamperInput.create(gpio, new TamperInputConfig(p.pin(), p.active() == BoardProfile.Level.HIGH,
                            Pull.valueOf(p.pull().name()), Duration.ofMillis(50)), latch,
                    event -> {
                        log.warn("tamper input {} pin={} at={}", event.active() ? "ACTIVE" : "released", event.pin(), event.at());
                        events.tamperChanged(event);
                    },
                    timer, clock);
            return Optional.of(latch);
        } catch (GpioException | RuntimeException e) {
            alarms.add("tamper input unavailable: " + e.getMessage());
            log.error("tamper input gpio {} unavailable: {}", p.pin(), e.getMessage());
            return Optional.empty();
        }
    }

    private static Optional<StatusLed> statusLed(Context gpio, BoardProfile board, ScheduledGpioTimer timer, List<String> alarms) {
        Optional<BoardProfile.OutputPin> pin = board.gpio().statusLed();
        if (pin.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(StatusLed.create(gpio, pin.get().pin(), pin.get().active() == BoardProfile.Level.HIGH, timer));
        } catch (GpioException | RuntimeException e) {
            alarms.add("status LED unavailable: " + e.getMessage());
            log.error("status LED gpio {} unavailable: {}", pin.get().pin(), e.getMessage());
            return Optional.empty();
        }
    }

    private static ModbusMaster openMeter(SerialLineConfig serial, Context gpio) throws Exception {
        SerialPortTransport transport = serial.direction() instanceof SerialLineConfig.Direction.GpioPin pin
                ? SerialPortTransport.open(serial, Pi4jDirectionControl.create(requireGpio(gpio, pin.pin()), pin))
                : SerialPortTransport.open(serial);
        return new ModbusRtuMaster(transport, ModbusRtuMasterConfig.builder()
                .timing(RtuTiming.of(serial.baudRate(), serial.bitsPerCharacter()))
                .responseTimeout(MODBUS_TIMEOUT)
                .build());
    }

    private static Context requireGpio(Context gpio, int pin) {
        if (gpio == null) {
            throw new IllegalStateException("the board switches RS-485 direction on GPIO " + pin + ", but GPIO is unavailable");
        }
        return gpio;
    }
}
