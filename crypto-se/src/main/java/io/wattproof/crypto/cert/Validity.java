package io.wattproof.crypto.cert;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A certificate's validity period (RFC 5280 §4.1.2.5), both ends inclusive, in whole seconds:
 * X.509 times have no fractions (§4.1.2.5.1, §4.1.2.5.2).
 */
public record Validity(Instant notBefore, Instant notAfter) {
    public Validity {
        notBefore = notBefore.truncatedTo(ChronoUnit.SECONDS);
        notAfter = notAfter.truncatedTo(ChronoUnit.SECONDS);
        if (!notAfter.isAfter(notBefore)) {
            throw new IllegalArgumentException("validity: expected notAfter after notBefore, got notBefore " + notBefore
                    + " and notAfter " + notAfter);
        }
    }

    /** From {@code now} for {@code days} days. */
    public static Validity days(Instant now, int days) {
        if (days < 1) {
            throw new IllegalArgumentException("validity days: expected at least 1, got " + days);
        }
        return new Validity(now, now.plus(Duration.ofDays(days)));
    }

    public boolean contains(Validity other) {
        return !other.notBefore.isBefore(notBefore) && !other.notAfter.isAfter(notAfter);
    }
}
