package io.wattproof.modbus;

import io.wattproof.modbus.pdu.Violation;
import java.util.Objects;

/**
 * The peer sent something that breaks the protocol or does not answer the request: wrong
 * transaction id, unit id or function code, a malformed frame or PDU, or a register value a map
 * cannot accept (a NaN energy reading). Carries the field, expected and actual values, and the
 * bytes in hex. A master closes its connection after one, since the stream may be out of step.
 */
public final class ModbusProtocolException extends ModbusException {
    private final Violation violation;

    public ModbusProtocolException(Violation violation) {
        super(violation.message());
        this.violation = Objects.requireNonNull(violation, "violation");
    }

    public ModbusProtocolException(String field, String expected, String actual, String hex) {
        this(new Violation(field, expected, actual, hex));
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
