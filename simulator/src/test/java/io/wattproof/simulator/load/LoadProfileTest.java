package io.wattproof.simulator.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class LoadProfileTest {
    private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    private static final LocalDate DAY = LocalDate.of(2026, 6, 15);

    private static Instant at(int hour, int minute) {
        return DAY.atTime(LocalTime.of(hour, minute)).atZone(ZONE).toInstant();
    }

    @Test
    void theSameSeedGivesTheSameCurve() {
        LoadProfile a = LoadProfile.household(42, true, 4000);
        LoadProfile b = LoadProfile.household(42, true, 4000);
        LoadProfile c = LoadProfile.household(43, true, 4000);
        boolean differs = false;
        for (Instant t = at(0, 0); t.isBefore(at(23, 59)); t = t.plusSeconds(97)) {
            assertEquals(a.powerWatts(t, ZONE), b.powerWatts(t, ZONE), t::toString);
            differs |= a.powerWatts(t, ZONE) != c.powerWatts(t, ZONE);
        }
        assertTrue(differs, "another seed gives another household");
    }

    @Test
    void valuesDoNotDependOnWhatWasAskedBefore() {
        LoadProfile p = LoadProfile.household(7);
        double first = p.powerWatts(at(19, 0), ZONE);
        p.powerWatts(at(3, 0), ZONE);
        assertEquals(first, p.powerWatts(at(19, 0), ZONE));
    }

    @Test
    void aHouseholdHasABaseLoadAtNightAndPeaksInTheMorningAndEvening() {
        for (long seed = 0; seed < 50; seed++) {
            LoadProfile p = LoadProfile.household(seed);
            double night = p.powerWatts(at(3, 0), ZONE);
            assertTrue(night >= 130 && night <= 330, "seed " + seed + ": night " + night + " W");
            double morningMax = 0;
            double eveningMax = 0;
            for (int minute = 0; minute < 24 * 60; minute++) {
                double w = p.powerWatts(at(minute / 60, minute % 60), ZONE);
                assertTrue(w > 0, "no pv, no export");
                if (minute >= 5 * 60 && minute < 10 * 60) {
                    morningMax = Math.max(morningMax, w);
                } else if (minute >= 16 * 60 && minute < 22 * 60) {
                    eveningMax = Math.max(eveningMax, w);
                }
            }
            assertTrue(morningMax > 800 && morningMax < 5000, "seed " + seed + ": morning peak " + morningMax + " W");
            assertTrue(eveningMax > 1200 && eveningMax < 6000, "seed " + seed + ": evening peak " + eveningMax + " W");
        }
    }

    @Test
    void pvMetersExportAroundNoonAndNotAtNight() {
        for (long seed = 0; seed < 50; seed++) {
            LoadProfile p = LoadProfile.household(seed, true, 4000);
            assertTrue(p.powerWatts(at(12, 0), ZONE) < 0, "seed " + seed + ": noon " + p.powerWatts(at(12, 0), ZONE));
            assertEquals(0, p.pvWatts(at(5, 30), ZONE));
            assertEquals(0, p.pvWatts(at(20, 30), ZONE));
            assertTrue(p.pvWatts(at(12, 0), ZONE) > p.pvWatts(at(9, 0), ZONE));
            assertTrue(p.pvWatts(at(12, 0), ZONE) > p.pvWatts(at(17, 0), ZONE));
            assertEquals(p.consumptionWatts(at(3, 0), ZONE), p.powerWatts(at(3, 0), ZONE));
        }
        LoadProfile small = LoadProfile.household(1, true, 0);
        assertTrue(small.powerWatts(at(12, 0), ZONE) > 0, "a 0 W array exports nothing");
        LoadProfile withoutPv = LoadProfile.household(1, false, 4000);
        assertEquals(0, withoutPv.pvWatts(at(12, 0), ZONE), "pv peak is ignored without pv");
    }

    @Test
    void noiseIsSmoothBetweenMinutes() {
        LoadProfile p = LoadProfile.household(3);
        Instant t = at(2, 0);
        for (int s = 0; s < 600; s++) {
            double a = p.powerWatts(t.plusSeconds(s), ZONE);
            double b = p.powerWatts(t.plusSeconds(s + 1), ZONE);
            assertTrue(Math.abs(a - b) < 5, "one second moves night load by less than 5 W, got " + (b - a));
        }
    }

    @Test
    void aNegativePvPeakIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> LoadProfile.household(1, true, -1));
        assertThrows(IllegalArgumentException.class, () -> LoadProfile.household(1, true, Double.NaN));
    }
}
