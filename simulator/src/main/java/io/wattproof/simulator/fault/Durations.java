package io.wattproof.simulator.fault;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as scenario files write them: {@code 500ms}, {@code 20s}, {@code 2m}, {@code 1h}, with an optional sign. */
public final class Durations {
    private static final Pattern SIMPLE = Pattern.compile("([+-]?)(\\d{1,9})(ms|s|m|h)");

    private Durations() {}

    /** The duration {@code text} names, or empty when it is not one. */
    static Optional<Duration> parse(String text) {
        Matcher m = SIMPLE.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(2));
        Duration d = switch (m.group(3)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
        return Optional.of(m.group(1).equals("-") ? d.negated() : d);
    }

    /** {@code 20s}, or {@code 1500ms} when not whole seconds. */
    public static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
