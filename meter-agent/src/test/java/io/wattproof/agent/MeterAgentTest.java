package io.wattproof.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.agent.gpio.TamperLatch;
import io.wattproof.agent.meter.MeterReadException;
import io.wattproof.agent.meter.MeterSnapshot;
import io.wattproof.agent.meter.MeterSource;
import io.wattproof.agent.outbox.MemoryOutbox;
import io.wattproof.agent.outbox.Outbox;
import io.wattproof.agent.outbox.OutboxException;
import io.wattproof.agent.record.ChainState;
import io.wattproof.agent.record.FirmwareIdentity;
import io.wattproof.agent.record.QualityFlagSource;
import io.wattproof.agent.record.SignedRecord;
import io.wattproof.agent.uplink.Uplink;
import io.wattproof.protocol.SignBytes;
import io.wattproof.protocol.v1.BodyType;
import io.wattproof.protocol.v1.QualityFlag;
import io.wattproof.protocol.v1.Reading;
import io.wattproof.protocol.v1.SignedTx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's shell with a real outbox and clock, and an in-memory uplink and meter. */
class MeterAgentTest {
    @TempDir
    Path dataDir;

    private final TestDeviceKey key = new TestDeviceKey();

    /** A meter whose import register grows by 1 Wh per read; fails when told to. */
    static final class CountingMeter implements MeterSource {
        final AtomicInteger reads = new AtomicInteger();
        volatile boolean failing;

        @Override
        public MeterSnapshot read() throws MeterReadException {
            if (failing) {
                throw new MeterReadException("test meter unplugged");
            }
            int n = reads.incrementAndGet();
            return new MeterSnapshot(n / 1000.0, 0, 3600, new double[] {230, 231, 229}, new double[] {5, 5, 5});
        }

        @Override
        public String model() {
            return "TEST";
        }

        @Override
        public void close() {}
    }

    /** Records everything sent; acknowledges at once unless told not to. */
    static final class MemoryUplink implements Uplink {
        final Map<Long, List<byte[]>> sent = Collections.synchronizedMap(new LinkedHashMap<>());
        final boolean acknowledge;
        volatile Listener listener;

        MemoryUplink(boolean acknowledge) {
            this.acknowledge = acknowledge;
        }

        @Override
        public void start(Listener listener) {
            this.listener = listener;
            listener.connected(10);
        }

        @Override
        public boolean send(long sequence, byte[] payload) {
            sent.computeIfAbsent(sequence, s -> Collections.synchronizedList(new ArrayList<>())).add(payload);
            if (acknowledge) {
                listener.acknowledged(sequence);
            }
            return true;
        }

        /** Transactions that are no records, as handed over; taken only while {@link #takeTransactions}. */
        final List<byte[]> transactions = Collections.synchronizedList(new ArrayList<>());
        volatile boolean takeTransactions = true;

        @Override
        public boolean sendTransaction(byte[] signedTx) {
            if (!takeTransactions) {
                return false;
            }
            transactions.add(signedTx);
            return true;
        }

        @Override
        public void close() {}
    }

    private AgentConfig config() {
        return AgentConfig.builder(dataDir)
                .chainId("test-chain")
                .interval(Duration.ofSeconds(1))
                .meterSerial("42")
                .firmware(new FirmwareIdentity("0.1.0", new byte[32]))
                .build();
    }

    private static Reading body(byte[] payload) throws Exception {
        return Reading.parseFrom(SignedTx.parseFrom(payload).getBody());
    }

