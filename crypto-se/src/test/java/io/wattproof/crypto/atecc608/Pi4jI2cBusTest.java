package io.wattproof.crypto.atecc608;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.i2c.MockI2CProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The adapter on Pi4J 3.0.3's mock I2C provider, whose devices hand back what was written to them
 * (a FIFO per device): what the adapter writes reaches Pi4J unchanged, and what Pi4J reads comes
 * back unchanged.
 */
class Pi4jI2cBusTest {
    private Context context;

    @AfterEach
    void shutdown() {
        if (context != null) {
            context.shutdown();
        }
    }

    @Test
    void bytesPassThroughBothWays() throws Exception {
        context = Pi4J.newContextBuilder().add(new MockPlatform()).add(MockI2CProvider.newInstance()).build();
        try (Pi4jI2cBus bus = Pi4jI2cBus.open(context, 1)) {
            byte[] command = new Command(Opcode.INFO, 0x00, 0x0000, new byte[0], 4).i2cWrite();
            assertTrue(bus.write(0x60, command));
            assertArrayEquals(command, bus.read(0x60, command.length).orElseThrow());
        }
    }

    @Test
    void theWakePulseIsAZeroByteToTheGeneralCallAddress() throws Exception {
        context = Pi4J.newContextBuilder().add(new MockPlatform()).add(MockI2CProvider.newInstance()).build();
        try (Pi4jI2cBus bus = Pi4jI2cBus.open(context, 1)) {
            bus.wakePulse();
            assertArrayEquals(new byte[] {0x00}, bus.read(0x00, 1).orElseThrow());
            assertTrue(bus.read(0x60, 1).isEmpty(), "nothing was written to the device itself");
        }
    }

    @Test
    void aContextWithoutAnI2cProviderIsRefusedClearly() {
        context = Pi4J.newContextBuilder().add(new MockPlatform()).build();
        Atecc608Failure.BusUnavailable e = assertThrows(Atecc608Failure.BusUnavailable.class, () -> Pi4jI2cBus.open(context, 1));
        assertTrue(e.getMessage().startsWith("i2c bus 1: expected a pi4j i2c provider"), e.getMessage());
    }
}
