package io.wattproof.agent.gpio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import io.wattproof.modbus.testing.MockPi4j;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tamper input on Pi4J's mock platform, with a manually advanced timer. */
class Pi4jTamperInputTest {
    private static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");
    private Context pi4j;
    private final ManualGpioTimer timer = new ManualGpioTimer(0);
    private final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
    private final TamperLatch latch = new TamperLatch();
    private final List<TamperEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startPi4j() {
        pi4j = MockPi4j.context();
    }

    @AfterEach
    void stopPi4j() {
        pi4j.shutdown();
    }

    private static TamperInputConfig coverSwitch(int pin) {
        // Normally-closed cover switch to ground, pull-up: lifting the cover lets the pin go high.
        return new TamperInputConfig(pin, true, Pull.UP, Duration.ofMillis(50));
    }

    @Test
    void heldActivationLatchesTheFlagAndTellsTheListenerOnce() throws Exception {
        try (Pi4jTamperInput tamper = Pi4jTamperInput.create(pi4j, coverSwitch(12), latch, events::add, timer, clock)) {
            DigitalInput pin = tamper.input();
            assertEquals(PullResistance.PULL_UP, pin.config().pull());
            MockPins.drive(pin, DigitalState.LOW);
            timer.advance(Duration.ofSeconds(1));
            assertFalse(latch.isLatched());

            MockPins.drive(pin, DigitalState.HIGH);
            timer.advance(Duration.ofMillis(49));
            assertFalse(latch.isLatched(), "not before the debounce time");
            assertEquals(List.of(), events);
            timer.advance(Duration.ofMillis(1));
            assertTrue(latch.isLatched());
            assertTrue(tamper.isActive());
            assertEquals(List.of(new TamperEvent(T0, true, 12)), events);

            MockPins.drive(pin, DigitalState.LOW);
            timer.advance(Duration.ofSeconds(1));
            assertEquals(List.of(new TamperEvent(T0, true, 12), new TamperEvent(T0, false, 12)), events);
            assertTrue(latch.isLatched(), "closing the cover does not clear the record flag");
        }
        assertFalse(pi4j.registry().exists("tamper-12"));
    }

    @Test
    void bouncesShorterThanTheDebounceTimeAreIgnored() throws Exception {
        try (Pi4jTamperInput tamper = Pi4jTamperInput.create(pi4j, coverSwitch(13), latch, events::add, timer, clock)) {
            DigitalInput pin = tamper.input();
            MockPins.drive(pin, DigitalState.LOW);
            timer.advance(Duration.ofSeconds(1));
            for (int i = 0; i < 20; i++) { // a knock on the housing rattles the switch
                MockPins.drive(pin, DigitalState.HIGH);
                timer.advance(Duration.ofMillis(3));
                MockPins.drive(pin, DigitalState.LOW);
                timer.advance(Duration.ofMillis(7));
            }
            timer.advance(Duration.ofSeconds(1));
            assertFalse(latch.isLatched());
            assertEquals(List.of(), events);
        }
    }

    @Test
    void activeLowInputThatIsAlreadyActiveAtStartCountsAsTampering() throws Exception {
        var input = Pi4jPins.input(pi4j, "tamper-borrowed", "tamper input", 14, Pull.DOWN);
        MockPins.drive(input, DigitalState.LOW);
        TamperInputConfig config = new TamperInputConfig(14, false, Pull.DOWN, Duration.ofMillis(20));
        try (Pi4jTamperInput tamper = Pi4jTamperInput.using(input, config, latch, events::add, timer, clock)) {
            timer.advance(Duration.ofMillis(20));
            assertTrue(latch.isLatched());
            assertEquals(List.of(new TamperEvent(T0, true, 14)), events);
        }
        assertTrue(pi4j.registry().exists("tamper-borrowed"), "a borrowed input stays with its owner");
    }

    @Test
    void afterCloseNothingIsReported() throws Exception {
        Pi4jTamperInput tamper = Pi4jTamperInput.create(pi4j, coverSwitch(15), latch, events::add, timer, clock);
        DigitalInput pin = tamper.input();
        MockPins.drive(pin, DigitalState.LOW);
        timer.advance(Duration.ofSeconds(1));
        MockPins.drive(pin, DigitalState.HIGH);
        tamper.close();
        timer.advance(Duration.ofSeconds(1));
        assertFalse(latch.isLatched());
        assertEquals(List.of(), events);
    }
}
