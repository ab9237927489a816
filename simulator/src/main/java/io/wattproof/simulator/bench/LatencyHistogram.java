package io.wattproof.simulator.bench;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts latencies in whole milliseconds, from many threads at once without a lock: one counter
 * per millisecond up to {@link #MAX_MILLIS}, and one for everything above. Percentiles are
 * exact to the millisecond below the cap. A {@link Snapshot} taken at the start of a measurement
 * window is subtracted from one taken at its end, so a warm-up does not count.
 */
public final class LatencyHistogram {
    /** Two minutes: a confirmation later than that is reported as "above the cap". */
    public static final int MAX_MILLIS = 120_000;

    private final AtomicLongArray counts = new AtomicLongArray(MAX_MILLIS + 2);

    /** Records one latency; negative values (a clock read before the interval ended) count as 0. */
    public void record(long millis) {
        int bucket = millis < 0 ? 0 : millis > MAX_MILLIS ? MAX_MILLIS + 1 : (int) millis;
        counts.incrementAndGet(bucket);
    }

    public Snapshot snapshot() {
        long[] copy = new long[counts.length()];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = counts.get(i);
        }
        return new Snapshot(copy);
    }

    /** The counts at one moment; index {@code MAX_MILLIS + 1} holds everything above the cap. */
    public static final class Snapshot {
        private final long[] counts;
        private final long total;

        Snapshot(long[] counts) {
            this.counts = counts;
            long n = 0;
            for (long c : counts) {
                n += c;
            }
            this.total = n;
        }

        public long count() {
            return total;
        }

        /** What was recorded after {@code earlier} (a snapshot of the same histogram). */
        public Snapshot minus(Snapshot earlier) {
            long[] d = new long[counts.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = counts[i] - earlier.counts[i];
            }
            return new Snapshot(d);
        }

        /**
         * The smallest latency (ms) at or below which at least {@code p} percent of the recorded
         * ones lie (nearest-rank); -1 when nothing was recorded, {@code MAX_MILLIS + 1} when the
         * rank falls above the cap.
         *
         * @throws IllegalArgumentException unless 0 &lt; p ≤ 100
         */
        public long percentile(double p) {
            if (!(p > 0 && p <= 100)) {
                throw new IllegalArgumentException("percentile: expected 0 < p <= 100, got " + p);
            }
            if (total == 0) {
                return -1;
            }
            long rank = (long) Math.ceil(p / 100.0 * total);
            long seen = 0;
            for (int i = 0; i < counts.length; i++) {
                seen += counts[i];
                if (seen >= rank) {
                    return i;
                }
            }
            return counts.length - 1;
        }

        /** The largest latency recorded (ms), {@code MAX_MILLIS + 1} for one above the cap; -1 when none. */
        public long max() {
            for (int i = counts.length - 1; i >= 0; i--) {
                if (counts[i] > 0) {
                    return i;
                }
            }
            return -1;
        }
    }
}
