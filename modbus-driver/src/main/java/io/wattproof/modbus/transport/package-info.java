/**
 * Byte transports under an RTU master or slave: jSerialComm serial ports (with RS-485 direction
 * control by the port's own RS-485 mode or by a DE/RE GPIO pin) and TCP sockets to serial
 * gateways (RTU over TCP). They move bytes and translate I/O failures into {@link
 * io.wattproof.modbus.ModbusIoException}; nothing here knows a frame.
 */
package io.wattproof.modbus.transport;
