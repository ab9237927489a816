package io.wattproof.agent;

import static io.wattproof.agent.MeterAgentTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.agent.MeterAgentTest.CountingMeter;
import io.wattproof.agent.MeterAgentTest.MemoryUplink;
import io.wattproof.agent.clock.ClockSyncStatus;
import io.wattproof.agent.clock.FakeClockSyncSource;
import io.wattproof.agent.clock.OffsetClock;
import io.wattproof.agent.outbox.FileOutbox;
import io.wattproof.agent.record.FirmwareIdentity;
import io.wattproof.agent.record.QualityFlagSource;
import io.wattproof.protocol.v1.QualityFlag;
import io.wattproof.protocol.v1.Reading;
import io.wattproof.protocol.v1.SignedTx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent with one-second intervals, a real outbox, and a clock that is stepped under it while it
 * runs and across restarts; and records flagged while the clock is not synchronised.
 */
class MeterAgentClockTest {
    @TempDir
    Path dataDir;

    private final TestDeviceKey key = new TestDeviceKey();
    /** Every record any agent of a test sent, by sequence (the first payload of each). */
    private final Map<Long, Reading> records = new TreeMap<>();

    private AgentConfig config() {
        return AgentConfig.builder(dataDir)
                .chainId("test-chain")
                .interval(Duration.ofSeconds(1))
                .meterSerial("42")
                .firmware(new FirmwareIdentity("0.1.0", new byte[32]))
                .build();
    }

    private void collect(MemoryUplink uplink) throws Exception {
        for (Map.Entry<Long, List<byte[]>> e : uplink.sent.entrySet()) {
            records.putIfAbsent(e.getKey(), Reading.parseFrom(SignedTx.parseFrom(e.getValue().get(0)).getBody()));
        }
    }

    private static boolean flagged(Reading r, int flag) {
        return (r.getQualityFlags() & flag) != 0;
    }

    /**
     * What a receiver checks (docs/architecture.md, "The receiving side"): sequences 1..n without a
     * hole, each interval starting no earlier than the one before ended (so never twice the same
     * interval), and GAP exactly where the start is not the previous end.
     */
    private void assertChain() {
        long expected = 1;
        Reading previous = null;
        for (Reading r : records.values()) {
            assertEquals(expected++, r.getSequence(), "sequences are dense");
            if (previous != null) {
                long previousEnd = previous.getIntervalStart() + previous.getIntervalSeconds();
                assertTrue(r.getIntervalStart() >= previousEnd, "record " + r.getSequence() + " starts at "
                        + r.getIntervalStart() + ", before record " + previous.getSequence() + " ended at " + previousEnd);
                assertEquals(r.getIntervalStart() != previousEnd, flagged(r, QualityFlag.GAP_VALUE),
                        "GAP on record " + r.getSequence() + " iff time is missing before it");
            }
            previous = r;
        }
    }

    private MeterAgent start(OffsetClock clock, MemoryUplink uplink) throws Exception {
        return MeterAgent.start(config(), key, new CountingMeter(), uplink, clock, QualityFlagSource.none(),
                new FakeClockSyncSource(new ClockSyncStatus.Synchronised("test")));
    }

    private static void sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    @Test
    void stepsBackAndForthWhileRunningNeverOverlapOrRepeat() throws Exception {
        OffsetClock clock = new OffsetClock();
        MemoryUplink uplink = new MemoryUplink(true);
        try (MeterAgent agent = start(clock, uplink)) {
            waitFor(() -> agent.status().lastSequence() >= 1, Duration.ofSeconds(10));
            clock.setOffset(Duration.ofMillis(-300)); // small step back, within an interval
            sleep(1_300);
            clock.setOffset(Duration.ofMillis(-1_800)); // back across a boundary already read
            sleep(1_300);
            clock.setOffset(Duration.ofMillis(-600)); // forward again, and on
            sleep(700);
            clock.setOffset(Duration.ofMillis(-2_500));
            sleep(700);
            clock.setOffset(Duration.ZERO);
            long before = agent.status().lastSequence();
            waitFor(() -> agent.status().lastSequence() >= before + 2, Duration.ofSeconds(10));
            agent.stopMetering();
        }
        collect(uplink);
        assertChain();
    }

    @Test
    void aClockSetBackADayRecordsNothingUntilItIsRightAgainThenFollowsAGap() throws Exception {
        OffsetClock clock = new OffsetClock();
        MemoryUplink uplink = new MemoryUplink(true);
        try (MeterAgent agent = start(clock, uplink)) {
            waitFor(() -> agent.status().lastSequence() >= 1, Duration.ofSeconds(10));
            clock.setOffset(Duration.ofDays(-1));
            long during = agent.status().lastSequence() + 1; // one may be closing as the clock moves
            sleep(2_000);
            assertTrue(agent.status().lastSequence() <= during, "nothing recorded for yesterday");
            long stepped = agent.status().lastSequence();
            clock.setOffset(Duration.ZERO);
            waitFor(() -> agent.status().lastSequence() >= stepped + 1, Duration.ofSeconds(10));
            agent.stopMetering();
        }
        collect(uplink);
        assertChain();
    }

