package io.wattproof.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.wattproof.agent.MeterAgentTest.CountingMeter;
import io.wattproof.agent.ledger.FakeGateway;
import io.wattproof.agent.ledger.LedgerChain;
import io.wattproof.agent.ledger.LedgerCounters;
import io.wattproof.agent.ledger.LedgerSettings;
import io.wattproof.agent.ledger.LedgerTxListener;
import io.wattproof.agent.outbox.MemoryOutbox;
import io.wattproof.agent.provision.TrustAnchor;
import io.wattproof.agent.record.FirmwareIdentity;
import io.wattproof.agent.uplink.LedgerChannel;
import io.wattproof.agent.uplink.Uplink;
import io.wattproof.lightclient.encoding.LightBlockCodec;
import io.wattproof.lightclient.provider.ProviderException;
import io.wattproof.lightclient.tx.TxInclusion;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.protocol.v1.BodyType;
import io.wattproof.protocol.v1.LightBlockRequest;
import io.wattproof.protocol.v1.LightBlockResponse;
import io.wattproof.protocol.v1.SignedTx;
import io.wattproof.protocol.v1.TxResultCode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent with ledger settings, over an uplink that carries ledger traffic to a gateway in the
 * test: records become final only through verified receipts, final records are pruned, and a
 * forged header changes nothing stored until an honest answer to a re-submission finalises the
 * record.
 */
class MeterAgentLedgerTest {
    @TempDir
    Path dataDir;

    private final TestDeviceKey key = new TestDeviceKey();
    /** The chain started an hour ago, so its headers are neither expired nor from the future. */
    private final LedgerChain chain = new LedgerChain(5, Instant.now().minus(Duration.ofHours(1)));

    /** Acknowledges every record and hands it to the gateway; answers light-block requests from it. */
    static final class LedgerUplink implements Uplink, LedgerChannel {
        final FakeGateway gateway;
        volatile Listener listener;
        volatile LedgerChannel.Subscriber ledger;

        LedgerUplink(LedgerChain chain) {
            gateway = new FakeGateway(chain, receipt -> ledger.receipt(receipt));
        }

        @Override
        public void start(Listener l) {
            listener = l;
            ledger.connected();
            l.connected(10);
        }

        @Override
        public boolean send(long sequence, byte[] payload) {
            listener.acknowledged(sequence);
            gateway.submit(payload);
            return true;
        }

        @Override
        public boolean sendTransaction(byte[] signedTx) {
            gateway.submit(signedTx);
            return true;
        }

        @Override
        public void ledger(LedgerChannel.Subscriber subscriber) {
            ledger = subscriber;
        }

        @Override
        public boolean requestLightBlock(byte[] request, byte[] correlationData) {
            LightBlockResponse.Builder answer = LightBlockResponse.newBuilder().setLatestHeight(gateway.chain.height());
            try {
                long height = LightBlockRequest.parseFrom(request).getHeight();
                LightBlock b = height == 0 ? gateway.latest() : gateway.lightBlock(height);
                answer.setLightBlock(ByteString.copyFrom(LightBlockCodec.encode(b)))
                        .setNextValidatorSet(ByteString.copyFrom(LightBlockCodec.encodeValidatorSet(b.nextValidators().orElseThrow())));
            } catch (ProviderException | com.google.protobuf.InvalidProtocolBufferException e) {
                answer.setError(e.getMessage());
            }
            ledger.lightBlockResponse(correlationData, answer.build().toByteArray());
            return true;
        }

        @Override
        public void close() {}
    }

    private AgentConfig config(Duration receiptTimeout) {
        TrustAnchor anchor = new TrustAnchor("test", LedgerChain.CHAIN_ID, Duration.ofDays(14), chain.block(1));
        return AgentConfig.builder(dataDir).chainId("test-chain").interval(Duration.ofSeconds(1)).meterSerial("42")
                .firmware(new FirmwareIdentity("0.1.0", new byte[32]))
                .ledger(LedgerSettings.of(anchor).withReceiptTimeout(receiptTimeout).withPruneThreshold(2))
                .build();
    }

    @Test
    void recordsBecomeFinalThroughVerifiedReceiptsAndArePruned() throws Exception {
        chain.commit(List.of());
        LedgerUplink uplink = new LedgerUplink(chain);
        MemoryOutbox outbox = new MemoryOutbox();
        try (MeterAgent agent = MeterAgent.start(config(Duration.ofSeconds(60)), key, new CountingMeter(), uplink, Clock.systemUTC(),
                outbox)) {
            MeterAgentTest.waitFor(() -> agent.status().lastSequence() >= 3, Duration.ofSeconds(20));
            agent.stopMetering();
            assertTrue(agent.awaitFinal(Duration.ofSeconds(20)), "every record final: " + agent.status());
            LedgerCounters c = agent.ledger().orElseThrow();
            assertEquals(agent.status().lastSequence(), c.confirmed());
            assertEquals(0, c.forgeriesDetected());
            assertTrue(c.verifiedHeight() > 1, "verified height " + c.verifiedHeight());
            assertTrue(agent.status().ledger().isPresent());
            assertEquals(0, agent.status().unconfirmed());
        }
        assertTrue(outbox.prunable() < 2, "pruned at two final records, " + outbox.prunable() + " left");
        assertTrue(dataDir.resolve("ledger").toFile().isDirectory(), "the light store lives in the data folder");
    }

