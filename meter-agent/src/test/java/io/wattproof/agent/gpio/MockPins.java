package io.wattproof.agent.gpio;

import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;

/** Drives inputs of Pi4J's mock platform, behind the DigitalInput the code under test holds. */
final class MockPins {
    private MockPins() {}

    /** Sets the level of a mock input; Pi4J tells its listeners at once, on this thread. */
    static void drive(DigitalInput input, DigitalState state) {
        ((MockDigitalInput) input).mockState(state);
    }
}