    @Test
    void signsChainsStoresAndSendsEveryInterval() throws Exception {
        MemoryUplink uplink = new MemoryUplink(true);
        try (MeterAgent agent = MeterAgent.start(config(), key, new CountingMeter(), uplink, Clock.systemUTC())) {
            waitFor(() -> agent.status().lastSequence() >= 3, Duration.ofSeconds(10));
            agent.stopMetering();
            assertTrue(agent.awaitDrained(Duration.ofSeconds(5)));
        }
        byte[] previousHash = new byte[0];
        long seq = 1;
        for (Map.Entry<Long, List<byte[]>> e : uplink.sent.entrySet()) {
            assertEquals(seq, e.getKey());
            byte[] payload = e.getValue().get(0);
            SignedTx tx = SignedTx.parseFrom(payload);
            Reading r = body(payload);
            assertEquals(seq, r.getSequence());
            assertArrayEquals(previousHash, r.getPreviousHash().toByteArray());
            byte[] sb = SignBytes.of(BodyType.READING, "test-chain", tx.getBody().toByteArray());
            assertTrue(key.verify(sb, tx.getSignature().toByteArray()), "signature of record " + seq);
            assertEquals(1, r.getIntervalSeconds());
            assertTrue(r.getImportDeltaWh() >= 1, "each interval reads the growing register again");
            previousHash = SignBytes.recordHash(sb);
            seq++;
        }
        assertTrue(seq > 3);
    }

    /**
     * Without ledger settings a transaction that is no record is still sent, once, beside the
     * records; one the uplink cannot take now waits for a later turn.
     */
    @Test
    void aTransactionThatIsNoRecordIsSentOnceBesideTheRecordsWithoutLedgerSettings() throws Exception {
        MemoryUplink uplink = new MemoryUplink(true);
        uplink.takeTransactions = false;
        byte[] offer = SignedTx.newBuilder().setBodyType(BodyType.PILE_OFFER).setBody(com.google.protobuf.ByteString.copyFromUtf8("offer"))
                .build().toByteArray();
        try (MeterAgent agent = MeterAgent.start(config(), key, new CountingMeter(), uplink, Clock.systemUTC())) {
            agent.submitTransaction(offer);
            waitFor(() -> agent.status().lastSequence() >= 1, Duration.ofSeconds(10));
            assertEquals(0, uplink.transactions.size(), "the uplink did not take it");
            uplink.takeTransactions = true;
            waitFor(() -> uplink.transactions.size() == 1, Duration.ofSeconds(10));
            long before = agent.status().lastSequence();
            waitFor(() -> agent.status().lastSequence() >= before + 2, Duration.ofSeconds(10));
            agent.stopMetering();
            assertTrue(agent.awaitDrained(Duration.ofSeconds(5)));
        }
        assertEquals(1, uplink.transactions.size(), "sent once");
        assertArrayEquals(offer, uplink.transactions.get(0));
        for (List<byte[]> records : uplink.sent.values()) {
            assertEquals(BodyType.READING, SignedTx.parseFrom(records.get(0)).getBodyType(), "only records on the record path");
        }
    }

    @Test
    void restartResendsUnacknowledgedRecordsAsTheyWereAndContinuesTheChain() throws Exception {
        MemoryUplink silent = new MemoryUplink(false);
        long lastBefore;
        try (MeterAgent agent = MeterAgent.start(config(), key, new CountingMeter(), silent, Clock.systemUTC())) {
            waitFor(() -> agent.status().lastSequence() >= 2, Duration.ofSeconds(10));
            agent.stopMetering();
            lastBefore = agent.status().lastSequence();
            assertEquals(lastBefore, agent.status().outboxDepth());
        }
        MemoryUplink acking = new MemoryUplink(true);
        try (MeterAgent agent = MeterAgent.start(config(), key, new CountingMeter(), acking, Clock.systemUTC())) {
            waitFor(() -> agent.status().lastSequence() >= lastBefore + 2, Duration.ofSeconds(10));
            agent.stopMetering();
            assertTrue(agent.awaitDrained(Duration.ofSeconds(5)));
        }
        for (long s = 1; s <= lastBefore; s++) {
            assertArrayEquals(silent.sent.get(s).get(0), acking.sent.get(s).get(0),
                    "record " + s + " is re-sent byte for byte, not signed again");
        }
        Reading firstAfterRestart = body(acking.sent.get(lastBefore + 1).get(0));
        Reading lastBeforeRestart = body(silent.sent.get(lastBefore).get(0));
        byte[] sb = SignBytes.of(BodyType.READING, "test-chain", SignedTx.parseFrom(silent.sent.get(lastBefore).get(0)).getBody().toByteArray());
        assertArrayEquals(SignBytes.recordHash(sb), firstAfterRestart.getPreviousHash().toByteArray());
        assertTrue(firstAfterRestart.getIntervalStart() > lastBeforeRestart.getIntervalStart());
    }

