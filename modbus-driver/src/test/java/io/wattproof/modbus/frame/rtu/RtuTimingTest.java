package io.wattproof.modbus.frame.rtu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RtuTimingTest {

    @Test
    void silenceTimesScaleWithTheCharacterTimeUpTo19200Baud() {
        // 9600 baud, 11 bits per character (8E1): 1145.834 us per character.
        RtuTiming t = RtuTiming.of(9600, 11);
        assertEquals(Duration.ofNanos(1_145_834), t.characterTime());
        assertEquals(Duration.ofNanos(1_718_751), t.t15());
        assertEquals(Duration.ofNanos(4_010_419), t.t35());
        assertEquals(Duration.ofNanos(1_145_834 * 8), t.transmissionTime(8));
    }

    @Test
    void silenceTimesAreFixedAbove19200Baud() {
        assertEquals(Duration.ofNanos(1_750_000), RtuTiming.of(38400, 11).t35());
        assertEquals(Duration.ofNanos(750_000), RtuTiming.of(115200, 10).t15());
        // At exactly 19200 the formula still applies: 3.5 x 572.917 us.
        assertEquals(Duration.ofNanos(2_005_209), RtuTiming.of(19200, 11).t35());
    }

    @Test
    void refusesImpossibleLines() {
        assertThrows(IllegalArgumentException.class, () -> RtuTiming.of(0, 11));
        assertThrows(IllegalArgumentException.class, () -> RtuTiming.of(9600, 8));
        assertThrows(IllegalArgumentException.class, () -> RtuTiming.of(9600, 13));
    }
}
