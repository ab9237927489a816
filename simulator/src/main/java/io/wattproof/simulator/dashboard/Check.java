package io.wattproof.simulator.dashboard;

import java.util.Objects;

/**
 * The outcome of one check the dashboard ran itself, with what decided it in words: the verified
 * facts when it passed, the failing values when it did not.
 */
public record Check(boolean passed, String detail) {
    public Check {
        Objects.requireNonNull(detail, "detail");
    }

    public static Check passed(String detail) {
        return new Check(true, detail);
    }

    public static Check failed(String detail) {
        return new Check(false, detail);
    }
}