    @Test
    void meterFailureSkipsIntervalsWithoutBreakingTheChain() throws Exception {
        MemoryUplink uplink = new MemoryUplink(true);
        CountingMeter meter = new CountingMeter();
        long during;
        try (MeterAgent agent = MeterAgent.start(config(), key, meter, uplink, Clock.systemUTC())) {
            waitFor(() -> agent.status().lastSequence() >= 1, Duration.ofSeconds(10));
            meter.failing = true;
            waitFor(() -> agent.status().meterReadFailures() >= 2, Duration.ofSeconds(10));
            during = agent.status().lastSequence();
            meter.failing = false;
            long resumedAt = during + 1;
            waitFor(() -> agent.status().lastSequence() >= resumedAt, Duration.ofSeconds(10));
            agent.stopMetering();
        }
        List<Long> seqs = new ArrayList<>(uplink.sent.keySet());
        for (int i = 0; i < seqs.size(); i++) {
            assertEquals(i + 1, seqs.get(i));
        }
        Reading afterOutage = body(uplink.sent.get(during + 1).get(0));
        assertTrue((afterOutage.getQualityFlags() & io.wattproof.protocol.v1.QualityFlag.GAP_VALUE) != 0,
                "first record after a meter outage is flagged as following a time gap");
    }

    private static boolean tampered(byte[] payload) throws Exception {
        return (body(payload).getQualityFlags() & QualityFlag.TAMPER_VALUE) != 0;
    }

    @Test
    void tamperFlagsTheNextRecordOnlyAndEachNewActivationFlagsOneMore() throws Exception {
        MemoryUplink uplink = new MemoryUplink(true);
        TamperLatch latch = new TamperLatch();
        latch.trip(); // cover opened before the first record
        long tripAfter;
        try (MeterAgent agent = MeterAgent.start(config(), key, new CountingMeter(), uplink, Clock.systemUTC(), latch)) {
            waitFor(() -> agent.status().lastSequence() >= 2, Duration.ofSeconds(10));
            tripAfter = agent.status().lastSequence();
            latch.trip();
            waitFor(() -> agent.status().lastSequence() >= tripAfter + 2, Duration.ofSeconds(10));
            agent.stopMetering();
            assertTrue(agent.awaitDrained(Duration.ofSeconds(5)));
        }
        assertTrue(tampered(uplink.sent.get(1L).get(0)), "the next record carries TAMPER");
        assertFalse(tampered(uplink.sent.get(2L).get(0)), "the one after it does not");
        long flaggedAfterSecondTrip = 0;
        for (long s = tripAfter + 1; uplink.sent.containsKey(s); s++) {
            if (tampered(uplink.sent.get(s).get(0))) {
                flaggedAfterSecondTrip++;
            }
        }
        assertEquals(1, flaggedAfterSecondTrip, "a second activation flags exactly one more record");
        assertFalse(latch.isLatched());
    }

    /**
     * A memory outbox the test controls: its first {@code appendsToFail} appends fail as a full disk
     * would, and it reports {@code reportedSize} as its size when that is set.
     */
    static final class ControlledOutbox implements Outbox {
        final MemoryOutbox inner = new MemoryOutbox();
        final AtomicInteger failures = new AtomicInteger();
        final int appendsToFail;
        volatile long reportedSize = -1;

        ControlledOutbox(int appendsToFail) {
            this.appendsToFail = appendsToFail;
        }

        @Override
        public ChainState chainState() {
            return inner.chainState();
        }

        @Override
        public void append(SignedRecord record) throws OutboxException {
            if (failures.get() < appendsToFail) {
                failures.incrementAndGet();
                throw new OutboxException("test disk full");
            }
            inner.append(record);
        }

        @Override
        public List<SignedRecord> unacknowledged(int limit) throws OutboxException {
            return inner.unacknowledged(limit);
        }

        @Override
        public void markAcknowledged(long sequence) throws OutboxException {
            inner.markAcknowledged(sequence);
        }

