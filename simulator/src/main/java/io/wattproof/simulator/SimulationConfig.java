package io.wattproof.simulator;

import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.modbus.transport.SerialLineConfig;
import io.wattproof.simulator.ota.OtaScenario;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * One simulator run.
 *
 * @param meters number of virtual meters, each with its own agent (1 .. {@value #MAX_METERS})
 * @param interval metering interval of every agent
 * @param duration how long meters are read; afterwards agents drain their outboxes
 * @param keyAlgorithm algorithm of newly created device keys
 * @param runFolder where device key stores, outboxes and the broker's files live; reused if it
 *     exists, so a second run continues the chains of the first
 * @param dumpFolder where verified records are dumped for auditors, or null
 * @param chainId chain id records are signed for
 * @param brokerPort MQTT port on 127.0.0.1, 0 for any free port
 * @param zone time zone of the households' day curves
 * @param meterSerial a serial line on which meter 1 also answers Modbus RTU, for outside masters
 *     (mbpoll, an agent on a board wired to this machine); empty for none
 * @param ledger the reference ledger and gateway the agents submit to
 * @param charging the charging scenario: the meters are charging piles, and virtual cars book
 *     and charge at them (docs/charging.md); empty for a fleet of households
 * @param ota the update scenario: a release is shipped to every device once the fleet meters
 *     (docs/ota.md, "Simulator"); empty for none
 * @param speed how many times faster than real time the run's clock goes (1 .. 10000;
 *     {@link TimeCompression}); {@code interval} and {@code duration} are simulated time
 * @param hosting which broker, and how each device is hosted ({@link FleetHosting})
 */
public record SimulationConfig(
        int meters,
        Duration interval,
        Duration duration,
        KeyAlgorithm keyAlgorithm,
        Path runFolder,
        Path dumpFolder,
        String chainId,
        int brokerPort,
        ZoneId zone,
        Optional<SerialLineConfig> meterSerial,
        LedgerSetup ledger,
        Optional<ChargingSetup> charging,
        Optional<OtaScenario.Kind> ota,
        int speed,
        FleetHosting hosting) {

    /** The most meters one run hosts: the fleet-scale target (docs/benchmarks.md, "Simulator: fleet scale"). */
    public static final int MAX_METERS = 10_000;

    /** Hosted as {@link FleetHosting#DEFAULT}. */
    public SimulationConfig(int meters, Duration interval, Duration duration, KeyAlgorithm keyAlgorithm, Path runFolder,
            Path dumpFolder, String chainId, int brokerPort, ZoneId zone, Optional<SerialLineConfig> meterSerial, LedgerSetup ledger,
            Optional<ChargingSetup> charging, Optional<OtaScenario.Kind> ota, int speed) {
        this(meters, interval, duration, keyAlgorithm, runFolder, dumpFolder, chainId, brokerPort, zone, meterSerial, ledger, charging,
                ota, speed, FleetHosting.DEFAULT);
    }

    /** At real time. */
    public SimulationConfig(int meters, Duration interval, Duration duration, KeyAlgorithm keyAlgorithm, Path runFolder,
            Path dumpFolder, String chainId, int brokerPort, ZoneId zone, Optional<SerialLineConfig> meterSerial, LedgerSetup ledger,
            Optional<ChargingSetup> charging, Optional<OtaScenario.Kind> ota) {
        this(meters, interval, duration, keyAlgorithm, runFolder, dumpFolder, chainId, brokerPort, zone, meterSerial, ledger, charging,
                ota, 1);
    }

    /** Without the update scenario. */
    public SimulationConfig(int meters, Duration interval, Duration duration, KeyAlgorithm keyAlgorithm, Path runFolder,
            Path dumpFolder, String chainId, int brokerPort, ZoneId zone, Optional<SerialLineConfig> meterSerial, LedgerSetup ledger,
            Optional<ChargingSetup> charging) {
        this(meters, interval, duration, keyAlgorithm, runFolder, dumpFolder, chainId, brokerPort, zone, meterSerial, ledger, charging,
                Optional.empty());
    }

    /** A fleet of households with the ledger {@code ledger}. */
    public SimulationConfig(int meters, Duration interval, Duration duration, KeyAlgorithm keyAlgorithm, Path runFolder,
            Path dumpFolder, String chainId, int brokerPort, ZoneId zone, Optional<SerialLineConfig> meterSerial, LedgerSetup ledger) {
        this(meters, interval, duration, keyAlgorithm, runFolder, dumpFolder, chainId, brokerPort, zone, meterSerial, ledger,
                Optional.empty());
    }

    /**
     * How many piles and cars the charging scenario runs.
     *
     * @param piles charging piles, each a meter with its agent, a relay and an offer (1 .. 100)
     * @param cars car owners with their own keys and accounts, spread over the piles (1 .. 1000)
     */
    public record ChargingSetup(int piles, int cars) {
        public ChargingSetup {
            if (piles < 1 || piles > 100) {
                throw new IllegalArgumentException("piles: expected 1..100, got " + piles);
            }
            if (cars < 1 || cars > 1000) {
                throw new IllegalArgumentException("cars: expected 1..1000, got " + cars);
            }
        }
    }

    /** A run with the default ledger (4 validators, 1 s blocks, honest gateway). */
    public SimulationConfig(int meters, Duration interval, Duration duration, KeyAlgorithm keyAlgorithm, Path runFolder,
            Path dumpFolder, String chainId, int brokerPort, ZoneId zone, Optional<SerialLineConfig> meterSerial) {
        this(meters, interval, duration, keyAlgorithm, runFolder, dumpFolder, chainId, brokerPort, zone, meterSerial,
                LedgerSetup.DEFAULT);
    }

    public SimulationConfig withLedger(LedgerSetup value) {
        return new SimulationConfig(meters, interval, duration, keyAlgorithm, runFolder, dumpFolder, chainId, brokerPort, zone,
                meterSerial, value, charging, ota, speed, hosting);
    }

    public SimulationConfig withCharging(ChargingSetup value) {
        return new SimulationConfig(value.piles(), interval, duration, keyAlgorithm, runFolder, dumpFolder, chainId, brokerPort, zone,
                meterSerial, ledger, Optional.of(value), ota, speed, hosting);
    }

    /** The same run with the update scenario {@code kind} (docs/ota.md, "Simulator"). */
    public SimulationConfig withOta(OtaScenario.Kind kind) {
        return new SimulationConfig(meters, interval, duration, keyAlgorithm, runFolder, dumpFolder, chainId, brokerPort, zone,
                meterSerial, ledger, charging, Optional.of(kind), speed, hosting);
    }

    /** The same run {@code value} times faster than real time (docs/architecture.md, "Time compression in the simulator"). */
    public SimulationConfig withSpeed(int value) {
        return new SimulationConfig(meters, interval, duration, keyAlgorithm, runFolder, dumpFolder, chainId, brokerPort, zone,
                meterSerial, ledger, charging, ota, value, hosting);
    }

    /** The same run hosted as {@code value}. */
    public SimulationConfig withHosting(FleetHosting value) {
        return new SimulationConfig(meters, interval, duration, keyAlgorithm, runFolder, dumpFolder, chainId, brokerPort, zone,
                meterSerial, ledger, charging, ota, speed, value);
    }

    /** What runs on simulated time and what on real time at this run's speed. */
    public TimeCompression timeCompression() {
        return new TimeCompression(speed);
    }

    public SimulationConfig {
        if (meters < 1 || meters > MAX_METERS) {
            throw new IllegalArgumentException("meters: expected 1.." + MAX_METERS + ", got " + meters);
        }
        Objects.requireNonNull(hosting, "hosting");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration: expected a positive duration, got " + duration);
        }
        Objects.requireNonNull(meterSerial, "meterSerial");
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(charging, "charging");
        Objects.requireNonNull(ota, "ota");
        if (charging.isPresent() && charging.get().piles() != meters) {
            throw new IllegalArgumentException("meters: expected one per pile (" + charging.get().piles() + ") in the charging scenario, got "
                    + meters);
        }
        if (brokerPort < 0 || brokerPort > 65535) {
            throw new IllegalArgumentException("broker port: expected 0..65535, got " + brokerPort);
        }
        TimeCompression compression = new TimeCompression(speed);
        Optional<String> tooFast = compression.intervalProblem(interval);
        if (tooFast.isPresent()) {
            throw new IllegalArgumentException("speed: " + tooFast.get());
        }
        if (speed > 1 && (charging.isPresent() || ota.isPresent())) {
            // Cars, piles and update shells wait for each other on real time (booking windows,
            // request timeouts, health windows); only the metering fleet runs compressed.
            throw new IllegalArgumentException("speed: expected 1 in the " + (charging.isPresent() ? "charging" : "update")
                    + " scenario (it runs at real time only), got " + speed);
        }
    }
}
