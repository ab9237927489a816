package io.wattproof.agent.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.agent.record.ChainState;
import io.wattproof.agent.record.SignedRecord;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The behaviour every outbox has; run against each implementation. */
abstract class OutboxContractTest {

    abstract Outbox open() throws Exception;

    static SignedRecord record(long seq) {
        byte[] hash = new byte[32];
        Arrays.fill(hash, (byte) seq);
        return new SignedRecord(seq, new byte[] {1, 2, (byte) seq}, hash, Instant.ofEpochSecond(1_000 + seq));
    }

    @Test
    void startsAtGenesis() throws Exception {
        try (Outbox o = open()) {
            assertEquals(ChainState.GENESIS, o.chainState());
            assertEquals(0, o.depth());
        }
    }

    @Test
    void appendAdvancesTheChainAndKeepsRecordsUntilAcknowledged() throws Exception {
        try (Outbox o = open()) {
            o.append(record(1));
            o.append(record(2));
            o.append(record(3));
            assertEquals(4, o.chainState().nextSequence());
            assertEquals(Instant.ofEpochSecond(1_003), o.chainState().lastIntervalEnd());
            assertEquals(List.of(record(1), record(2), record(3)), o.unacknowledged());
            o.markAcknowledged(2);
            o.markAcknowledged(99); // unknown: ignored
            assertEquals(List.of(record(1), record(3)), o.unacknowledged());
            assertEquals(2, o.depth());
        }
    }

    @Test
    void unacknowledgedStopsAtTheLimitOldestFirst() throws Exception {
        try (Outbox o = open()) {
            for (long s = 1; s <= 5; s++) {
                o.append(record(s));
            }
            o.markAcknowledged(1);
            o.markAcknowledged(3);
            assertEquals(List.of(record(2), record(4)), o.unacknowledged(2));
            assertEquals(List.of(), o.unacknowledged(0));
            assertEquals(3, o.depth());
        }
    }

    @Test
    void refusesAnOutOfOrderSequenceAndStaysUnchanged() throws Exception {
        try (Outbox o = open()) {
            o.append(record(1));
            assertThrows(IllegalStateException.class, () -> o.append(record(3)));
            assertThrows(IllegalStateException.class, () -> o.append(record(1)));
            assertEquals(2, o.chainState().nextSequence());
            assertEquals(List.of(record(1)), o.unacknowledged());
        }
    }

    private static List<Long> sequences(List<SignedRecord> records) {
        return records.stream().map(SignedRecord::sequence).toList();
    }

    @Test
    void acknowledgedRecordsAreUnconfirmedUntilFinal() throws Exception {
        try (Outbox o = open()) {
            for (long s = 1; s <= 5; s++) {
                o.append(record(s));
            }
            o.markAcknowledged(4);
            o.markAcknowledged(2);
            assertEquals(List.of(record(2), record(4)), o.unconfirmed(10));
            assertEquals(List.of(record(2)), o.unconfirmed(1));
            assertEquals(2, o.unconfirmedCount());
            o.markFinal(List.of(4L));
            assertEquals(List.of(record(2)), o.unconfirmed(10));
            assertEquals(1, o.unconfirmedCount());
            assertEquals(List.of(1L, 3L, 5L), sequences(o.unacknowledged()));
            assertEquals(3, o.depth());
            assertEquals(1, o.prunable());
        }
    }

    @Test
    void aFinalRecordCountsAsAcknowledgedAndIsNeverListedAgain() throws Exception {
        try (Outbox o = open()) {
            for (long s = 1; s <= 4; s++) {
                o.append(record(s));
            }
            o.markFinal(List.of(3L, 1L)); // never acknowledged: final implies acknowledged
            assertEquals(List.of(2L, 4L), sequences(o.unacknowledged()));
            assertEquals(2, o.depth());
            o.markAcknowledged(1); // an acknowledgement arriving after the receipt changes nothing
            o.markAcknowledged(3);
            assertEquals(List.of(), o.unconfirmed(10));
            assertEquals(0, o.unconfirmedCount());
            assertEquals(2, o.depth());
            assertEquals(2, o.prunable());
        }
    }

    @Test
    void unknownAndAlreadyFinalSequencesAreIgnored() throws Exception {
        try (Outbox o = open()) {
            o.append(record(1));
            o.append(record(2));
            o.markFinal(List.of(2L, 2L, 0L, -5L, 3L, 99L));
            o.markFinal(List.of(2L));
            o.markFinal(List.of());
            assertEquals(1, o.prunable());
            assertEquals(List.of(record(1)), o.unacknowledged());
            assertEquals(3, o.chainState().nextSequence());
        }
    }

    @Test
    void pruneRemovesFinalRecordsAndKeepsTheChainAndEveryOtherRecord() throws Exception {
        try (Outbox o = open()) {
            for (long s = 1; s <= 8; s++) {
                o.append(record(s));
            }
            o.markAcknowledged(2);
            o.markAcknowledged(5);
            o.markAcknowledged(6);
            o.markFinal(List.of(1L, 3L, 5L, 7L));
            ChainState before = o.chainState();
            assertEquals(4, o.prune());
            assertEquals(0, o.prunable());
            assertEquals(0, o.prune(), "nothing left to prune");
            assertEquals(before, o.chainState());
            assertEquals(List.of(record(4), record(8)), o.unacknowledged());
            assertEquals(List.of(record(2), record(6)), o.unconfirmed(10));
            assertEquals(2, o.depth());
            assertEquals(2, o.unconfirmedCount());
            // Pruned sequences stay used: neither marks nor appends reach them again.
            o.markAcknowledged(1);
            o.markFinal(List.of(3L));
            assertEquals(0, o.prunable());
            assertThrows(IllegalStateException.class, () -> o.append(record(7)));
            o.append(record(9));
            assertEquals(List.of(record(4), record(8), record(9)), o.unacknowledged());
        }
    }

    @Test
    void pruneShrinksTheOutbox() throws Exception {
        try (Outbox o = open()) {
            for (long s = 1; s <= 20; s++) {
                o.append(record(s));
            }
            long size = o.sizeBytes();
            o.markFinal(LongStream.rangeClosed(1, 18).boxed().toList());
            assertEquals(18, o.prune());
            assertTrue(o.sizeBytes() < size, o.sizeBytes() + " bytes after pruning, " + size + " before");
            assertEquals(List.of(record(19), record(20)), o.unacknowledged());
        }
    }

    @Test
    void pruningEverythingKeepsTheChain() throws Exception {
        try (Outbox o = open()) {
            for (long s = 1; s <= 3; s++) {
                o.append(record(s));
            }
            o.markFinal(List.of(1L, 2L, 3L));
            assertEquals(3, o.prune());
            assertEquals(4, o.chainState().nextSequence());
            assertEquals(record(3).intervalEnd(), o.chainState().lastIntervalEnd());
            assertEquals(List.of(), o.unacknowledged());
            assertEquals(0, o.depth());
            o.append(record(4));
            assertEquals(List.of(record(4)), o.unacknowledged());
        }
    }
}
