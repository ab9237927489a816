/**
 * Byte transports under an RTU master or slave: jSerialComm serial ports (with RS-485 direction
 * control by the port's own RS-485 mode or by a DE/RE GPIO pin) and TCP sockets to serial
 * gateways (RTU over TCP). They move bytes and translate I/O failures into {@link
 * io.wattproof.modbus.ModbusIoException}; nothing here knows a frame. jSerialComm's native library
 * is loaded from a directory only the process's user can write (see {@code JSerialCommLoader}),
 * never from the world-writable {@code /tmp/jSerialComm} it would use by itself.
 */
package io.wattproof.modbus.transport;
