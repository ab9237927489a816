package io.wattproof.lightclient.verifier;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.lightclient.ChainGenerator;
import io.wattproof.lightclient.ChainGenerator.TestValidator;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.PublicKey;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ConsensusSignaturesTest {
    private final ConsensusSignatures signatures = new ConsensusSignatures();
    private final byte[] message = "precommit".getBytes(StandardCharsets.US_ASCII);

    @Test
    void keysThatAreNotCurvePointsNeverVerifyAndNeverThrow() {
        Random r = new Random(11);
        Bytes sig = Bytes.of(new byte[64]);
        for (int i = 0; i < 200; i++) {
            byte[] ed = new byte[32];
            r.nextBytes(ed);
            assertFalse(signatures.isValid(PublicKey.ed25519(Bytes.of(ed)), message, sig));
            byte[] k1 = new byte[33];
            r.nextBytes(k1);
            k1[0] = (byte) (i % 4 == 0 ? 0x05 : 0x02 + (i % 2));
            assertFalse(signatures.isValid(PublicKey.secp256k1(Bytes.of(k1)), message, sig));
        }
    }

    @Test
    void signaturesOfTheWrongLengthAreRefused() {
        ChainGenerator gen = new ChainGenerator(3);
        for (TestValidator v : new TestValidator[] {gen.ed25519Validator(1), gen.secp256k1Validator(1)}) {
            Bytes good = v.sign(message);
            PublicKey key = v.validator().publicKey();
            assertTrue(signatures.isValid(key, message, good));
            byte[] longer = Arrays.copyOf(good.toArray(), 65);
            assertFalse(signatures.isValid(key, message, Bytes.of(longer)));
            assertFalse(signatures.isValid(key, message, Bytes.of(good.toArray(), 0, 63)));
            assertFalse(signatures.isValid(key, message, Bytes.EMPTY));
            // Cached keys answer the same way the second time.
            assertTrue(signatures.isValid(key, message, good));
        }
    }
}
