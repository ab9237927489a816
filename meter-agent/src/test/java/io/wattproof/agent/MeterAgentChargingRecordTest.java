package io.wattproof.agent;

import static io.wattproof.agent.MeterAgentTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.wattproof.agent.MeterAgentTest.CountingMeter;
import io.wattproof.agent.MeterAgentTest.MemoryUplink;
import io.wattproof.agent.outbox.FileOutbox;
import io.wattproof.agent.record.ChainState;
import io.wattproof.agent.record.FirmwareIdentity;
import io.wattproof.agent.record.SignedRecord;
import io.wattproof.protocol.SignBytes;
import io.wattproof.protocol.v1.BodyType;
import io.wattproof.protocol.v1.ChargingSession;
import io.wattproof.protocol.v1.QualityFlag;
import io.wattproof.protocol.v1.Reading;
import io.wattproof.protocol.v1.SignedTx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A ChargingSession record in the device's chain, between readings and across a restart (real FileOutbox). */
class MeterAgentChargingRecordTest {
    private static final String CHAIN = "test-chain";

    @TempDir
    Path dataDir;

    private final TestDeviceKey key = new TestDeviceKey();
    private final byte[] booking = filled(32, 9);

    private AgentConfig config() {
        return AgentConfig.builder(dataDir)
                .chainId(CHAIN)
                .interval(Duration.ofSeconds(1))
                .meterSerial("42")
                .firmware(new FirmwareIdentity("0.1.0", new byte[32]))
                .build();
    }

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private ChargingSession session(long sequence, byte[] previousHash) {
        return ChargingSession.newBuilder()
                .setDeviceId(ByteString.copyFrom(key.deviceId().bytes()))
                .setSequence(sequence)
                .setContractTxHash(ByteString.copyFrom(booking))
                .setStartTime(1_800_000_000L)
                .setEndTime(1_800_000_600L)
                .setStartImportWh(10)
                .setEndImportWh(20)
                .setEnergyWh(10)
                .setEndReason(ChargingSession.EndReason.LIMIT_REACHED)
                .setOwnerPseudonym(ByteString.copyFrom(new byte[32]))
                .setDriverPseudonym(ByteString.copyFrom(new byte[32]))
                .setPreviousHash(ByteString.copyFrom(previousHash))
                .build();
    }

    private static SignedTx tx(MemoryUplink uplink, long sequence) throws Exception {
        return SignedTx.parseFrom(uplink.sent.get(sequence).get(0));
    }

    private static byte[] recordHash(SignedTx tx) {
        return SignBytes.recordHash(SignBytes.of(tx.getBodyType(), CHAIN, tx.getBody().toByteArray()));
    }

    @Test
    void aSessionRecordTakesTheNextPlaceAndTheNextReadingChainsOntoItWithoutAGap() throws Exception {
        MemoryUplink uplink = new MemoryUplink(true);
        SignedRecord stored;
        try (MeterAgent agent = MeterAgent.start(config(), key, new CountingMeter(), uplink, Clock.systemUTC())) {
            waitFor(() -> agent.status().lastSequence() >= 2, Duration.ofSeconds(10));
            stored = agent.appendRecord(this::session).get(5, TimeUnit.SECONDS);
            waitFor(() -> agent.status().lastSequence() >= stored.sequence() + 1, Duration.ofSeconds(10));
            assertEquals(stored, agent.findSessionRecord(booking).get(5, TimeUnit.SECONDS).orElseThrow(),
                    "acknowledged, not final: still found");
            assertTrue(agent.findSessionRecord(filled(32, 1)).get(5, TimeUnit.SECONDS).isEmpty());
            agent.stopMetering();
            assertTrue(agent.awaitDrained(Duration.ofSeconds(5)));
        }
        long s = stored.sequence();
        SignedTx sessionTx = tx(uplink, s);
        assertEquals(BodyType.CHARGING_SESSION, sessionTx.getBodyType());
        assertTrue(key.verifyingKey().check(SignBytes.of(BodyType.CHARGING_SESSION, CHAIN, sessionTx.getBody().toByteArray()),
                sessionTx.getSignature().toByteArray()) instanceof io.wattproof.crypto.SignatureCheck.Valid,
                "signed under the ChargingSession sign-bytes domain");
        ChargingSession body = ChargingSession.parseFrom(sessionTx.getBody());
        Reading before = Reading.parseFrom(tx(uplink, s - 1).getBody());
        Reading after = Reading.parseFrom(tx(uplink, s + 1).getBody());
        assertArrayEquals(recordHash(tx(uplink, s - 1)), body.getPreviousHash().toByteArray());
        assertArrayEquals(recordHash(sessionTx), after.getPreviousHash().toByteArray(), "the reading chains onto the session");
        assertArrayEquals(recordHash(sessionTx), stored.recordHash());
        assertEquals(Instant.ofEpochSecond(before.getIntervalStart() + before.getIntervalSeconds()), stored.intervalEnd(),
                "the session carries the chain's last interval end on");
        long beforeEnd = before.getIntervalStart() + before.getIntervalSeconds();
        boolean gap = (after.getQualityFlags() & QualityFlag.GAP_VALUE) != 0;
        assertEquals(after.getIntervalStart() != beforeEnd, gap,
                "GAP only for a missed interval, never for the session between: " + beforeEnd + " then " + after.getIntervalStart());
    }

