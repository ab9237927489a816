/**
 * Register maps of meters: which register holds which quantity in which unit and encoding, how to
 * read them in few requests, and a register image that serves them back for simulators.
 *
 * <p>The first map is the Eastron SDM630 (SDM630-Modbus v2 protocol document, input registers,
 * FC 04, float32 high word first). Every value read is checked before it becomes a {@link
 * io.wattproof.modbus.maps.MeterValues}: a NaN or infinite float from a meter is a corrupted
 * reading and fails the read. Maps loaded from configuration files will sit next to the built-in
 * ones here.
 */
package io.wattproof.modbus.maps;
