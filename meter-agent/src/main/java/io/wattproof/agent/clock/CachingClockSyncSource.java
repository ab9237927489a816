package io.wattproof.agent.clock;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Asks the wrapped source at most once per {@code maxAge} and repeats its answer in between, so the
 * agent can look at every tick without starting a process every ten seconds. Ages are measured on a
 * monotonic counter ({@link System#nanoTime}), not the wall clock, whose steps are the point of
 * asking. Not thread-safe: the agent's worker is its only caller.
 */
public final class CachingClockSyncSource implements ClockSyncSource {
    private final ClockSyncSource source;
    private final long maxAgeNanos;
    private final LongSupplier nanoTime;

    private ClockSyncStatus cached;
    private long askedAt;

    public CachingClockSyncSource(ClockSyncSource source, Duration maxAge) {
        this(source, maxAge, System::nanoTime);
    }

    /** @param nanoTime a monotonic counter in nanoseconds */
    public CachingClockSyncSource(ClockSyncSource source, Duration maxAge, LongSupplier nanoTime) {
        if (maxAge.isNegative()) {
            throw new IllegalArgumentException("clock sync cache age: expected ≥ 0, got " + maxAge);
        }
        this.source = source;
        this.maxAgeNanos = maxAge.toNanos();
        this.nanoTime = nanoTime;
    }

    @Override
    public ClockSyncStatus status() {
        long now = nanoTime.getAsLong();
        // Differences, not comparisons: nanoTime may wrap (System.nanoTime's contract).
        if (cached == null || now - askedAt >= maxAgeNanos) {
            cached = source.status();
            askedAt = now;
        }
        return cached;
    }
}