    @Test
    void aSessionAsTheLastRecordSurvivesARestartAndTheChainResumesFromIt() throws Exception {
        MemoryUplink silent = new MemoryUplink(false);
        SignedRecord stored;
        ChainState beforeSession;
        try (MeterAgent agent = MeterAgent.start(config(), key, new CountingMeter(), silent, Clock.systemUTC())) {
            waitFor(() -> agent.status().lastSequence() >= 2, Duration.ofSeconds(10));
            agent.stopMetering();
            stored = agent.appendRecord(this::session).get(5, TimeUnit.SECONDS);
        }
        Reading last = Reading.parseFrom(SignedTx.parseFrom(silent.sent.get(stored.sequence() - 1).get(0)).getBody());
        try (FileOutbox outbox = FileOutbox.open(dataDir)) {
            ChainState chain = outbox.chainState();
            assertEquals(stored.sequence() + 1, chain.nextSequence());
            assertArrayEquals(stored.recordHash(), chain.headHash());
            assertEquals(Instant.ofEpochSecond(last.getIntervalStart() + last.getIntervalSeconds()), chain.lastIntervalEnd());
            assertEquals(last.getImportWh(), chain.lastImportWh(), "an S0 counter resumes from the last reading's register");
            assertEquals(stored, MeterAgent.findSession(outbox, booking).orElseThrow(), "found unacknowledged after the restart");
            beforeSession = chain;
        }
        MemoryUplink acking = new MemoryUplink(true);
        try (MeterAgent agent = MeterAgent.start(config(), key, new CountingMeter(), acking, Clock.systemUTC())) {
            waitFor(() -> agent.status().lastSequence() >= stored.sequence() + 1, Duration.ofSeconds(10));
            agent.stopMetering();
            assertTrue(agent.awaitDrained(Duration.ofSeconds(5)));
        }
        assertArrayEquals(stored.signedTx(), acking.sent.get(stored.sequence()).get(0), "re-sent byte for byte");
        Reading next = Reading.parseFrom(SignedTx.parseFrom(acking.sent.get(stored.sequence() + 1).get(0)).getBody());
        assertArrayEquals(beforeSession.headHash(), next.getPreviousHash().toByteArray());
        assertTrue(next.getIntervalStart() >= beforeSession.lastIntervalEnd().getEpochSecond());
    }

    @Test
    void aSessionCannotOpenAnEmptyChainAndABodyInTheWrongPlaceIsNotStored() throws Exception {
        MemoryUplink uplink = new MemoryUplink(true);
        CountingMeter unplugged = new CountingMeter();
        unplugged.failing = true; // no reading is ever made: the chain stays empty
        try (MeterAgent agent = MeterAgent.start(config(), key, unplugged, uplink, Clock.systemUTC())) {
            ExecutionException e = assertThrowsExecution(() -> agent.appendRecord(this::session).get(5, TimeUnit.SECONDS));
            assertInstanceOf(IllegalStateException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("expected a chain with a reading before it"), e.getCause().getMessage());
            assertEquals(0, agent.status().lastSequence());
        }
        try (MeterAgent agent = MeterAgent.start(config(), key, new CountingMeter(), uplink, Clock.systemUTC())) {
            waitFor(() -> agent.status().lastSequence() >= 1, Duration.ofSeconds(10));
            agent.stopMetering();
            long last = agent.status().lastSequence();
            ExecutionException e = assertThrowsExecution(
                    () -> agent.appendRecord((seq, prev) -> session(seq + 1, prev)).get(5, TimeUnit.SECONDS));
            assertInstanceOf(IllegalArgumentException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("expected sequence " + (last + 1)), e.getCause().getMessage());
            assertEquals(last, agent.status().lastSequence(), "nothing stored");
            assertFalse(agent.findSessionRecord(booking).get(5, TimeUnit.SECONDS).isPresent());
        }
    }

    private static ExecutionException assertThrowsExecution(org.junit.jupiter.api.function.Executable call) {
        return org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, call);
    }
}
