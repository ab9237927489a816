/**
 * Benchmarks of the Modbus driver, compiled and run by hand (not by the build): {@link
 * io.wattproof.modbus.bench.RtuMasterBench} measures transactions per second and CPU time per
 * transaction of {@link io.wattproof.modbus.master.ModbusRtuMaster} against j2mod's RTU master on
 * the same socat pseudo-terminal pair, both served by one {@link
 * io.wattproof.modbus.slave.ModbusRtuSlave} in a separate JVM ({@link
 * io.wattproof.modbus.bench.RtuBenchSlave}). Commands and results: docs/benchmarks.md.
 */
package io.wattproof.modbus.bench;
