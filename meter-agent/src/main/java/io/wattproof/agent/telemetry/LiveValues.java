package io.wattproof.agent.telemetry;

import io.wattproof.agent.AgentStatus;
import io.wattproof.agent.meter.MeterSample;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One telemetry message (docs/telemetry.md, "Payload"). Made only from a real reading of the
 * meter: before the first one there is no message at all, so no energy value is ever published as
 * 0 or unknown after a restart.
 *
 * @param time when the meter was read for the values below
 * @param powerW total active power, W, import positive and export negative (the meter's sign);
 *     empty when the newest reading is older than the freshness limit (the meter stopped
 *     answering), so that a stale power is not shown as current
 * @param energyImportKwh the meter's cumulative import register, kWh (1 Wh resolution)
 * @param energyExportKwh the meter's cumulative export register, kWh
 * @param energyTodayKwh import since {@code todaySince}, kWh (≥ 0)
 * @param todaySince local midnight, or the first reading of the day when {@code todayPartial}
 * @param todayPartial "today" began after a gap (see {@link DayStart#partial()})
 * @param status the agent's state
 * @param outboxDepth signed records not yet acknowledged by the broker
 * @param location the owner's label for the meter, if configured
 */
public record LiveValues(
        Instant time,
        OptionalDouble powerW,
        double energyImportKwh,
        double energyExportKwh,
        double energyTodayKwh,
        Instant todaySince,
        boolean todayPartial,
        TelemetryStatus status,
        int outboxDepth,
        Optional<String> location) {

    public LiveValues {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(powerW, "power");
        Objects.requireNonNull(todaySince, "today since");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(location, "location");
    }

    /**
     * @param now the instant of publication, to judge the sample's age
     * @param freshFor a sample older than this carries no power
     */
    public static LiveValues of(MeterSample sample, DayStart day, AgentStatus status, Optional<String> location, Instant now,
            Duration freshFor) {
        boolean fresh = Duration.between(sample.readAt(), now).compareTo(freshFor) <= 0;
        return new LiveValues(
                sample.readAt(),
                fresh ? OptionalDouble.of(sample.snapshot().totalPowerW()) : OptionalDouble.empty(),
                sample.snapshot().importWh() / 1000.0,
                sample.snapshot().exportWh() / 1000.0,
                EnergyDay.todayKwh(day, sample),
                day.since(),
                day.partial(),
                TelemetryStatus.of(status),
                status.outboxDepth(),
                location);
    }
}
