package io.wattproof.modbus.maps;

import java.util.Objects;

/**
 * One reason a map file cannot be used: the file, the field (a path such as {@code
 * values.voltage_l1.type}), what the schema expects there and what the file has. Text taken from
 * the file is quoted in {@code actual}.
 */
public record MapProblem(String origin, String field, String expected, String actual) {
    public MapProblem {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(actual, "actual");
    }

    /** E.g. {@code "sdm630.yaml: values.voltage_l1.type: expected one of int16, ..., actual 'flaot32'"}. */
    public String message() {
        return origin + ": " + field + ": expected " + expected + ", actual " + actual;
    }
}
