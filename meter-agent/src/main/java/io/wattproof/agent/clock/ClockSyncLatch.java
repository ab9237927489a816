package io.wattproof.agent.clock;

import io.wattproof.agent.record.PendingFlags;
import io.wattproof.agent.record.QualityFlagSource;
import io.wattproof.protocol.v1.QualityFlag;

/**
 * Raises CLOCK_UNSYNCED for the next record when any observation of the clock's status since the
 * last stored record was not {@link ClockSyncStatus.Synchronised} ({@link ClockSyncStatus.Unknown}
 * included: a clock nobody vouches for is not a synchronised one). The agent observes once per
 * tick, after that tick's read and record, so a record carries the observations of the ticks in
 * its own interval. Latched like the tamper input: a record clears only the observations made
 * before its flags were taken, and a record that is never stored clears nothing. Thread-safe.
 */
public final class ClockSyncLatch implements QualityFlagSource {
    private long unsyncedObservations;
    private long clearedThrough;
    private ClockSyncStatus last;

    public synchronized void observe(ClockSyncStatus status) {
        last = status;
        if (!status.isSynchronised()) {
            unsyncedObservations++;
        }
    }

    /** The last status observed, if any. */
    public synchronized java.util.Optional<ClockSyncStatus> last() {
        return java.util.Optional.ofNullable(last);
    }

    /** Whether the next record will carry CLOCK_UNSYNCED. */
    public synchronized boolean isLatched() {
        return unsyncedObservations > clearedThrough;
    }

    @Override
    public synchronized PendingFlags pending() {
        return new PendingFlags(isLatched() ? QualityFlag.CLOCK_UNSYNCED_VALUE : 0, unsyncedObservations);
    }

    @Override
    public synchronized void stored(PendingFlags carried) {
        if ((carried.bits() & QualityFlag.CLOCK_UNSYNCED_VALUE) != 0) {
            clearedThrough = Math.max(clearedThrough, carried.generation());
        }
    }
}
