/**
 * Modbus TCP framing: the MBAP header (Modbus Messaging on TCP/IP Implementation Guide V1.0b
 * section 3.1.3) that carries a PDU over a TCP stream, as a record ({@link
 * io.wattproof.modbus.frame.tcp.MbapFrame}) and a pure incremental parser ({@link
 * io.wattproof.modbus.frame.tcp.MbapParser}).
 *
 * <p>TCP delivers a byte stream, not messages: one read may hold half a header or two frames.
 * The parser is an immutable state fed whatever bytes arrived, so the socket code that feeds it
 * stays trivial and the parser can be tested by splitting frames at every position. Nothing here
 * does I/O; RTU framing (unit address + PDU + CRC) will be a sibling package.
 */
package io.wattproof.modbus.frame.tcp;
