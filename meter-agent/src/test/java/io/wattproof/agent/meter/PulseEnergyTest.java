package io.wattproof.agent.meter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PulseEnergyTest {
    private static final long NS_PER_S = 1_000_000_000L;

    @Test
    void eightHundredPulsesPerKwhLoseNoPulseOverMillionsOfPulses() {
        PulseEnergy e = new PulseEnergy(800);
        long previous = 0;
        for (long p = 1; p <= 5_000_000; p++) {
            long wh = e.wattHours(p);
            // 1.25 Wh a pulse: every fourth pulse completes 5 Wh exactly, and in between the register
            // never runs ahead of the energy counted nor more than one pulse behind it.
            long exactTimes4 = p * 5; // 4 × (p × 1.25 Wh)
            assertEquals(exactTimes4 / 4, wh, "pulses=" + p);
            if (p % 4 == 0) {
                assertEquals(p / 4 * 5, wh);
            }
            assertTrue(wh >= previous && wh - previous <= 2, "monotonic, at most 2 Wh per pulse");
            previous = wh;
        }
        assertEquals(6_250_000, e.wattHours(5_000_000));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 100, 375, 800, 1000, 1600, 2000, 10_000, 100_000, 99_991})
    void matchesExactArithmeticAtEveryConstantAndSize(int constant) {
        PulseEnergy e = new PulseEnergy(constant);
        SplittableRandom random = new SplittableRandom(constant);
        for (int i = 0; i < 2000; i++) {
            // Up to the largest count whose energy still fits a long (all of them from 1000 imp/kWh on,
            // where pulses × 1000 itself would overflow).
            long pulses = i < 1000 ? i : random.nextLong(constant >= 1000 ? Long.MAX_VALUE : Long.MAX_VALUE / 1000 * constant);
            long expected = BigInteger.valueOf(pulses).multiply(BigInteger.valueOf(1000))
                    .divide(BigInteger.valueOf(constant)).longValueExact();
            assertEquals(expected, e.wattHours(pulses), "pulses=" + pulses + " constant=" + constant);
        }
    }

    @Test
    void powerFollowsThePeriodAndFallsWhilePulsesStop() {
        PulseEnergy e = new PulseEnergy(1000); // 1 Wh = 3600 J a pulse
        assertEquals(1000.0, e.powerW(new PulseCount(10, 3_600 * NS_PER_S / 1000, 0)), 1e-9, "3.6 s period: 1 kW");
        assertEquals(1000.0, e.powerW(new PulseCount(10, 3_600 * NS_PER_S / 1000, 3 * NS_PER_S)), 1e-9);
        assertEquals(100.0, e.powerW(new PulseCount(10, 3_600 * NS_PER_S / 1000, 36 * NS_PER_S)), 1e-9,
                "36 s without a pulse: at most 100 W");
        assertEquals(0.0, e.powerW(new PulseCount(1, 0, NS_PER_S)), "one pulse is no rate");
        assertEquals(0.0, e.powerW(new PulseCount(0, 0, 0)));
    }

    @Test
    void energyBeyondALongIsAnArithmeticError() {
        assertThrows(ArithmeticException.class, () -> new PulseEnergy(1).wattHours(Long.MAX_VALUE / 999));
    }

    @Test
    void outOfRangeConstantsAndCountsAreRefused() {
        assertEquals("pulses per kWh: expected 1..100000, got 0",
                assertThrows(IllegalArgumentException.class, () -> new PulseEnergy(0)).getMessage());
        assertEquals("pulses per kWh: expected 1..100000, got 100001",
                assertThrows(IllegalArgumentException.class, () -> new PulseEnergy(100_001)).getMessage());
        assertEquals("pulses: expected ≥ 0, got -1",
                assertThrows(IllegalArgumentException.class, () -> new PulseEnergy(800).wattHours(-1)).getMessage());
    }
}
