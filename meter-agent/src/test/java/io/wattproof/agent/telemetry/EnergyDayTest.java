package io.wattproof.agent.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.agent.meter.MeterSample;
import io.wattproof.agent.meter.MeterSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EnergyDayTest {
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final Duration GAP = Duration.ofSeconds(30);

    static MeterSample sample(String instant, long importWh) {
        return sample(instant, importWh, 1500);
    }

    static MeterSample sample(String instant, long importWh, double powerW) {
        return new MeterSample(Instant.parse(instant),
                new MeterSnapshot(importWh / 1000.0, 2.5, powerW, new double[] {230}, new double[] {6.5}));
    }

    @Test
    void theFirstReadingEverStartsAPartialDayAtItself() {
        MeterSample now = sample("2026-11-27T09:00:00Z", 1_000_000);
        DayStart d = EnergyDay.at(Optional.empty(), Optional.empty(), now, BERLIN, GAP);
        assertEquals(new DayStart(LocalDate.of(2026, 11, 27), 1_000_000, now.readAt(), true), d);
        assertEquals(0.0, EnergyDay.todayKwh(d, now));
    }

    @Test
    void withinTheDayTheStartStaysAndTodayIsTheRegisterMinusIt() {
        DayStart morning = new DayStart(LocalDate.of(2026, 11, 27), 1_000_000, Instant.parse("2026-11-26T23:00:00Z"), false);
        MeterSample prev = sample("2026-11-27T14:59:50Z", 1_004_990);
        MeterSample now = sample("2026-11-27T15:00:00Z", 1_005_000);
        assertSame(morning, EnergyDay.at(Optional.of(morning), Optional.of(prev), now, BERLIN, GAP));
        assertEquals(5.0, EnergyDay.todayKwh(morning, now));
    }

    @Test
    void localMidnightNotUtcMidnightBeginsTheDay() {
        // 23:30 UTC on the 26th is 00:30 on the 27th in Berlin (UTC+1 in November).
        DayStart d = EnergyDay.at(Optional.empty(), Optional.empty(), sample("2026-11-26T23:30:00Z", 10), BERLIN, GAP);
        assertEquals(LocalDate.of(2026, 11, 27), d.day());
    }

    @Test
    void acrossMidnightTheEnergyBetweenTwoReadingsIsSplitByTime() {
        DayStart yesterday = new DayStart(LocalDate.of(2026, 11, 26), 990_000, Instant.parse("2026-11-25T23:00:00Z"), false);
        // Midnight in Berlin is 23:00:00Z; the readings are 10 s before and 20 s after it.
        MeterSample before = sample("2026-11-26T22:59:50Z", 1_000_000);
        MeterSample after = sample("2026-11-26T23:00:20Z", 1_000_030);
        DayStart d = EnergyDay.at(Optional.of(yesterday), Optional.of(before), after, BERLIN, GAP);
        assertEquals(new DayStart(LocalDate.of(2026, 11, 27), 1_000_010, Instant.parse("2026-11-26T23:00:00Z"), false), d);
        assertEquals(0.020, EnergyDay.todayKwh(d, after), 1e-9);
    }

    @Test
    void aPowerCutAcrossMidnightStartsAPartialDayAtTheFirstReadingAfterIt() {
        DayStart yesterday = new DayStart(LocalDate.of(2026, 11, 26), 990_000, Instant.parse("2026-11-25T23:00:00Z"), false);
        MeterSample before = sample("2026-11-26T21:00:00Z", 1_000_000);
        MeterSample after = sample("2026-11-27T06:15:00Z", 1_004_000);
        DayStart d = EnergyDay.at(Optional.of(yesterday), Optional.of(before), after, BERLIN, GAP);
        assertEquals(new DayStart(LocalDate.of(2026, 11, 27), 1_004_000, after.readAt(), true), d);
        assertEquals(0.0, EnergyDay.todayKwh(d, after));
        // ...and from then on counts normally.
        MeterSample later = sample("2026-11-27T06:15:10Z", 1_004_003);
        assertSame(d, EnergyDay.at(Optional.of(d), Optional.of(after), later, BERLIN, GAP));
        assertEquals(0.003, EnergyDay.todayKwh(d, later), 1e-9);
    }

    @Test
    void aRestartMidDayKeepsTheStoredStart() {
        // After a restart there is no previous reading in memory, only the day file.
        DayStart stored = new DayStart(LocalDate.of(2026, 11, 27), 1_000_000, Instant.parse("2026-11-26T23:00:00Z"), false);
        MeterSample first = sample("2026-11-27T13:00:00Z", 1_007_500);
        DayStart d = EnergyDay.at(Optional.of(stored), Optional.empty(), first, BERLIN, GAP);
        assertSame(stored, d);
        assertEquals(7.5, EnergyDay.todayKwh(d, first));
    }

    @Test
    void aRestartAfterMidnightWithYesterdaysFileIsAPartialDay() {
        DayStart stored = new DayStart(LocalDate.of(2026, 11, 26), 990_000, Instant.parse("2026-11-25T23:00:00Z"), false);
        MeterSample first = sample("2026-11-26T23:00:05Z", 1_000_000);
        DayStart d = EnergyDay.at(Optional.of(stored), Optional.empty(), first, BERLIN, GAP);
        assertTrue(d.partial());
        assertEquals(LocalDate.of(2026, 11, 27), d.day());
        assertEquals(1_000_000, d.startWh());
    }

    @Test
    void aRegisterThatFallsWithinTheDayStartsAgainFlaggedInsteadOfGoingNegative() {
        DayStart stored = new DayStart(LocalDate.of(2026, 11, 27), 1_000_000, Instant.parse("2026-11-26T23:00:00Z"), false);
        MeterSample replaced = sample("2026-11-27T10:00:00Z", 12);
        DayStart d = EnergyDay.at(Optional.of(stored), Optional.of(sample("2026-11-27T09:59:50Z", 1_003_000)), replaced, BERLIN, GAP);
        assertEquals(new DayStart(LocalDate.of(2026, 11, 27), 12, replaced.readAt(), true), d);
        assertEquals(0.0, EnergyDay.todayKwh(d, replaced));
    }

    @Test
    void readingsAfterMidnightOnlyDoNotSplit() {
        // The previous reading is already in the new day (stored start lost): nothing to split.
        MeterSample prev = sample("2026-11-26T23:00:01Z", 1_000_000);
        MeterSample now = sample("2026-11-26T23:00:11Z", 1_000_010);
        DayStart d = EnergyDay.at(Optional.empty(), Optional.of(prev), now, BERLIN, GAP);
        assertTrue(d.partial());
        assertFalse(EnergyDay.todayKwh(d, now) < 0);
    }
}
