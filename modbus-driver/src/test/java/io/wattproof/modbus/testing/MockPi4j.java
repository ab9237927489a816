package io.wattproof.modbus.testing;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;

/** Pi4J 3.0.3 contexts on the mock platform: GPIO without a board, for tests. */
public final class MockPi4j {
    private MockPi4j() {}

    /** A context whose digital inputs and outputs are mocks; shut it down after the test. */
    public static Context context() {
        return Pi4J.newContextBuilder()
                .add(new MockPlatform())
                .add(MockDigitalInputProvider.newInstance(), MockDigitalOutputProvider.newInstance())
                .build();
    }
}
