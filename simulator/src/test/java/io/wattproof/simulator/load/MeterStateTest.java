package io.wattproof.simulator.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MeterStateTest {
    private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    private static final Instant MIDNIGHT = LocalDate.of(2026, 6, 15).atStartOfDay(ZONE).toInstant();
    private static final Duration MINUTE = Duration.ofMinutes(1);

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void registersNeverDecreaseAndEachGrowsOnlyWithItsSignOfPower(boolean withPv) {
        MeterState state = MeterState.start(LoadProfile.household(11, withPv, 5000), ZONE, MIDNIGHT);
        for (int minute = 0; minute < 24 * 60; minute++) {
            MeterState next = state.advance(MINUTE);
            double watts = state.netPowerWatts();
            assertTrue(next.importKwh() >= state.importKwh() && next.exportKwh() >= state.exportKwh(), "minute " + minute);
            if (watts > 0) {
                assertTrue(next.importKwh() > state.importKwh(), "importing at minute " + minute);
                assertEquals(state.exportKwh(), next.exportKwh(), "minute " + minute);
            } else if (watts < 0) {
                assertTrue(next.exportKwh() > state.exportKwh(), "exporting at minute " + minute);
                assertEquals(state.importKwh(), next.importKwh(), "minute " + minute);
            }
            assertEquals(watts / 1000 / 60, next.importKwh() - state.importKwh() - (next.exportKwh() - state.exportKwh()),
                    1e-9, "energy of one minute");
            state = next;
        }
        assertEquals(MIDNIGHT.plus(Duration.ofDays(1)), state.time());
        double dailyImport = state.importKwh();
        assertTrue(dailyImport > 4 && dailyImport < 30, "a household day imports 4..30 kWh, got " + dailyImport);
        if (withPv) {
            assertTrue(state.exportKwh() > 1, "pv exports over the day, got " + state.exportKwh());
        } else {
            assertEquals(0, state.exportKwh());
        }
    }

    @Test
    void thePvMeterExportsAroundNoon() {
        LoadProfile profile = LoadProfile.household(11, true, 5000);
        Instant eleven = LocalDate.of(2026, 6, 15).atTime(LocalTime.of(11, 0)).atZone(ZONE).toInstant();
        MeterState state = new MeterState(profile, ZONE, eleven, 1234.5, 67.8);
        for (int minute = 0; minute < 120; minute++) {
            state = state.advance(MINUTE);
        }
        assertEquals(1234.5, state.importKwh(), "no import while pv covers the load");
        assertTrue(state.exportKwh() > 67.8 + 2, "two hours at noon export more than 2 kWh, got " + (state.exportKwh() - 67.8));
    }

    @Test
    void theSameSeedGivesTheSameRegisters() {
        MeterState a = MeterState.start(LoadProfile.household(9, true, 3000), ZONE, MIDNIGHT);
        MeterState b = MeterState.start(LoadProfile.household(9, true, 3000), ZONE, MIDNIGHT);
        for (int i = 0; i < 24 * 4; i++) {
            a = a.advance(Duration.ofMinutes(15));
            b = b.advance(Duration.ofMinutes(15));
        }
        assertEquals(a.importKwh(), b.importKwh());
        assertEquals(a.exportKwh(), b.exportKwh());
        assertEquals(a.voltages(), b.voltages());
    }

    @Test
    void voltagesStayWithinThreePercentAndCurrentsCarryThePower() {
        MeterState state = MeterState.start(LoadProfile.household(4, true, 6000), ZONE, MIDNIGHT);
        for (int minute = 0; minute < 24 * 60; minute += 7) {
            MeterState s = state.advance(Duration.ofMinutes(minute + 1));
            MeterState.Phases v = s.voltages();
            MeterState.Phases a = s.currents();
            for (double volts : new double[] {v.l1(), v.l2(), v.l3()}) {
                assertTrue(volts >= 230 * 0.97 && volts <= 230 * 1.03, volts + " V");
            }
            double carried = v.l1() * a.l1() + v.l2() * a.l2() + v.l3() * a.l3();
            assertEquals(Math.abs(s.netPowerWatts()), carried, 1e-6);
            assertTrue(a.l1() >= 0 && a.l2() >= 0 && a.l3() >= 0);
        }
        MeterState.Phases v = state.voltages();
        assertTrue(v.l1() != v.l2() || v.l2() != v.l3(), "phases wobble independently");
    }

    @Test
    void invalidStepsAndRegistersAreRefused() {
        MeterState state = MeterState.start(LoadProfile.household(1), ZONE, MIDNIGHT);
        assertThrows(IllegalArgumentException.class, () -> state.advance(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> state.advance(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class,
                () -> new MeterState(LoadProfile.household(1), ZONE, MIDNIGHT, -0.1, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new MeterState(LoadProfile.household(1), ZONE, MIDNIGHT, 0, Double.NaN));
    }
}
