package io.wattproof.agent.gpio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.agent.record.PendingFlags;
import io.wattproof.protocol.v1.QualityFlag;
import org.junit.jupiter.api.Test;

class TamperLatchTest {
    @Test
    void flagStaysUntilTheRecordCarryingItIsStored() {
        TamperLatch latch = new TamperLatch();
        assertEquals(0, latch.pending().bits());
        latch.trip();
        PendingFlags first = latch.pending();
        assertEquals(QualityFlag.TAMPER_VALUE, first.bits());
        // The record was not stored (signing or the disk failed): the next one still carries it.
        assertEquals(QualityFlag.TAMPER_VALUE, latch.pending().bits());
        latch.stored(latch.pending());
        assertFalse(latch.isLatched());
        assertEquals(0, latch.pending().bits());
    }

    @Test
    void tamperingWhileARecordIsBeingStoredFlagsTheNextRecordToo() {
        TamperLatch latch = new TamperLatch();
        latch.trip();
        PendingFlags carried = latch.pending();
        latch.trip(); // cover opened again while that record was signed
        latch.stored(carried);
        assertTrue(latch.isLatched());
        latch.stored(latch.pending());
        assertFalse(latch.isLatched());
    }

    @Test
    void storingARecordWithoutTheFlagClearsNothing() {
        TamperLatch latch = new TamperLatch();
        PendingFlags clean = latch.pending();
        latch.trip();
        latch.stored(clean);
        assertTrue(latch.isLatched());
        latch.stored(new PendingFlags(QualityFlag.CLOCK_UNSYNCED_VALUE, 1));
        assertTrue(latch.isLatched());
    }
}
