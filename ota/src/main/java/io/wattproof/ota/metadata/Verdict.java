package io.wattproof.ota.metadata;

/** Outcome of verifying metadata from outside: the verified value, or why it was refused. */
public sealed interface Verdict<T> {

    record Accepted<T>(T value) implements Verdict<T> {}

    record Refused<T>(Refusal refusal) implements Verdict<T> {}

    static <T> Verdict<T> refused(Refusal.Reason reason, String field, Object expected, Object actual) {
        return new Refused<>(new Refusal(reason, field, String.valueOf(expected), String.valueOf(actual)));
    }
}
