package io.wattproof.modbus.pdu;

import java.util.Objects;

/**
 * A rule of the Modbus specification that received bytes break: which field, what the rule
 * expects, what arrived, and the offending bytes in hex (empty when the violation is not about
 * received bytes).
 */
public record Violation(String field, String expected, String actual, String hex) {
    public Violation {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(actual, "actual");
        Objects.requireNonNull(hex, "hex");
    }

    public static Violation of(String field, String expected, String actual, byte[] bytes) {
        return new Violation(field, expected, actual, Hex.bytes(bytes));
    }

    /** E.g. {@code "byte count: expected 4, actual 6 (bytes 04 06 43 66 00 00 00 00 00 00)"}. */
    public String message() {
        String base = field + ": expected " + expected + ", actual " + actual;
        return hex.isEmpty() ? base : base + " (bytes " + hex + ")";
    }
}
