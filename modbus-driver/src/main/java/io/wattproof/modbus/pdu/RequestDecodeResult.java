package io.wattproof.modbus.pdu;

import java.util.Objects;

/**
 * Outcome of decoding a request PDU on the server side. Unlike a client, a server must answer a
 * request it cannot serve with an exception response, and which exception code it sends is
 * prescribed by the state diagrams of Modbus Application Protocol V1.1b3 sections 6.3 and 6.4
 * (unsupported function: 0x01; quantity out of range: 0x03; address range overflow: 0x02).
 */
public sealed interface RequestDecodeResult {

    /** A well-formed request of a function this driver implements. */
    record Decoded(ModbusRequest request) implements RequestDecodeResult {
        public Decoded {
            Objects.requireNonNull(request, "request");
        }
    }

    /** A request the server answers with {@code response}; {@code violation} says why. */
    record Refused(ExceptionResponse response, Violation violation) implements RequestDecodeResult {
        public Refused {
            Objects.requireNonNull(response, "response");
            Objects.requireNonNull(violation, "violation");
        }
    }

    /**
     * Bytes without a usable function code (empty, 0x00, or 0x80..0xff, which section 7 reserves
     * for exception responses): there is no function to address an exception response to, so the
     * server does not answer.
     */
    record Malformed(Violation violation) implements RequestDecodeResult {
        public Malformed {
            Objects.requireNonNull(violation, "violation");
        }
    }
}
