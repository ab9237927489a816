/**
 * Values stored in Modbus registers: the data types of register maps (16-, 32- and 64-bit
 * integers, float32/float64, the SunSpec sunssf and acc32 types, ASCII strings) and pure
 * conversions between them and register values, both ways.
 *
 * <p>The Modbus specification fixes the byte order inside a register on the wire (big-endian,
 * Application Protocol V1.1b3 section 4.2) but says nothing about how wider values span several
 * registers, and a few devices even swap the bytes of each word. {@link
 * io.wattproof.modbus.types.WordOrder} and {@link io.wattproof.modbus.types.ByteOrder} make both
 * choices explicit; {@link io.wattproof.modbus.types.Encoding} applies them. High word first,
 * big-endian bytes is the default.
 */
package io.wattproof.modbus.types;
