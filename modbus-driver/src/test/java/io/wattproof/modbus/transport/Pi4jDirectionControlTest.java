package io.wattproof.modbus.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import io.wattproof.modbus.ModbusIoException;
import io.wattproof.modbus.testing.MockPi4j;
import io.wattproof.modbus.transport.SerialLineConfig.Direction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class Pi4jDirectionControlTest {
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
    void activeHighPinStartsReceivingAndFollowsTransmitAndReceive() throws Exception {
        Pi4jDirectionControl control = Pi4jDirectionControl.create(pi4j, new Direction.GpioPin(17, true));
        DigitalOutput pin = control.output();
        assertEquals(17, pin.address());
        assertEquals(DigitalState.LOW, pin.state());
        assertFalse(control.isTransmitting());
        control.transmit();
        assertEquals(DigitalState.HIGH, pin.state());
        assertTrue(control.isTransmitting());
        control.receive();
        assertEquals(DigitalState.LOW, pin.state());
    }

    @Test
    void activeLowPinIsInverted() throws Exception {
        Pi4jDirectionControl control = Pi4jDirectionControl.create(pi4j, new Direction.GpioPin(27, false));
        assertEquals(DigitalState.HIGH, control.output().state());
        control.transmit();
        assertEquals(DigitalState.LOW, control.output().state());
        control.receive();
        assertEquals(DigitalState.HIGH, control.output().state());
    }

    @Test
    void closeLeavesTheBusReleasedAndFreesTheCreatedPin() throws Exception {
        Pi4jDirectionControl control = Pi4jDirectionControl.create(pi4j, new Direction.GpioPin(22, true));
        control.transmit();
        control.close();
        assertEquals(DigitalState.LOW, control.output().state());
        assertFalse(pi4j.registry().exists("rs485-de-22"));
        control.close(); // twice is harmless
        // The pin can be claimed again.
        Pi4jDirectionControl.create(pi4j, new Direction.GpioPin(22, true)).close();
    }

    @Test
    void borrowedPinIsSetToReceiveAndLeftToItsOwner() throws Exception {
        DigitalOutput output = pi4j.create(DigitalOutput.newConfigBuilder(pi4j).id("de").address(23)
                .initial(DigitalState.HIGH).build());
        Pi4jDirectionControl control = Pi4jDirectionControl.using(output, true);
        assertEquals(DigitalState.LOW, output.state());
        control.transmit();
        control.close();
        assertEquals(DigitalState.LOW, output.state());
        assertTrue(pi4j.registry().exists("de"));
    }

    @Test
    void pinThatCannotBeCreatedIsAnIoError() throws Exception {
        Pi4jDirectionControl.create(pi4j, new Direction.GpioPin(24, true));
        ModbusIoException e = assertThrows(ModbusIoException.class,
                () -> Pi4jDirectionControl.create(pi4j, new Direction.GpioPin(24, true)));
        assertTrue(e.getMessage().startsWith("rs485 direction gpio 24: cannot create output: "), e.getMessage());
    }
}