    @Test
    void aJumpForwardByHoursLeavesOneGapAndFabricatesNoIntervals() throws Exception {
        OffsetClock clock = new OffsetClock();
        MemoryUplink uplink = new MemoryUplink(true);
        long jumpedAt;
        try (MeterAgent agent = start(clock, uplink)) {
            waitFor(() -> agent.status().lastSequence() >= 1, Duration.ofSeconds(10));
            clock.setOffset(Duration.ofHours(3));
            jumpedAt = clock.instant().getEpochSecond();
            long before = agent.status().lastSequence();
            waitFor(() -> agent.status().lastSequence() >= before + 2, Duration.ofSeconds(10));
            agent.stopMetering();
        }
        collect(uplink);
        assertChain();
        List<Reading> after = new ArrayList<>(records.values().stream().filter(r -> r.getIntervalStart() >= jumpedAt - 10).toList());
        assertFalse(after.isEmpty());
        assertTrue(flagged(after.get(0), QualityFlag.GAP_VALUE), "the first record after the jump follows a gap");
        assertEquals(records.size(), records.values().stream().filter(r -> r.getIntervalStart() < jumpedAt - 10).count() + after.size(),
                "no record covers the three hours skipped");
    }

    @Test
    void afterARestartNothingIsRecordedBeforeTheLastStoredIntervalEnded() throws Exception {
        OffsetClock clock = new OffsetClock();
        MemoryUplink first = new MemoryUplink(true);
        try (MeterAgent agent = start(clock, first)) {
            waitFor(() -> agent.status().lastSequence() >= 1, Duration.ofSeconds(10));
            agent.stopMetering();
        }
        collect(first);
        Instant lastEnd;
        try (FileOutbox outbox = FileOutbox.open(dataDir)) {
            lastEnd = outbox.chainState().lastIntervalEnd();
        }

        // The device restarts with its RTC a day behind, then once more reset to 1970.
        for (Instant restartAt : List.of(Instant.now().minus(Duration.ofDays(1)), Instant.EPOCH)) {
            clock.stepTo(restartAt);
            MemoryUplink silent = new MemoryUplink(true);
            try (MeterAgent agent = start(clock, silent)) {
                long stored = agent.status().lastSequence();
                sleep(1_500); // at least one boundary of the wrong day passes
                assertEquals(stored, agent.status().lastSequence(), "nothing recorded with the clock at " + clock.instant());
            }
            collect(silent);
        }

        // NTP puts the clock right while the third run is going.
        clock.stepTo(Instant.EPOCH);
        MemoryUplink last = new MemoryUplink(true);
        try (MeterAgent agent = start(clock, last)) {
            long stored = agent.status().lastSequence();
            sleep(1_200);
            clock.setOffset(Duration.ZERO);
            waitFor(() -> agent.status().lastSequence() >= stored + 1, Duration.ofSeconds(10));
            agent.stopMetering();
        }
        collect(last);
        assertChain();
        Reading resumed = records.values().stream().filter(r -> r.getIntervalStart() >= lastEnd.getEpochSecond()).findFirst().orElseThrow();
        assertTrue(flagged(resumed, QualityFlag.GAP_VALUE));
    }

    @Test
    void recordsWhoseIntervalSawTheClockUnsynchronisedOrUnknownAreFlagged() throws Exception {
        FakeClockSyncSource sync = new FakeClockSyncSource(new ClockSyncStatus.NotSynchronised("test: not yet"));
        MemoryUplink uplink = new MemoryUplink(true);
        long unsyncedThrough;
        long unknownFrom;
        try (MeterAgent agent = MeterAgent.start(config(), key, new CountingMeter(), uplink, Clock.systemUTC(),
                QualityFlagSource.none(), sync)) {
            waitFor(() -> agent.status().lastSequence() >= 2, Duration.ofSeconds(10));
            assertFalse(agent.status().clockSynchronised());
            sync.set(new ClockSyncStatus.Synchronised("test: synchronised"));
            unsyncedThrough = agent.status().lastSequence() + 1; // the interval under way saw it too
            waitFor(() -> agent.status().clockSynchronised() && agent.status().lastSequence() >= unsyncedThrough + 2,
                    Duration.ofSeconds(10));
            sync.set(new ClockSyncStatus.Unknown("test: nobody to ask"));
            unknownFrom = agent.status().lastSequence() + 2; // the next one closes an interval that saw it
            waitFor(() -> agent.status().lastSequence() >= unknownFrom + 1, Duration.ofSeconds(10));
            assertFalse(agent.status().clockSynchronised());
            agent.stopMetering();
        }
        collect(uplink);
        assertTrue(flagged(records.get(1L), QualityFlag.CLOCK_UNSYNCED_VALUE));
        assertTrue(flagged(records.get(2L), QualityFlag.CLOCK_UNSYNCED_VALUE));
        assertFalse(flagged(records.get(unsyncedThrough + 2), QualityFlag.CLOCK_UNSYNCED_VALUE),
                "a whole interval synchronised is not flagged");
        assertTrue(flagged(records.get(unknownFrom), QualityFlag.CLOCK_UNSYNCED_VALUE), "unknown is flagged too");
    }

    @Test
    void anAgentStartedWithoutAClockSyncSourceTrustsTheClockItWasGiven() throws Exception {
        // The simulator's path: the clock is the caller's, and its records are not flagged.
        MemoryUplink uplink = new MemoryUplink(true);
        try (MeterAgent agent = MeterAgent.start(config(), key, new CountingMeter(), uplink, Clock.systemUTC())) {
            waitFor(() -> agent.status().lastSequence() >= 1, Duration.ofSeconds(10));
            assertTrue(agent.status().clockSynchronised());
            agent.stopMetering();
        }
        collect(uplink);
        for (Reading r : records.values()) {
            assertFalse(flagged(r, QualityFlag.CLOCK_UNSYNCED_VALUE), "record " + r.getSequence());
        }
    }
}
