package io.wattproof.agent.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.agent.record.PendingFlags;
import io.wattproof.protocol.v1.QualityFlag;
import org.junit.jupiter.api.Test;

class ClockSyncLatchTest {
    private static final ClockSyncStatus SYNCED = new ClockSyncStatus.Synchronised("test");
    private static final ClockSyncStatus UNSYNCED = new ClockSyncStatus.NotSynchronised("test");
    private static final ClockSyncStatus UNKNOWN = new ClockSyncStatus.Unknown("test");

    @Test
    void oneUnsynchronisedObservationFlagsTheRecordEvenIfTheRestWereSynchronised() {
        ClockSyncLatch latch = new ClockSyncLatch();
        latch.observe(SYNCED);
        assertEquals(0, latch.pending().bits());
        latch.observe(UNSYNCED);
        latch.observe(SYNCED);
        latch.observe(SYNCED);
        assertEquals(QualityFlag.CLOCK_UNSYNCED_VALUE, latch.pending().bits());
        latch.stored(latch.pending());
        assertFalse(latch.isLatched(), "the next interval starts clean");
        latch.observe(SYNCED);
        assertEquals(0, latch.pending().bits());
    }

    @Test
    void unknownCountsAsNotSynchronised() {
        ClockSyncLatch latch = new ClockSyncLatch();
        latch.observe(UNKNOWN);
        assertTrue(latch.isLatched());
        assertEquals(UNKNOWN, latch.last().orElseThrow());
    }

    @Test
    void aRecordThatWasNotStoredClearsNothing() {
        ClockSyncLatch latch = new ClockSyncLatch();
        latch.observe(UNSYNCED);
        PendingFlags taken = latch.pending();
        // signing or the disk failed: stored() is never called for it
        assertEquals(taken, latch.pending());
        latch.stored(taken);
        assertFalse(latch.isLatched());
    }

    @Test
    void observationsWhileARecordIsStoredFlagTheNextOne() {
        ClockSyncLatch latch = new ClockSyncLatch();
        latch.observe(UNSYNCED);
        PendingFlags carried = latch.pending();
        latch.observe(UNSYNCED);
        latch.stored(carried);
        assertTrue(latch.isLatched());
    }

    @Test
    void anotherSourcesFlagsClearNothing() {
        ClockSyncLatch latch = new ClockSyncLatch();
        latch.observe(UNSYNCED);
        latch.stored(new PendingFlags(QualityFlag.TAMPER_VALUE, 5));
        assertTrue(latch.isLatched());
    }
}
