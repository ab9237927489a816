package io.wattproof.agent.uplink;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * When to try the broker again: exponential back-off with "full jitter" — before attempt {@code n}
 * (counting from 0) wait a uniformly random time in {@code [0, min(max, base × 2^n)]}. The jitter
 * spreads a fleet that lost its broker at the same moment over the whole window instead of
 * letting every board reconnect in lock-step when the broker comes back.
 *
 * <p>The count is reset only by a connection that stayed up for {@code stableAfter}. A connection
 * that the broker drops at once — Mosquitto 2.0 closes a TLS connection whose publish its ACL
 * denies, and the agent re-sends the same record on the next connection — therefore keeps backing
 * off instead of reconnecting in a tight loop.
 *
 * <p>Pure: no clock and no threads; the caller passes {@code now} and owns the scheduling. Not
 * thread-safe; the uplink calls it under its own lock.
 */
public final class ReconnectBackoff {
    /** 2^30 × base already exceeds any sensible max; stop doubling there to avoid overflow. */
    private static final int MAX_EXPONENT = 30;

    private final Duration base;
    private final Duration max;
    private final Duration stableAfter;
    private final RandomGenerator random;
    private int attempt;
    private Instant connectedAt;

    /**
     * @param base cap of the first wait (> 0)
     * @param max largest cap (≥ base)
     * @param stableAfter how long a connection must last before the next loss starts over from
     *     {@code base} (≥ 0)
     * @param random source of the jitter; tests pass a seeded one
     */
    public ReconnectBackoff(Duration base, Duration max, Duration stableAfter, RandomGenerator random) {
        if (base.isNegative() || base.isZero()) {
            throw new IllegalArgumentException("base: expected > 0, got " + base);
        }
        if (max.compareTo(base) < 0) {
            throw new IllegalArgumentException("max: expected >= base " + base + ", got " + max);
        }
        if (stableAfter.isNegative()) {
            throw new IllegalArgumentException("stableAfter: expected >= 0, got " + stableAfter);
        }
        this.base = base;
        this.max = max;
        this.stableAfter = stableAfter;
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The cap of the next wait: {@code min(max, base × 2^attempt)}. */
    public Duration currentCap() {
        int exponent = Math.min(attempt, MAX_EXPONENT);
        long capNanos = Math.min(max.toNanos(), saturatedShift(base.toNanos(), exponent));
        return Duration.ofNanos(capNanos);
    }

    /** The wait before the next attempt (uniform in [0, cap], whole milliseconds); counts the attempt. */
    public Duration nextDelay() {
        long capMillis = currentCap().toMillis();
        if (attempt < Integer.MAX_VALUE) {
            attempt++;
        }
        return Duration.ofMillis(random.nextLong(capMillis + 1));
    }

    /** Attempts counted since the last reset. */
    public int attempts() {
        return attempt;
    }

    /** A connection was established at {@code now}. */
    public void connected(Instant now) {
        connectedAt = now;
    }

    /**
     * The connection was lost at {@code now}. If it had lasted at least {@code stableAfter}, the
     * next wait starts again from {@code base}.
     */
    public void disconnected(Instant now) {
        if (connectedAt != null && Duration.between(connectedAt, now).compareTo(stableAfter) >= 0) {
            attempt = 0;
        }
        connectedAt = null;
    }

    private static long saturatedShift(long value, int shift) {
        return value > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : value << shift;
    }
}
