package io.wattproof.agent.gpio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import io.wattproof.modbus.testing.MockPi4j;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The LED driver on Pi4J's mock output: the sequence of output states against the manual timer. */
class StatusLedTest {
    private static final long MS = 1_000_000;
    private Context pi4j;
    private final ManualGpioTimer timer = new ManualGpioTimer(0);
    /** "t_ms:STATE" for each change of the output. */
    private final List<String> changes = new ArrayList<>();

    @BeforeEach
    void startPi4j() {
        pi4j = MockPi4j.context();
    }

    @AfterEach
    void stopPi4j() {
        pi4j.shutdown();
    }

    private StatusLed led(int pin, boolean activeHigh) throws GpioException {
        StatusLed led = StatusLed.create(pi4j, pin, activeHigh, timer);
        DigitalOutput out = pi4j.registry().get("status-led-" + pin, DigitalOutput.class);
        out.addListener(e -> changes.add(timer.nanoTime() / MS + ":" + e.state()));
        return led;
    }

    @Test
    void bufferingOfflineFlashesShortlyEveryTwoSeconds() throws Exception {
        try (StatusLed led = led(21, true)) {
            led.show(LedPattern.BUFFERING_OFFLINE);
            timer.advance(Duration.ofMillis(4_500));
            assertEquals(List.of("0:HIGH", "100:LOW", "2000:HIGH", "2100:LOW", "4000:HIGH", "4100:LOW"), changes);
        }
    }

    @Test
    void faultBlinksFastAndUnprovisionedSlowly() throws Exception {
        try (StatusLed led = led(21, true)) {
            led.show(LedPattern.FAULT);
            timer.advance(Duration.ofMillis(450));
            assertEquals(List.of("0:HIGH", "100:LOW", "200:HIGH", "300:LOW", "400:HIGH"), changes);
            changes.clear();
            led.show(LedPattern.UNPROVISIONED); // starts over with its on phase
            timer.advance(Duration.ofMillis(2_000));
            // On at 450 (already on: no change), then 500 ms off, 500 ms on.
            assertEquals(List.of("950:LOW", "1450:HIGH", "1950:LOW", "2450:HIGH"), changes);
            assertEquals(1, timer.pendingTasks(), "the fault pattern's next step was cancelled");
        }
    }

    @Test
    void onlineIsSteadyAndActiveLowIsInverted() throws Exception {
        try (StatusLed led = led(20, false)) {
            led.show(LedPattern.ONLINE);
            timer.advance(Duration.ofSeconds(60));
            assertEquals(List.of("0:LOW"), changes, "on once, no further changes");
            assertEquals(0, timer.pendingTasks());
            led.show(LedPattern.ONLINE);
            assertEquals(List.of("0:LOW"), changes, "showing the same pattern again changes nothing");
        }
        assertEquals(List.of("0:LOW", "60000:HIGH"), changes, "off after close");
        assertFalse(pi4j.registry().exists("status-led-20"));
    }

    @Test
    void patternThatIsReplacedLeavesNoStaleStep() throws Exception {
        try (StatusLed led = led(22, true)) {
            led.show(LedPattern.FAULT);
            timer.advance(Duration.ofMillis(50));
            led.show(LedPattern.ONLINE);
            timer.advance(Duration.ofSeconds(10));
            // FAULT set it on at 0; ONLINE sets on again (no change event); nothing turns it off.
            assertEquals(List.of("0:HIGH"), changes);
        }
    }
}
