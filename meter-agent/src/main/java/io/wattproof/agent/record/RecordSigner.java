package io.wattproof.agent.record;

import com.google.protobuf.ByteString;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyStoreFailure;
import io.wattproof.protocol.SignBytes;
import io.wattproof.protocol.v1.BodyType;
import io.wattproof.protocol.v1.ChargingSession;
import io.wattproof.protocol.v1.KeyAlgorithm;
import io.wattproof.protocol.v1.Reading;
import io.wattproof.protocol.v1.SignedTx;
import java.time.Instant;

/** Signs the records of a device's chain (Readings, ChargingSessions) with the device key and wraps them in a SignedTx. */
public final class RecordSigner {
    private final DeviceKey key;
    private final String chainId;

    public RecordSigner(DeviceKey key, String chainId) {
        this.key = key;
        this.chainId = SignBytes.checkChainId(chainId);
    }

    public SignedRecord sign(Reading reading) throws KeyStoreFailure {
        byte[] body = reading.toByteArray();
        byte[] signBytes = SignBytes.of(BodyType.READING, chainId, body);
        SignedTx.Builder tx = SignedTx.newBuilder()
                .setBodyType(BodyType.READING)
                .setBody(ByteString.copyFrom(body))
                .setKeyAlgorithm(KeyAlgorithm.forNumber(key.algorithm().wireNumber()))
                .setSignature(ByteString.copyFrom(key.sign(signBytes)));
        if (reading.getSequence() == 1) {
            // The first record introduces the key, so a receiver that was not told of the device
            // at provisioning can still register it (and check the device id against it).
            tx.setPublicKey(ByteString.copyFrom(key.publicKeyInfo()));
        }
        Instant end = Instant.ofEpochSecond(reading.getIntervalStart() + reading.getIntervalSeconds());
        return new SignedRecord(reading.getSequence(), tx.build().toByteArray(), SignBytes.recordHash(signBytes), end);
    }

    /**
     * A ChargingSession record of the chain (docs/charging.md, "Who signs what"): sign-bytes domain
     * {@code wattproof/v1/ChargingSession}. A session covers no interval of its own, so the record
     * carries the chain's last interval end on unchanged ({@code chainIntervalEnd}): the interval
     * engine, and the GAP check of the next reading, see the chain as if the session were not in it.
     */
    public SignedRecord sign(ChargingSession session, Instant chainIntervalEnd) throws KeyStoreFailure {
        if (chainIntervalEnd == null) {
            throw new IllegalArgumentException("chain interval end: expected the end of the reading before the session, got none "
                    + "(a session record cannot open a chain)");
        }
        byte[] body = session.toByteArray();
        byte[] signBytes = SignBytes.of(BodyType.CHARGING_SESSION, chainId, body);
        byte[] tx = SignedTx.newBuilder()
                .setBodyType(BodyType.CHARGING_SESSION)
                .setBody(ByteString.copyFrom(body))
                .setKeyAlgorithm(KeyAlgorithm.forNumber(key.algorithm().wireNumber()))
                .setSignature(ByteString.copyFrom(key.sign(signBytes)))
                .build().toByteArray();
        return new SignedRecord(session.getSequence(), tx, SignBytes.recordHash(signBytes), chainIntervalEnd);
    }
}
