package io.wattproof.agent.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.google.protobuf.ByteString;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.SignatureCheck;
import io.wattproof.crypto.Signatures;
import io.wattproof.crypto.soft.SoftwareKeyStore;
import io.wattproof.protocol.SignBytes;
import io.wattproof.protocol.v1.BodyType;
import io.wattproof.protocol.v1.Reading;
import io.wattproof.protocol.v1.SignedTx;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every algorithm the key store can create must have its own value in the wire enum: the signer
 * maps by number, and a number the proto lacks would go out as UNRECOGNIZED.
 */
class RecordSignerTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void signsWithEveryStoreAlgorithmAndNamesItOnTheWire(KeyAlgorithm algorithm) throws Exception {
        Path secret = tmp.resolve("secret");
        SoftwareKeyStore.createSecret(secret);
        DeviceKey key = SoftwareKeyStore.create(tmp.resolve("keys"), algorithm, secret);
        Reading reading = Reading.newBuilder()
                .setDeviceId(ByteString.copyFrom(key.deviceId().bytes()))
                .setSequence(1)
                .setIntervalStart(1_767_225_600L)
                .setIntervalSeconds(900)
                .setImportWh(1_000_250)
                .build();

        SignedTx tx = SignedTx.parseFrom(new RecordSigner(key, "test-chain").sign(reading).signedTx());

        assertNotEquals(io.wattproof.protocol.v1.KeyAlgorithm.UNRECOGNIZED, tx.getKeyAlgorithm());
        assertEquals(algorithm.name(), tx.getKeyAlgorithm().name());
        assertEquals(algorithm.wireNumber(), tx.getKeyAlgorithmValue());
        byte[] signBytes = SignBytes.of(BodyType.READING, "test-chain", tx.getBody().toByteArray());
        assertEquals(new SignatureCheck.Valid(), Signatures.check(algorithm, tx.getPublicKey().toByteArray(), signBytes,
                tx.getSignature().toByteArray()));
    }
}
