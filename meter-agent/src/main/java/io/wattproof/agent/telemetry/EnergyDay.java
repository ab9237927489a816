package io.wattproof.agent.telemetry;

import io.wattproof.agent.meter.MeterSample;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;

/**
 * Decides where "energy today" starts, from readings of the meter's import register. Pure: the
 * zone and the largest gap between readings that still counts as continuous come in as arguments.
 *
 * <p>"Today" is always the meter's register now minus the register at the start of the day, never a
 * counter the agent keeps itself, so a power cut or restart cannot make it start again from zero
 * in the middle of the day, and the register's own value is never reset.
 */
public final class EnergyDay {
    private EnergyDay() {}

    /**
     * The day start that applies to {@code now}.
     *
     * @param stored the day start in force until now (from memory or the day file), if any
     * @param previous the reading before {@code now}, if the agent has seen one since it started
     * @param now the newest reading
     * @param zone the zone whose midnight begins a day; across a daylight-saving change the day
     *     begins at the first valid local time ({@link LocalDate#atStartOfDay(ZoneId)})
     * @param maxGap readings further apart than this are not continuous: the energy between them
     *     cannot be split at midnight
     * @return {@code stored} unchanged while it is for the day of {@code now} and the register has
     *     not gone below it; otherwise the start of a new day
     */
    public static DayStart at(Optional<DayStart> stored, Optional<MeterSample> previous, MeterSample now, ZoneId zone,
            Duration maxGap) {
        LocalDate today = LocalDate.ofInstant(now.readAt(), zone);
        long nowWh = now.snapshot().importWh();
        if (stored.isPresent() && stored.get().day().equals(today) && nowWh >= stored.get().startWh()) {
            return stored.get();
        }
        if (stored.isPresent() && stored.get().day().equals(today)) {
            // The register went down within the day: a replaced meter or a reset register. Counting
            // on from the old start would show a negative day; count from here and say so.
            return new DayStart(today, nowWh, now.readAt(), true);
        }
        Instant midnight = today.atStartOfDay(zone).toInstant();
        if (previous.isPresent()) {
            Instant t0 = previous.get().readAt();
            long w0 = previous.get().snapshot().importWh();
            Duration between = Duration.between(t0, now.readAt());
            if (t0.isBefore(midnight) && !between.isNegative() && between.compareTo(maxGap) <= 0 && nowWh >= w0) {
                // Split the energy between the last reading before midnight and the first after it
                // in proportion to time: the best estimate without a reading at midnight itself,
                // wrong by at most the energy of one gap.
                double fraction = (double) Duration.between(t0, midnight).toNanos() / between.toNanos();
                long atMidnight = w0 + Math.round((nowWh - w0) * fraction);
                return new DayStart(today, atMidnight, midnight, false);
            }
        }
        return new DayStart(today, nowWh, now.readAt(), true);
    }

    /** Energy imported since {@code start}, kWh (≥ 0 whenever {@code start} came from {@link #at}). */
    public static double todayKwh(DayStart start, MeterSample now) {
        return (now.snapshot().importWh() - start.startWh()) / 1000.0;
    }
}
