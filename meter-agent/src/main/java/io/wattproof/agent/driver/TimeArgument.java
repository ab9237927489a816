package io.wattproof.agent.driver;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A point in time as a car owner types it: an ISO-8601 instant ({@code 2026-11-27T18:00:00Z}), an
 * ISO-8601 duration from now ({@code PT15M}), or a short one ({@code 90s}, {@code 15m}, {@code 2h},
 * {@code 1h30m}, optionally with a leading {@code +}).
 */
public final class TimeArgument {
    private static final Pattern SHORT = Pattern.compile("\\+?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

    private TimeArgument() {}

    /** @throws IllegalArgumentException naming what was expected and what was given */
    public static Instant parse(String text, Instant now) {
        String t = text.strip();
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException notAnInstant) {
            // try a duration
        }
        String upper = t.toUpperCase(Locale.ROOT);
        if (upper.startsWith("P") || upper.startsWith("+P")) {
            try {
                Duration d = Duration.parse(upper.startsWith("+") ? upper.substring(1) : upper);
                if (!d.isNegative()) {
                    return now.plus(d);
                }
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        Matcher m = SHORT.matcher(t.toLowerCase(Locale.ROOT));
        if (!t.isEmpty() && !t.equals("+") && m.matches() && (m.group(1) != null || m.group(2) != null || m.group(3) != null)) {
            try {
                long seconds = Math.addExact(Math.addExact(Math.multiplyExact(number(m.group(1)), 3600),
                        Math.multiplyExact(number(m.group(2)), 60)), number(m.group(3)));
                return now.plusSeconds(seconds);
            } catch (ArithmeticException | NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException("expected an ISO-8601 instant (2026-11-27T18:00:00Z) or a duration from now "
                + "(PT15M, 90s, 15m, 2h, 1h30m), got '" + text + "'");
    }

    private static long number(String digits) {
        return digits == null ? 0 : Long.parseLong(digits);
    }
}
