package io.wattproof.modbus.transport;

import com.pi4j.context.Context;
import com.pi4j.exception.Pi4JException;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import io.wattproof.modbus.ModbusIoException;
import java.io.IOException;
import java.util.Objects;

/**
 * Drives the DE/RE input of an RS-485 transceiver (MAX485 and the like, DE and /RE tied together)
 * from a GPIO output through Pi4J. The pin starts, and is left on shutdown, in the receive state, so
 * a stopped or crashed process never holds the bus.
 */
public final class Pi4jDirectionControl implements DirectionControl {
    private final DigitalOutput output;
    private final DigitalState transmitState;
    private final DigitalState receiveState;
    private final Context ownerContext; // non-null when this object created the output and shuts it down

    private Pi4jDirectionControl(DigitalOutput output, boolean activeHigh, Context ownerContext) {
        this.output = Objects.requireNonNull(output, "output");
        this.transmitState = activeHigh ? DigitalState.HIGH : DigitalState.LOW;
        this.receiveState = activeHigh ? DigitalState.LOW : DigitalState.HIGH;
        this.ownerContext = ownerContext;
    }

    /**
     * Creates the GPIO output for {@code pin} in {@code pi4j} (initial and shutdown state: receive)
     * and owns it: {@link #close()} shuts it down.
     */
    public static Pi4jDirectionControl create(Context pi4j, SerialLineConfig.Direction.GpioPin pin)
            throws ModbusIoException {
        Objects.requireNonNull(pi4j, "pi4j");
        Objects.requireNonNull(pin, "pin");
        DigitalState receive = pin.activeHigh() ? DigitalState.LOW : DigitalState.HIGH;
        DigitalOutput output;
        try {
            output = pi4j.create(DigitalOutput.newConfigBuilder(pi4j)
                    .id("rs485-de-" + pin.pin())
                    .name("RS-485 driver enable (DE/RE)")
                    .address(pin.pin())
                    .initial(receive)
                    .shutdown(receive)
                    .build());
        } catch (Pi4JException e) {
            throw new ModbusIoException("rs485 direction gpio " + pin.pin() + ": cannot create output: " + e.getMessage(),
                    new IOException(e));
        }
        return new Pi4jDirectionControl(output, pin.activeHigh(), pi4j);
    }

    /** Uses an output the caller created and keeps owning; sets it to receive now. */
    public static Pi4jDirectionControl using(DigitalOutput output, boolean activeHigh) throws ModbusIoException {
        Pi4jDirectionControl control = new Pi4jDirectionControl(output, activeHigh, null);
        control.receive();
        return control;
    }

    public DigitalOutput output() {
        return output;
    }

    /** True while the pin is in the transmit state. */
    public boolean isTransmitting() {
        return output.state() == transmitState;
    }

    @Override
    public void transmit() throws ModbusIoException {
        set(transmitState, "transmit");
    }

    @Override
    public void receive() throws ModbusIoException {
        set(receiveState, "receive");
    }

    private void set(DigitalState state, String what) throws ModbusIoException {
        try {
            output.state(state);
        } catch (Pi4JException e) {
            throw new ModbusIoException("rs485 direction gpio " + output.address() + ": cannot switch to " + what
                    + " (" + state + "): " + e.getMessage(), new IOException(e));
        }
    }

    @Override
    public void close() {
        try {
            output.state(receiveState);
        } catch (Pi4JException e) {
            // Best effort: shutting the output down below applies the receive state again.
        }
        if (ownerContext != null && !ownerContext.isShutdown()) {
            try {
                ownerContext.shutdown(output.id());
            } catch (Pi4JException e) {
                // Already shut down with its context, or never registered: nothing left to release.
            }
        }
    }

    @Override
    public String toString() {
        return "Pi4jDirectionControl[gpio " + output.address() + ", transmit " + transmitState + "]";
    }
}
