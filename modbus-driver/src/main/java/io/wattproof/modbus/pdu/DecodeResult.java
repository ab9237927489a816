package io.wattproof.modbus.pdu;

import java.util.Objects;

/**
 * Outcome of decoding untrusted bytes: a value, or the {@link Violation} that prevented one.
 * Decoders return this instead of throwing, so a caller must decide what a malformed message means
 * (close the connection, report a protocol error) with an exhaustive {@code switch}.
 */
public sealed interface DecodeResult<T> {

    record Decoded<T>(T value) implements DecodeResult<T> {
        public Decoded {
            Objects.requireNonNull(value, "value");
        }
    }

    record Invalid<T>(Violation violation) implements DecodeResult<T> {
        public Invalid {
            Objects.requireNonNull(violation, "violation");
        }
    }

    static <T> DecodeResult<T> invalid(String field, String expected, String actual, byte[] bytes) {
        return new Invalid<>(Violation.of(field, expected, actual, bytes));
    }
}
