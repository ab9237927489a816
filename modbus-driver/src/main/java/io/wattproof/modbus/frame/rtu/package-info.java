/**
 * Modbus RTU framing (Modbus over Serial Line V1.02 section 2.5.1): the frame record, CRC-16,
 * the line's silence times, and a scanner that finds frames in received bytes and
 * resynchronises after noise. Pure: bytes in, values out; the serial port and the clock belong
 * to the master and slave that use it.
 */
package io.wattproof.modbus.frame.rtu;
