/**
 * SunSpec devices: finding the "SunS" marker and walking the chain of models (SunSpec Information
 * Model Specification: a device maps models one after the other into holding registers, each
 * starting with its ID and length L, ended by ID 0xFFFF), reading the common model's identity, and
 * locating the first meter model (201 single phase, 202 split phase, 203 wye, 204 delta) so that the
 * built-in map of that model can be read with {@link io.wattproof.modbus.maps.MeterReader}.
 *
 * <p>The chain comes from the device and is not trusted: {@link
 * io.wattproof.modbus.maps.sunspec.ModelChain} is a pure walker that refuses lengths running past
 * register 65535 and stops after {@value io.wattproof.modbus.maps.sunspec.ModelChain#MAX_MODELS}
 * models, so a device that lies cannot make discovery loop or read out of range.
 */
package io.wattproof.modbus.maps.sunspec;