    /** Acknowledges every record and never answers: the records stay unconfirmed. */
    static final class SilentLedgerUplink implements Uplink, LedgerChannel {
        private volatile LedgerChannel.Subscriber ledger;
        private volatile Listener listener;

        @Override
        public void start(Listener l) {
            listener = l;
            ledger.connected();
            l.connected(10);
        }

        @Override
        public boolean send(long sequence, byte[] payload) {
            listener.acknowledged(sequence);
            return true;
        }

        @Override
        public boolean sendTransaction(byte[] signedTx) {
            return true;
        }

        @Override
        public void ledger(LedgerChannel.Subscriber subscriber) {
            ledger = subscriber;
        }

        @Override
        public boolean requestLightBlock(byte[] request, byte[] correlationData) {
            return true;
        }

        @Override
        public void close() {}
    }

    @Test
    void aRestartedAgentCountsTheRecordsStillAwaitingReceiptsFromItsFirstStatus() throws Exception {
        chain.commit(List.of());
        long waiting;
        try (MeterAgent agent = MeterAgent.start(config(Duration.ofMinutes(10)), key, new CountingMeter(), new SilentLedgerUplink(),
                Clock.systemUTC())) {
            MeterAgentTest.waitFor(() -> agent.status().unconfirmed() >= 2, Duration.ofSeconds(20));
            agent.stopMetering();
            waiting = agent.status().unconfirmed();
        }
        try (MeterAgent agent = MeterAgent.start(config(Duration.ofMinutes(10)), key, new CountingMeter(), new SilentLedgerUplink(),
                Clock.systemUTC())) {
            assertEquals(waiting, agent.status().unconfirmed(), "the first status, before the follower has read the outbox");
            assertFalse(agent.awaitFinal(Duration.ofMillis(300)), "nothing is final without a verified receipt");
        }
    }

    @Test
    void aForgedHeaderChangesNothingUntilAnHonestAnswer() throws Exception {
        chain.commit(List.of());
        LedgerUplink uplink = new LedgerUplink(chain);
        uplink.gateway.forgeHeightOnce = 2; // the block that will hold the first record
        MemoryOutbox outbox = new MemoryOutbox();
        try (MeterAgent agent = MeterAgent.start(config(Duration.ofMillis(500)), key, new CountingMeter(), uplink, Clock.systemUTC(),
                outbox)) {
            MeterAgentTest.waitFor(() -> agent.status().lastSequence() >= 1, Duration.ofSeconds(20));
            agent.stopMetering();
            assertTrue(agent.awaitFinal(Duration.ofSeconds(20)), "every record final: " + agent.status());
            LedgerCounters c = agent.ledger().orElseThrow();
            assertEquals(1, c.forgeriesDetected());
            assertEquals(agent.status().lastSequence(), c.confirmed());
        }
    }

    @Test
    void aTransactionThatIsNoRecordIsDecidedAndABookingHandedOnOnTheWorkerThread() throws Exception {
        chain.commit(List.of());
        LedgerUplink uplink = new LedgerUplink(chain);
        uplink.gateway.withResults = true;
        List<String> heard = new CopyOnWriteArrayList<>();
        byte[] offer = SignedTx.newBuilder().setBodyType(BodyType.PILE_OFFER).setBody(ByteString.copyFromUtf8("offer")).build().toByteArray();
        byte[] booking = SignedTx.newBuilder().setBodyType(BodyType.BOOKING).setBody(ByteString.copyFromUtf8("booking")).build().toByteArray();
        try (MeterAgent agent = MeterAgent.start(config(Duration.ofSeconds(2)), key, new CountingMeter(), uplink, Clock.systemUTC(),
                new MemoryOutbox())) {
            agent.ledgerTransactions(new LedgerTxListener() {
                @Override
                public void bookingVerified(byte[] bookingTx, long height) {
                    heard.add("booking " + Arrays.equals(booking, bookingTx) + " " + Thread.currentThread().getName().startsWith("agent-"));
                }

                @Override
                public void txDecided(byte[] txHash, int resultCode, long height) {
                    heard.add("decided " + Arrays.equals(TxInclusion.txHash(Bytes.of(offer)).toArray(), txHash) + " " + resultCode + " "
                            + Thread.currentThread().getName().startsWith("agent-"));
                }
            });
            agent.submitTransaction(offer);
            // The records that keep coming commit the blocks whose headers prove the results.
            MeterAgentTest.waitFor(() -> heard.contains("decided true 0 true"), Duration.ofSeconds(20));
            chain.commit(List.of(new byte[] {1}, booking), List.of(0, 0));
            chain.commit(List.of());
            uplink.ledger.booking(chain.receiptWithResult(booking, TxResultCode.RESULT_OK).toByteArray());
            MeterAgentTest.waitFor(() -> heard.contains("booking true true"), Duration.ofSeconds(20));
            agent.stopMetering();
        }
        assertEquals(List.of("decided true 0 true", "booking true true"), heard);
    }
}
