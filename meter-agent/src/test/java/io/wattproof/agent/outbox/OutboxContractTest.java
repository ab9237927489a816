package io.wattproof.agent.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wattproof.agent.record.ChainState;
import io.wattproof.agent.record.SignedRecord;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
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
}
