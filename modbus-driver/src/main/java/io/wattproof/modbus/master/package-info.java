/**
 * Modbus clients ("masters" in the meter vendors' words): the {@link
 * io.wattproof.modbus.master.ModbusMaster} interface that register maps read through, and {@link
 * io.wattproof.modbus.master.ModbusTcpMaster}, which sends one request at a time over a plain
 * socket with MBAP framing.
 *
 * <p>A master implements one method, {@code execute(unitId, request)}, that sends a request record
 * and returns the response that answers it; the read, write and device identification methods are
 * built on it. An RTU master over a
 * serial transport will implement the same method with RTU framing. Masters do not log: every
 * failure is a {@link io.wattproof.modbus.ModbusException} carrying its data, and the caller logs
 * the outcome once.
 */
package io.wattproof.modbus.master;
