package io.wattproof.modbus.transport;

import io.wattproof.modbus.ModbusIoException;

/**
 * Switches an RS-485 transceiver between driving the bus and listening. A two-wire bus is half
 * duplex (Serial Line V1.02 section 3.3.3): the driver is enabled for exactly the time a frame is on
 * the wire, and released before the addressed node starts its answer.
 */
public interface DirectionControl extends AutoCloseable {

    /** Enables the driver: what follows is sent on the bus. */
    void transmit() throws ModbusIoException;

    /** Disables the driver so that other nodes can send; the receiver listens. */
    void receive() throws ModbusIoException;

    /** Leaves the transceiver receiving and releases what it holds (a GPIO line). */
    @Override
    void close();
}
