package io.wattproof.agent.record;

import com.google.protobuf.ByteString;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyStoreFailure;
import io.wattproof.protocol.SignBytes;
import io.wattproof.protocol.v1.BodyType;
import io.wattproof.protocol.v1.KeyAlgorithm;
import io.wattproof.protocol.v1.Reading;
import io.wattproof.protocol.v1.SignedTx;
import java.time.Instant;

/** Signs Readings with the device key and wraps them in a SignedTx. */
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
}
