package io.wattproof.simulator;

import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.modbus.transport.SerialLineConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * One simulator run.
 *
 * @param meters number of virtual meters, each with its own agent (1 .. 1000)
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
        LedgerSetup ledger) {

    /** A run with the default ledger (4 validators, 1 s blocks, honest gateway). */
    public SimulationConfig(int meters, Duration interval, Duration duration, KeyAlgorithm keyAlgorithm, Path runFolder,
            Path dumpFolder, String chainId, int brokerPort, ZoneId zone, Optional<SerialLineConfig> meterSerial) {
        this(meters, interval, duration, keyAlgorithm, runFolder, dumpFolder, chainId, brokerPort, zone, meterSerial,
                LedgerSetup.DEFAULT);
    }

    public SimulationConfig withLedger(LedgerSetup value) {
        return new SimulationConfig(meters, interval, duration, keyAlgorithm, runFolder, dumpFolder, chainId, brokerPort, zone,
                meterSerial, value);
    }

    public SimulationConfig {
        if (meters < 1 || meters > 1000) {
            throw new IllegalArgumentException("meters: expected 1..1000, got " + meters);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration: expected a positive duration, got " + duration);
        }
        Objects.requireNonNull(meterSerial, "meterSerial");
        Objects.requireNonNull(ledger, "ledger");
        if (brokerPort < 0 || brokerPort > 65535) {
            throw new IllegalArgumentException("broker port: expected 0..65535, got " + brokerPort);
        }
    }
}
