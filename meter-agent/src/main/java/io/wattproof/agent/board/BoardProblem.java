package io.wattproof.agent.board;

import java.util.Objects;

/**
 * One reason a profile cannot be used: the file, the field (a path such as {@code
 * gpio.relay.pin}), what the schema expects there and what the file has. Text taken from the file
 * is quoted in {@code actual}.
 */
public record BoardProblem(String origin, String field, String expected, String actual) {
    public BoardProblem {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(actual, "actual");
    }

    /** E.g. {@code "pi.yaml: gpio.relay.pin: expected a BCM GPIO number 0..27, actual 40"}. */
    public String message() {
        return origin + ": " + field + ": expected " + expected + ", actual " + actual;
    }
}
