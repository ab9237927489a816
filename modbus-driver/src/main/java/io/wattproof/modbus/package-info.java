/**
 * The checked failures of this module, shared by masters, slaves and register maps: {@link
 * io.wattproof.modbus.ModbusException} and its subclasses, each carrying the data of what went
 * wrong (the timeout, the exception code, the field with expected and actual values and the bytes
 * in hex, the I/O cause) so that the caller, not this library, decides what to log.
 *
 * <p>Subpackages: {@code pdu} (requests, responses, codec), {@code frame.tcp} (MBAP framing),
 * {@code types} (float32 and 32-bit integers over registers), {@code master} (clients), {@code
 * slave} (servers), {@code maps} (register maps of meters).
 */
package io.wattproof.modbus;
