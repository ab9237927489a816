package io.wattproof.agent.meter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class S0MeterSourceTest {
    /** A pulse source whose count the test sets. */
    static final class SetPulses implements PulseSource {
        volatile PulseCount count = new PulseCount(0, 0, 0);
        volatile boolean closed;

        @Override
        public PulseCount count() {
            return count;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void importRegisterContinuesFromTheSeedAndOnlyImportIsMeasured() throws Exception {
        SetPulses pulses = new SetPulses();
        S0MeterSource source = new S0MeterSource(pulses, new PulseEnergy(800), 123_456, "S0-800");
        assertEquals(123_456, source.read().importWh());
        pulses.count = new PulseCount(3, 4_500_000_000L, 1_000_000_000L); // 3.75 Wh, 4.5 s period
        MeterSnapshot s = source.read();
        assertEquals(123_459, s.importWh(), "3 pulses = 3.75 Wh: 3 Wh now, the rest with the next pulse");
        pulses.count = new PulseCount(4, 4_500_000_000L, 0);
        assertEquals(123_461, source.read().importWh());
        assertEquals(0, s.exportWh());
        assertEquals(1000.0, s.totalPowerW(), 1e-9, "1.25 Wh per 4.5 s");
        assertArrayEquals(new double[] {0}, s.voltagesV(), "not measured");
        assertArrayEquals(new double[] {0}, s.currentsA(), "not measured");
        assertEquals("S0-800", source.model());
        source.close();
        assertTrue(pulses.closed);
    }

    @Test
    void snapshotCarriesTheExactWholeWhOfLargeRegisters() throws Exception {
        SetPulses pulses = new SetPulses();
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            long seed = i < 50_000 ? i : random.nextLong(1L << 50);
            S0MeterSource source = new S0MeterSource(pulses, new PulseEnergy(1000), seed, "S0");
            assertEquals(seed, source.read().importWh(), "seed " + seed + " survives the kWh snapshot");
        }
    }

    @Test
    void registerOverflowIsAReadErrorAndNegativeSeedIsRefused() {
        SetPulses pulses = new SetPulses();
        pulses.count = new PulseCount(Long.MAX_VALUE, 0, 0);
        S0MeterSource source = new S0MeterSource(pulses, new PulseEnergy(1), Long.MAX_VALUE - 10, "S0");
        MeterReadException e = assertThrows(MeterReadException.class, source::read);
        assertTrue(e.getMessage().startsWith("s0 import register overflows: seed 9223372036854775797 Wh plus "), e.getMessage());
        assertEquals("seed register: expected ≥ 0 Wh, got -1", assertThrows(IllegalArgumentException.class,
                () -> new S0MeterSource(pulses, new PulseEnergy(1), -1, "S0")).getMessage());
    }
}
