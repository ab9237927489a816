package io.wattproof.agent.provision;

import java.util.Objects;

/**
 * One line of {@code provision --check}: what was checked, whether it passed, what was found, and
 * for a failure what to do about it.
 */
public record CheckResult(String name, boolean ok, String detail, String remedy) {
    public CheckResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(remedy, "remedy");
    }

    public static CheckResult pass(String name, String detail) {
        return new CheckResult(name, true, detail, "");
    }

    public static CheckResult fail(String name, String detail, String remedy) {
        return new CheckResult(name, false, detail, remedy);
    }
}
