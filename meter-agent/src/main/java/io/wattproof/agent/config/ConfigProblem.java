package io.wattproof.agent.config;

import java.util.Objects;

/**
 * One reason a configuration cannot be used: the file, the field (a path such as {@code
 * mqtt.broker}), what the schema expects there and what the file has.
 */
public record ConfigProblem(String origin, String field, String expected, String actual) {
    public ConfigProblem {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(actual, "actual");
    }

    /** E.g. {@code "agent.yaml: mqtt.broker: expected tcp://HOST:PORT or ssl://HOST:PORT, actual 'x'"}. */
    public String message() {
        return origin + ": " + field + ": expected " + expected + ", actual " + actual;
    }
}
