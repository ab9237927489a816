package io.wattproof.agent.gpio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import io.wattproof.agent.meter.PulseEnergy;
import io.wattproof.agent.meter.S0MeterSource;
import io.wattproof.modbus.testing.MockPi4j;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** S0 counting on Pi4J's mock platform, with edge times from a test clock. */
class Pi4jS0InputTest {
    private static final long MS = 1_000_000;
    private Context pi4j;
    private final AtomicLong now = new AtomicLong(1_000 * MS);

    @BeforeEach
    void startPi4j() {
        pi4j = MockPi4j.context();
    }

    @AfterEach
    void stopPi4j() {
        pi4j.shutdown();
    }

    private void at(long ms, DigitalInput pin, DigitalState state) {
        now.set(ms * MS);
        MockPins.drive(pin, state);
    }

    @Test
    void countsDebouncedFallingPulsesAndFeedsAnS0MeterSource() throws Exception {
        Pi4jS0Input s0 = Pi4jS0Input.create(pi4j, S0InputConfig.pullUpToGround(5), now::get);
        DigitalInput pin = s0.input();
        assertEquals(5, pin.address());
        assertEquals(PullResistance.PULL_UP, pin.config().pull());
        at(1_500, pin, DigitalState.HIGH); // idle level with the pull-up
        S0MeterSource meter = new S0MeterSource(s0, new PulseEnergy(800), 10_000, "S0-800");
        long t = 2_000;
        for (int i = 0; i < 8; i++, t += 1_000) {
            at(t, pin, DigitalState.LOW); // pulse starts: S0 closes to ground
            at(t + 1, pin, DigitalState.HIGH); // 1 ms bounce
            at(t + 2, pin, DigitalState.LOW);
            at(t + 40, pin, DigitalState.HIGH); // pulse ends after 38 ms
        }
        now.set(t * MS);
        assertEquals(8, s0.count().pulses());
        assertEquals(1_000 * MS, s0.count().lastPeriodNanos());
        assertEquals(10_010, meter.read().importWh(), "8 pulses at 800 imp/kWh = 10 Wh");
        assertEquals(4_500.0, meter.read().totalPowerW(), 1e-6, "1.25 Wh a second");
        meter.close();
        assertFalse(pi4j.registry().exists("s0-5"), "closing the meter frees the pin");
    }

    @Test
    void risingEdgeConfigurationCountsHighPulsesAndRejectsShortOnes() throws Exception {
        S0InputConfig config = new S0InputConfig(6, true, Pull.DOWN, Duration.ofMillis(20));
        try (Pi4jS0Input s0 = Pi4jS0Input.create(pi4j, config, now::get)) {
            DigitalInput pin = s0.input();
            assertEquals(PullResistance.PULL_DOWN, pin.config().pull());
            at(1_100, pin, DigitalState.LOW);
            at(1_200, pin, DigitalState.HIGH);
            at(1_210, pin, DigitalState.LOW); // 10 ms: interference, not a pulse
            at(1_300, pin, DigitalState.HIGH);
            at(1_330, pin, DigitalState.LOW);
            now.set(2_000 * MS);
            assertEquals(1, s0.count().pulses());
        }
    }

    @Test
    void borrowedInputIsLeftToItsOwner() throws Exception {
        var input = Pi4jPins.input(pi4j, "s0-borrowed", "S0 pulse input", 7, Pull.UP);
        Pi4jS0Input s0 = Pi4jS0Input.using(input, S0InputConfig.pullUpToGround(7), now::get);
        s0.close();
        assertTrue(pi4j.registry().exists("s0-borrowed"));
        // Edges after close are not counted.
        MockPins.drive(input, DigitalState.LOW);
        now.addAndGet(100 * MS);
        assertEquals(0, s0.count().pulses());
    }

    @Test
    void pinThatCannotBeClaimedIsAGpioErrorNamingIt() throws Exception {
        Pi4jS0Input.create(pi4j, S0InputConfig.pullUpToGround(8), now::get);
        GpioException e = assertThrows(GpioException.class,
                () -> Pi4jS0Input.create(pi4j, S0InputConfig.pullUpToGround(8), now::get));
        assertEquals(8, e.pin());
        assertTrue(e.getMessage().startsWith("S0 pulse input gpio 8: cannot create input: "), e.getMessage());
    }

    @Test
    void configOutsideTheS0LimitsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new S0InputConfig(5, false, Pull.UP, Duration.ofMillis(31)));
        assertEquals("s0 debounce: expected 0..30 ms (S0 pulses and pauses last ≥ 30 ms), got 31 ms", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new S0InputConfig(64, false, Pull.UP, Duration.ZERO));
        assertEquals("s0 pin: expected a GPIO number 0..63, got 64", e.getMessage());
    }
}
