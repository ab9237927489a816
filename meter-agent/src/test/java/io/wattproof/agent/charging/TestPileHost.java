package io.wattproof.agent.charging;

import io.wattproof.agent.MeterAgent;
import io.wattproof.agent.meter.MeterSample;
import io.wattproof.agent.meter.MeterSnapshot;
import io.wattproof.agent.outbox.FileOutbox;
import io.wattproof.agent.outbox.OutboxException;
import io.wattproof.agent.record.ChainState;
import io.wattproof.agent.record.ChargingSessionFactory;
import io.wattproof.agent.record.RecordSigner;
import io.wattproof.agent.record.SignedRecord;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.protocol.v1.ChargingSession;
import io.wattproof.protocol.v1.Reading;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Test double of the meter agent a pile runs in: a real {@link FileOutbox} in the test's data dir
 * and the agent's record signer, with transactions and publications kept in lists and the meter's
 * latest sample set by the test. Appends the way {@code MeterAgent.appendRecord} does, at once.
 */
final class TestPileHost implements ChargingPile.Host {
    record Published(String topic, String payload, boolean retained) {}

    private final Path dataDir;
    private final RecordSigner signer;
    private final DeviceKey key;
    FileOutbox outbox;
    final List<byte[]> submitted = new ArrayList<>();
    final List<Published> published = new ArrayList<>();
    volatile MeterSample latest;
    volatile boolean failAppends;
    int appendAttempts;

    TestPileHost(Path dataDir, DeviceKey key, String chainId) throws OutboxException {
        this.dataDir = dataDir;
        this.key = key;
        this.signer = new RecordSigner(key, chainId);
        this.outbox = FileOutbox.open(dataDir);
    }

    /** A reading as the agent would store it, so the chain does not start with a session. */
    void appendReading(Instant start, long importWh) throws Exception {
        ChainState chain = outbox.chainState();
        Reading r = Reading.newBuilder()
                .setDeviceId(com.google.protobuf.ByteString.copyFrom(key.deviceId().bytes()))
                .setSequence(chain.nextSequence())
                .setIntervalStart(start.getEpochSecond())
                .setIntervalSeconds(900)
                .setImportWh(importWh)
                .setPreviousHash(com.google.protobuf.ByteString.copyFrom(chain.headHash()))
                .build();
        outbox.append(signer.sign(r));
    }

    /** As after a power cut: the outbox is closed without ceremony and opened again. */
    void reopen() throws OutboxException {
        outbox.close();
        outbox = FileOutbox.open(dataDir);
    }

    void sample(Instant at, long importWh, double powerW) {
        latest = new MeterSample(at, new MeterSnapshot(importWh / 1000.0, 0, powerW, new double[] {230}, new double[] {powerW / 230}));
    }

    List<ChargingSession> sessions() throws Exception {
        List<SignedRecord> all = new ArrayList<>(outbox.unacknowledged());
        List<ChargingSession> out = new ArrayList<>();
        for (SignedRecord r : all) {
            io.wattproof.protocol.v1.SignedTx tx = io.wattproof.protocol.v1.SignedTx.parseFrom(r.signedTx());
            if (tx.getBodyType() == io.wattproof.protocol.v1.BodyType.CHARGING_SESSION) {
                out.add(ChargingSession.parseFrom(tx.getBody()));
            }
        }
        return out;
    }

    List<Published> publishedOn(String topicSuffix) {
        return published.stream().filter(p -> p.topic().endsWith(topicSuffix)).toList();
    }

    @Override
    public void submitTransaction(byte[] signedTx) {
        submitted.add(signedTx.clone());
    }

    @Override
    public CompletableFuture<SignedRecord> appendRecord(ChargingSessionFactory factory) {
        appendAttempts++;
        if (failAppends) {
            return CompletableFuture.failedFuture(new OutboxException("test outbox failing"));
        }
        try {
            ChainState chain = outbox.chainState();
            if (chain.lastIntervalEnd() == null) {
                throw new IllegalStateException("charging session record: expected a chain with a reading before it");
            }
            ChargingSession body = factory.build(chain.nextSequence(), chain.headHash());
            if (body.getSequence() != chain.nextSequence() || !Arrays.equals(body.getPreviousHash().toByteArray(), chain.headHash())) {
                throw new IllegalArgumentException("session not in the place it was given");
            }
            SignedRecord record = signer.sign(body, chain.lastIntervalEnd());
            outbox.append(record);
            return CompletableFuture.completedFuture(record);
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<Optional<SignedRecord>> findSessionRecord(byte[] bookingTxHash) {
        try {
            return CompletableFuture.completedFuture(MeterAgent.findSession(outbox, bookingTxHash));
        } catch (OutboxException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public Optional<MeterSample> latestSample() {
        return Optional.ofNullable(latest);
    }

    @Override
    public boolean publish(String topic, byte[] payload, boolean retained) {
        published.add(new Published(topic, new String(payload, java.nio.charset.StandardCharsets.UTF_8), retained));
        return true;
    }
}
