package io.wattproof.agent.charging;

import static io.wattproof.agent.charging.ChargingFixture.CHAIN;
import static io.wattproof.agent.charging.ChargingFixture.RANDOM;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.wattproof.agent.AgentConfig;
import io.wattproof.agent.MeterAgent;
import io.wattproof.agent.gpio.LoggingRelay;
import io.wattproof.agent.meter.MeterSnapshot;
import io.wattproof.agent.meter.MeterSource;
import io.wattproof.agent.record.ChargingSessionFactory;
import io.wattproof.agent.record.FirmwareIdentity;
import io.wattproof.agent.record.SignedRecord;
import io.wattproof.agent.uplink.Uplink;
import io.wattproof.crypto.seal.Kem;
import io.wattproof.crypto.seal.RecipientKeyPair;
import io.wattproof.crypto.seal.Suite;
import io.wattproof.protocol.v1.Booking;
import io.wattproof.protocol.v1.ChargingSession;
import io.wattproof.protocol.v1.SignedTx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pile inside a running {@link MeterAgent} (real outbox, worker thread and clock): the session
 * record is appended by the agent's worker while readings go on, and the worker's completion
 * reaches the pile across threads. Only the broker and the ledger are in memory.
 */
class ChargingPileWithAgentTest {
    @TempDir
    Path dataDir;

    private final ChargingFixture f = new ChargingFixture();

    /** A meter whose import register grows by 2 Wh per read. */
    static final class RisingMeter implements MeterSource {
        final AtomicLong wh = new AtomicLong(10_000);

        @Override
        public MeterSnapshot read() {
            return new MeterSnapshot(wh.addAndGet(2) / 1000.0, 0, 7200, new double[] {230}, new double[] {31});
        }

        @Override
        public String model() {
            return "TEST";
        }

        @Override
        public void close() {}
    }

    /** Acknowledges every record at once. */
    static final class AckingUplink implements Uplink {
        @Override
        public void start(Listener listener) {
            this.listener = listener;
            listener.connected(10);
        }

        private volatile Listener listener;

        @Override
        public boolean send(long sequence, byte[] payload) {
            listener.acknowledged(sequence);
            return true;
        }

        @Override
        public void close() {}
    }

    private static void waitFor(BooleanSupplier condition, Runnable each) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            each.run();
            Thread.sleep(50);
        }
    }

    @Test
    void aSessionRunsOnLiveSamplesAndItsRecordJoinsTheAgentsChain() throws Exception {
        AgentConfig config = AgentConfig.builder(dataDir).chainId(CHAIN).interval(Duration.ofSeconds(1)).meterSerial("1")
                .firmware(new FirmwareIdentity("0.1.0", new byte[32])).build();
        List<byte[]> submitted = new CopyOnWriteArrayList<>();
        LoggingRelay relay = new LoggingRelay(Clock.systemUTC());
        RecipientKeyPair seal = RecipientKeyPair.generate(Kem.X25519_HKDF_SHA256, RANDOM);
        try (MeterAgent agent = MeterAgent.start(config, f.pile, new RisingMeter(), new AckingUplink(), Clock.systemUTC())) {
            ChargingPile.Host host = new ChargingPile.Host() {
                @Override
                public void submitTransaction(byte[] signedTx) {
                    submitted.add(signedTx);
                }

                @Override
                public CompletableFuture<SignedRecord> appendRecord(ChargingSessionFactory factory) {
                    return agent.appendRecord(factory);
                }

                @Override
                public CompletableFuture<Optional<SignedRecord>> findSessionRecord(byte[] bookingTxHash) {
                    return agent.findSessionRecord(bookingTxHash);
                }

                @Override
                public Optional<io.wattproof.agent.meter.MeterSample> latestSample() {
                    return agent.latestSample();
                }

                @Override
                public boolean publish(String topic, byte[] payload, boolean retained) {
                    return true;
                }
            };
            SessionSealer sealer = new SessionSealer(Suite.X25519_AES_128_GCM, seal,
                    RecipientKeyPair.generate(Kem.X25519_HKDF_SHA256, RANDOM).publicKey(),
                    RecipientKeyPair.generate(Kem.X25519_HKDF_SHA256, RANDOM).publicKey(), new byte[] {1}, new byte[32], RANDOM);
            ChargingPile pile = ChargingPile.open(ChargingPile.Settings.of(CHAIN, dataDir, new byte[32], seal.publicKey().encoded(),
                    "X25519"), f.pile, relay, sealer, host, Clock.systemUTC());
            long now = Instant.now().getEpochSecond();
            byte[] offer = pile.publishOffer(300_000, now - 120, now + 7200, 11_000);
            Booking booking = f.booking().setOfferTxHash(ByteString.copyFrom(offer)).setWindowStart(now - 60).setWindowEnd(now + 3600)
                    .setMaxEnergyWh(6).build();
            byte[] bookingTx = f.bookingTx(booking);
            byte[] bookingHash = ChargingTransactions.txHash(bookingTx);
            // The chain must hold a reading before a session record can follow it.
            waitFor(() -> agent.status().lastSequence() >= 1, () -> {});
            pile.bookingVerified(bookingTx);
            pile.requestArrived(f.start(f.driver, bookingHash, f.pileId(), Instant.now(), null));
            assertTrue(relay.isClosed());
            waitFor(() -> pile.phase() == ChargingController.Phase.CLOSED
                    && !Files.exists(dataDir.resolve(SessionStateFile.FILE_NAME)), pile::tick);
            assertFalse(relay.isClosed());
            SignedRecord stored = agent.findSessionRecord(bookingHash).get(5, TimeUnit.SECONDS).orElseThrow();
            ChargingSession s = ChargingSession.parseFrom(SignedTx.parseFrom(stored.signedTx()).getBody());
            assertEquals(ChargingSession.EndReason.LIMIT_REACHED, s.getEndReason());
            assertTrue(s.getEnergyWh() >= 6, "stopped at the first sample over the limit: " + s.getEnergyWh());
            assertEquals(2, submitted.size(), "the offer and the session start");
            long seq = stored.sequence();
            waitFor(() -> agent.status().lastSequence() > seq, () -> {});
            agent.stopMetering();
            pile.close();
            assertArrayEquals(bookingHash, s.getContractTxHash().toByteArray());
        }
    }
}
