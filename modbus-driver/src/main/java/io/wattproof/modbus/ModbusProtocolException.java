package io.wattproof.modbus;

import io.wattproof.modbus.pdu.Violation;
import java.util.Objects;

/**
 * The peer sent something that breaks the protocol or does not answer the request: wrong
 * transaction id, unit id or function code, a malformed frame or PDU, or a register value a map
 * cannot accept (a NaN energy reading). Carries the field, expected and actual values, and the
 * bytes in hex, and a {@link Kind} for callers that count line faults. A master closes its
 * connection (or, on a serial line, waits for silence) after one, since the stream may be out of
 * step.
 */
public final class ModbusProtocolException extends ModbusException {

    /** What kind of rule the received bytes broke. */
    public enum Kind {
        /** A frame whose CRC does not match (RTU); the bytes were corrupted on the line. */
        CRC_ERROR,
        /** The start of a frame whose remaining bytes never arrived. */
        TRUNCATED_FRAME,
        /** Bytes in which no frame starts. */
        NOISE,
        /** A well-formed answer from another unit than the one asked. */
        UNEXPECTED_UNIT,
        /** A well-formed answer to another function than the one asked. */
        UNEXPECTED_FUNCTION,
        /** A TCP answer with another transaction id than the request's. */
        UNEXPECTED_TRANSACTION,
        /** A frame or PDU that breaks a length, count or field rule of the specification. */
        MALFORMED,
        /** A well-formed answer holding a value the reader refuses (NaN energy, out of range). */
        INVALID_VALUE
    }

    private final Kind kind;
    private final Violation violation;

    public ModbusProtocolException(Kind kind, Violation violation) {
        super(violation.message());
        this.kind = Objects.requireNonNull(kind, "kind");
        this.violation = Objects.requireNonNull(violation, "violation");
    }

    public ModbusProtocolException(Violation violation) {
        this(Kind.MALFORMED, violation);
    }

    public ModbusProtocolException(Kind kind, String field, String expected, String actual, String hex) {
        this(kind, new Violation(field, expected, actual, hex));
    }

    public ModbusProtocolException(String field, String expected, String actual, String hex) {
        this(Kind.MALFORMED, new Violation(field, expected, actual, hex));
    }

    public Kind kind() {
        return kind;
    }

    public Violation violation() {
        return violation;
    }

    public String field() {
        return violation.field();
    }

    public String expected() {
        return violation.expected();
    }

    public String actual() {
        return violation.actual();
    }

    /** The offending bytes as space-separated hex, or empty. */
    public String hex() {
        return violation.hex();
    }
}
