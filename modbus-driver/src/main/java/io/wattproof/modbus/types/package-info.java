/**
 * Values wider or other than one unsigned 16-bit register: signed 16-bit, 32-bit integers and
 * IEEE 754 float32 spread over two registers, as pure conversion functions.
 *
 * <p>The Modbus specification fixes the byte order inside a register (big-endian, Application
 * Protocol V1.1b3 section 4.2) but says nothing about how 32-bit values span two registers, so
 * devices differ: Eastron meters send the high word first, other devices and tools such as mbpoll
 * default to the low word first. {@link io.wattproof.modbus.types.WordOrder} makes that choice
 * explicit; high word first is the default.
 */
package io.wattproof.modbus.types;