        @Override
        public int depth() {
            return inner.depth();
        }

        @Override
        public void markFinal(java.util.Collection<Long> sequences) {
            inner.markFinal(sequences);
        }

        @Override
        public List<SignedRecord> unconfirmed(int limit) {
            return inner.unconfirmed(limit);
        }

        @Override
        public int unconfirmedCount() {
            return inner.unconfirmedCount();
        }

        @Override
        public int prunable() {
            return inner.prunable();
        }

        @Override
        public int prune() {
            return inner.prune();
        }

        @Override
        public long sizeBytes() {
            return reportedSize >= 0 ? reportedSize : inner.sizeBytes();
        }

        @Override
        public void close() throws OutboxException {
            inner.close();
        }
    }

    /**
     * At the disk budget the agent signs nothing (a record it could not keep would be a dropped
     * record), says so in its status, and resumes when there is room, with GAP on the first record;
     * no sequence number is skipped or reused.
     */
    @Test
    void aFullOutboxStopsRecordingWithoutDroppingAnythingAndResumesWithAGap() throws Exception {
        MemoryUplink uplink = new MemoryUplink(true);
        ControlledOutbox outbox = new ControlledOutbox(0);
        AgentConfig config = AgentConfig.builder(dataDir).chainId("test-chain").interval(Duration.ofSeconds(1)).meterSerial("42")
                .firmware(new FirmwareIdentity("0.1.0", new byte[32]))
                .outboxBudgetBytes(AgentConfig.MIN_OUTBOX_BUDGET_BYTES)
                .build();
        long before;
        try (MeterAgent agent = MeterAgent.start(config, key, new CountingMeter(), uplink, Clock.systemUTC(), outbox,
                QualityFlagSource.none())) {
            waitFor(() -> agent.status().lastSequence() >= 1, Duration.ofSeconds(10));
            outbox.reportedSize = AgentConfig.MIN_OUTBOX_BUDGET_BYTES;
            waitFor(() -> agent.status().storageFull(), Duration.ofSeconds(10));
            before = agent.status().lastSequence();
            Thread.sleep(2_500); // two or more boundaries pass with the outbox full
            assertEquals(before, agent.status().lastSequence(), "no record is made while the outbox is full");
            outbox.reportedSize = -1; // room again
            waitFor(() -> agent.status().lastSequence() >= before + 1, Duration.ofSeconds(10));
            assertFalse(agent.status().storageFull());
            agent.stopMetering();
        }
        List<Long> seqs = new ArrayList<>(uplink.sent.keySet());
        for (int i = 0; i < seqs.size(); i++) {
            assertEquals(i + 1, seqs.get(i), "sequences stay dense");
        }
        Reading resumed = body(uplink.sent.get(before + 1).get(0));
        assertTrue((resumed.getQualityFlags() & QualityFlag.GAP_VALUE) != 0, "the first record after the full outbox follows a gap");
    }

    @Test
    void aBudgetTooSmallToHoldAnythingIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AgentConfig.builder(dataDir).outboxBudgetBytes(1000).build());
        assertTrue(e.getMessage().contains("outbox budget: expected at least 65536 bytes, got 1000"), e.getMessage());
    }

    @Test
    void tamperFlagSurvivesARecordThatCouldNotBeStored() throws Exception {
        MemoryUplink uplink = new MemoryUplink(true);
        TamperLatch latch = new TamperLatch();
        latch.trip();
        ControlledOutbox outbox = new ControlledOutbox(1);
        try (MeterAgent agent = MeterAgent.start(config(), key, new CountingMeter(), uplink, Clock.systemUTC(), outbox, latch)) {
            waitFor(() -> agent.status().lastSequence() >= 2, Duration.ofSeconds(10));
            agent.stopMetering();
        }
        assertEquals(1, outbox.failures.get());
        assertTrue(tampered(uplink.sent.get(1L).get(0)), "the first stored record carries the flag the lost one had");
        assertFalse(tampered(uplink.sent.get(2L).get(0)));
    }

    static void waitFor(java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(20);
        }
    }
}
