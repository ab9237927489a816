/**
 * Modbus protocol data units (PDUs): one record per request and response (FC 03, 04, 06, 16 and
 * 43/14), and {@link io.wattproof.modbus.pdu.PduCodec}, a pure codec between those records and the
 * bytes of Modbus Application Protocol Specification V1.1b3 section 6 and 7.
 *
 * <p>A PDU is the part of a Modbus message that does not depend on the link (function code and
 * data); TCP wraps it in an MBAP header ({@code frame.tcp}), RTU will wrap it in a unit address
 * and CRC. The codec does no I/O, keeps no state and never throws on input from the wire:
 * bytes that break a rule of the specification, or a response that does not answer its request
 * (a write echo that differs), decode to a {@link io.wattproof.modbus.pdu.Violation} naming the
 * field, the expected and the actual value, never to a request or response. Device identification
 * by stream access is a pure state machine too ({@link
 * io.wattproof.modbus.pdu.DeviceIdentificationStream}), and the server's answer to it a pure
 * function ({@link io.wattproof.modbus.pdu.DeviceIdentification#answer}). Record constructors,
 * which only our own code calls, reject out-of-range values with {@link IllegalArgumentException}.
 */
package io.wattproof.modbus.pdu;
