/**
 * A Modbus TCP server ("slave"): {@link io.wattproof.modbus.slave.ModbusTcpSlave} accepts
 * connections, frames requests with the same MBAP parser and PDU codec the master uses, and serves
 * them from a {@link io.wattproof.modbus.slave.RegisterBank} through {@code RequestHandler}, the
 * link-independent part (PDU in, response out) that an RTU slave shares. The simulator's virtual
 * meters and the loopback tests of the master are built on it.
 *
 * <p>The server only moves bytes and maps failures to exception responses (Application Protocol
 * V1.1b3 section 7); what the registers hold is the bank's business. A bank serves reads; writes
 * (FC 06, 16) and device identification (FC 43/14) are refused with 0x01 unless the bank offers
 * them. It logs connection outcomes and bank failures through slf4j, never request contents.
 */
package io.wattproof.modbus.slave;
