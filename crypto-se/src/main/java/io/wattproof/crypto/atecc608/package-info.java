/**
 * A {@link io.wattproof.crypto.DeviceKey} whose P-256 private key is generated inside a Microchip
 * ATECC608A/B secure element and never leaves it. The chip is reached over I2C through a small seam
 * of our own ({@link io.wattproof.crypto.atecc608.I2cBus}, with a Pi4J adapter), so the protocol
 * code — wake/idle/sleep, command packets with their CRC-16, polling for the result, status codes,
 * bounded retries — runs the same against a real bus and against a test double of the chip.
 * References are to the ATECC608A/B data sheets (DS40001977, DS40002239) and their "TFLXTLS"/
 * "TNGTLS" companion documents, which share the I/O chapters ("I2C Interface", "Status/Error
 * Codes", "Device Commands").
 */
package io.wattproof.crypto.atecc608;
