package io.wattproof.agent.telemetry;

import io.wattproof.agent.RunningBuild;
import io.wattproof.agent.config.DeviceConfig;
import io.wattproof.agent.uplink.MqttUplinkConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * How live telemetry runs beside an agent.
 *
 * @param period how often values are published while connected
 * @param homeAssistant whether Home Assistant discovery is published
 * @param location the owner's label for the meter, if any
 * @param model the board, shown as the device's model in Home Assistant
 * @param swVersion the running agent's version
 * @param zone whose local midnight begins "today"; the configuration file has no zone yet, so the
 *     system's default zone (the board's /etc/localtime)
 * @param dataDir where {@value DayStartFile#FILE_NAME} is kept (the agent's data folder)
 * @param samplePeriod how often the agent reads the meter: a reading older than three periods is
 *     stale, and readings further apart than three telemetry or sample periods are not continuous
 * @param topicPrefix the protocol's topic root, as the uplink's
 * @param discoveryPrefix Home Assistant's discovery prefix
 */
public record TelemetrySettings(
        Duration period,
        boolean homeAssistant,
        Optional<String> location,
        String model,
        String swVersion,
        ZoneId zone,
        Path dataDir,
        Duration samplePeriod,
        String topicPrefix,
        String discoveryPrefix) {

    public TelemetrySettings {
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(swVersion, "sw version");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(dataDir, "data dir");
        Objects.requireNonNull(samplePeriod, "sample period");
        Objects.requireNonNull(topicPrefix, "topic prefix");
        Objects.requireNonNull(discoveryPrefix, "discovery prefix");
        if (period.isNegative() || period.isZero() || samplePeriod.isNegative() || samplePeriod.isZero()) {
            throw new IllegalArgumentException("telemetry: expected positive periods, got period=" + period
                    + " sample period=" + samplePeriod);
        }
    }

    /** From the device configuration's {@code telemetry} and {@code location}, with the system zone. */
    public static TelemetrySettings of(DeviceConfig.Telemetry telemetry, Optional<String> location, String board, Path dataDir,
            Duration samplePeriod) {
        return new TelemetrySettings(telemetry.period(), telemetry.homeAssistant(), location, board, RunningBuild.version(),
                ZoneId.systemDefault(), dataDir, samplePeriod, MqttUplinkConfig.DEFAULT_TOPIC_PREFIX,
                HomeAssistantDiscovery.DEFAULT_PREFIX);
    }

    /** Readings further apart than this cannot be split at midnight. */
    Duration maxGap() {
        return (period.compareTo(samplePeriod) > 0 ? period : samplePeriod).multipliedBy(3);
    }

    /** A reading older than this carries no power. */
    Duration freshFor() {
        return samplePeriod.multipliedBy(3);
    }
}
