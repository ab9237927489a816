package io.wattproof.agent.gpio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalState;
import io.wattproof.modbus.testing.MockPi4j;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The relay output and its feedback contact on Pi4J's mock platform. */
class Pi4jRelayTest {
    private Context pi4j;

    @BeforeEach
    void startPi4j() {
        pi4j = MockPi4j.context();
    }

    @AfterEach
    void stopPi4j() {
        pi4j.shutdown();
    }

    @Test
    void anActiveHighRelayStartsOpenAndFollowsItsCommands() throws Exception {
        Pi4jRelay relay = Pi4jRelay.create(pi4j, RelayConfig.withoutFeedback(17, true));
        assertEquals(DigitalState.LOW, relay.output().state());
        assertFalse(relay.isClosed());
        relay.close();
        assertEquals(DigitalState.HIGH, relay.output().state());
        assertTrue(relay.isClosed());
        relay.open();
        assertEquals(DigitalState.LOW, relay.output().state());
        assertFalse(relay.isClosed());
        assertEquals(Optional.empty(), relay.feedbackClosed());
        relay.release();
    }

    @Test
    void anActiveLowRelayIsDrivenInverted() throws Exception {
        Pi4jRelay relay = Pi4jRelay.create(pi4j, RelayConfig.withoutFeedback(17, false));
        assertEquals(DigitalState.HIGH, relay.output().state(), "open at creation");
        relay.close();
        assertEquals(DigitalState.LOW, relay.output().state());
        relay.release();
        assertFalse(relay.isClosed(), "released open");
    }

    @Test
    void theFeedbackContactIsReadWithItsPolarity() throws Exception {
        Pi4jRelay relay = Pi4jRelay.create(pi4j, new RelayConfig(17, true, OptionalInt.of(27), false, Pull.UP));
        var input = relay.feedback().orElseThrow();
        MockPins.drive(input, DigitalState.HIGH);
        assertEquals(Optional.of(false), relay.feedbackClosed());
        MockPins.drive(input, DigitalState.LOW);
        assertEquals(Optional.of(true), relay.feedbackClosed());
        relay.release();
    }

    @Test
    void aPinAlreadyInUseIsAGpioExceptionNamingThePin() throws Exception {
        Pi4jRelay first = Pi4jRelay.create(pi4j, RelayConfig.withoutFeedback(17, true));
        GpioException e = assertThrows(GpioException.class, () -> Pi4jRelay.create(pi4j, RelayConfig.withoutFeedback(17, true)));
        assertEquals(17, e.pin());
        first.release();
    }

    @Test
    void theBoardProfilesRelayLineGivesPinAndPolarity() {
        var low = RelayConfig.fromBoard(new io.wattproof.agent.board.BoardProfile.OutputPin(27, io.wattproof.agent.board.BoardProfile.Level.LOW));
        assertEquals(27, low.pin());
        assertFalse(low.activeHigh());
        assertEquals(OptionalInt.empty(), low.feedbackPin());
        assertTrue(RelayConfig.fromBoard(new io.wattproof.agent.board.BoardProfile.OutputPin(27, io.wattproof.agent.board.BoardProfile.Level.HIGH)).activeHigh());
    }

    @Test
    void badPinsAreRefusedNamingTheField() {
        assertEquals("relay pin: expected BCM 0..27, got 28",
                assertThrows(IllegalArgumentException.class, () -> RelayConfig.withoutFeedback(28, true)).getMessage());
        assertEquals("relay feedback pin: expected BCM 0..27 other than 17, got 17",
                assertThrows(IllegalArgumentException.class, () -> new RelayConfig(17, true, OptionalInt.of(17), true, Pull.OFF)).getMessage());
    }
}
