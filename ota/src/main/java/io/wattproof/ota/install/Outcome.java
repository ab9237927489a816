package io.wattproof.ota.install;

/** Result of an install step: the new value, or why the step was refused (and nothing changed). */
public sealed interface Outcome<T> {

    record Done<T>(T value) implements Outcome<T> {}

    record Refused<T>(InstallRefusal refusal) implements Outcome<T> {}

    static <T> Outcome<T> refused(InstallRefusal.Reason reason, String field, Object expected, Object actual) {
        return new Refused<>(new InstallRefusal(reason, field, String.valueOf(expected), String.valueOf(actual)));
    }
}
