package io.wattproof.simulator.bench;

import io.wattproof.agent.ledger.ConfirmationListener;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures a fleet over one window: every agent reports each record it makes final
 * ({@link ConfirmationListener}); a record whose interval ended inside the window has its latency
 * from interval end to verified confirmation recorded, and every confirmation made inside the
 * window counts towards the sustained rate. The window opens after a warm-up (agents connecting,
 * first light-client syncs) and closes when metering stops; confirmations of the window's records
 * made during the drain still count towards the latencies, not the rate.
 *
 * <p>Times are the agents' clock: real time at {@code --speed 1}, which is how fleets are measured.
 */
public final class FleetBench implements ConfirmationListener {
    private final LatencyHistogram latencies = new LatencyHistogram();
    private final AtomicLong confirmedInWindow = new AtomicLong();
    private final AtomicLong confirmedTotal = new AtomicLong();
    private volatile long windowStart = Long.MAX_VALUE;
    private volatile long windowEnd = Long.MAX_VALUE;
    private volatile long cpuAtStart;
    private volatile long nanosAtStart;
    private volatile long cpuAtEnd;
    private volatile long nanosAtEnd;

    @Override
    public void confirmed(long sequence, Instant intervalEnd, Instant at) {
        confirmedTotal.incrementAndGet();
        long end = intervalEnd.toEpochMilli();
        if (end >= windowStart && end < windowEnd) {
            latencies.record(at.toEpochMilli() - end);
        }
        long now = at.toEpochMilli();
        if (now >= windowStart && now < windowEnd) {
            confirmedInWindow.incrementAndGet();
        }
    }

    /** Starts counting at {@code start} (the agents' clock). */
    public void open(Instant start) {
        cpuAtStart = processCpuNanos();
        nanosAtStart = System.nanoTime();
        windowStart = start.toEpochMilli();
    }

    /** Stops counting confirmations towards the rate at {@code end}, and intervals ending from then on. */
    public void close(Instant end) {
        windowEnd = end.toEpochMilli();
        cpuAtEnd = processCpuNanos();
        nanosAtEnd = System.nanoTime();
    }

    /** Every confirmation heard, window or not. */
    public long confirmedTotal() {
        return confirmedTotal.get();
    }

    /** What the window measured; call after {@link #close}. Forces a GC to read the heap the fleet keeps live. */
    public Report report(int meters, Duration interval) {
        long start = windowStart;
        long end = windowEnd;
        Duration window = Duration.ofMillis(Math.max(0, end - start));
        LatencyHistogram.Snapshot s = latencies.snapshot();
        System.gc();
        Runtime rt = Runtime.getRuntime();
        long heap = rt.totalMemory() - rt.freeMemory();
        double cpu = nanosAtEnd > nanosAtStart && cpuAtStart >= 0 ? (cpuAtEnd - cpuAtStart) / (double) (nanosAtEnd - nanosAtStart) : -1;
        return new Report(meters, interval, window, confirmedInWindow.get(), s.count(), s.percentile(50), s.percentile(99), s.max(),
                heap, residentBytes(), ManagementFactory.getThreadMXBean().getThreadCount(), cpu);
    }

    /**
     * @param meters simulated meters (each with its agent)
     * @param interval metering interval
     * @param window how long the window lasted
     * @param confirmed confirmations made inside the window
     * @param latencies records of the window with a latency recorded
     * @param p50Millis median from interval end to verified confirmation, ms (-1: none)
     * @param p99Millis 99th percentile of the same, ms
     * @param maxMillis the largest, ms
     * @param heapBytes heap in use after a full GC, at the report
     * @param residentBytes the process's resident set (Linux VmRSS), -1 when unknown
     * @param platformThreads live platform threads (virtual threads are not counted)
     * @param cpuCores CPU time the process used per second of the window (2.0 = both cores busy), -1 when unknown
     */
    public record Report(int meters, Duration interval, Duration window, long confirmed, long latencies, long p50Millis,
            long p99Millis, long maxMillis, long heapBytes, long residentBytes, int platformThreads, double cpuCores) {

        /** Readings the fleet should make per second: one per meter per interval. */
        public double offeredPerSecond() {
            return meters / (double) interval.toSeconds();
        }

        /** Confirmations per second over the window: readings verified end to end. */
        public double sustainedPerSecond() {
            return window.isZero() ? 0 : confirmed / (window.toMillis() / 1000.0);
        }

        public String line() {
            return String.format(Locale.ROOT,
                    "bench: meters=%d interval=%ds window=%ds offered=%.1f/s sustained=%.1f/s latency_p50=%dms latency_p99=%dms "
                            + "latency_max=%dms latencies=%d heap_per_meter=%dKiB rss_per_meter=%dKiB platform_threads=%d cpu_cores=%.2f",
                    meters, interval.toSeconds(), window.toSeconds(), offeredPerSecond(), sustainedPerSecond(), p50Millis, p99Millis,
                    maxMillis, latencies, heapBytes / 1024 / meters, residentBytes < 0 ? -1 : residentBytes / 1024 / meters,
                    platformThreads, cpuCores);
        }
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** VmRSS from /proc/self/status (Linux), in bytes; -1 elsewhere. */
    static long residentBytes() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/self/status"));
            for (String l : lines) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.substring(6).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // Not Linux, or not readable: unknown.
        }
        return -1;
    }
}
