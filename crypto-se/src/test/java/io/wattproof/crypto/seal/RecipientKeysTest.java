package io.wattproof.crypto.seal;

import static io.wattproof.crypto.TestVectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RecipientKeysTest {
    /** RFC 9180 A.3.1 pkRm. */
    private static final String P256_PK = "04fe8c19ce0905191ebc298a9245792531f26f0cece2460639e8bc39cb7f706a82"
            + "6a779b4cf969b8a0e539c7f62fb3d30ad6aa8f80e30f1d128aafd68a2ce72ea0";

    @Test
    void keyIdIsTheFirst16BytesOfSha256OfThePublicKey() throws Exception {
        byte[] pk = hex(P256_PK);
        byte[] expected = Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(pk), 16);
        assertArrayEquals(expected, RecipientPublicKey.of(Kem.P256_HKDF_SHA256, pk).keyId());
    }

    @Test
    void publicKeysOfTheWrongShapeAreRefused() {
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
                () -> RecipientPublicKey.of(Kem.X25519_HKDF_SHA256, new byte[31]));
        assertEquals("X25519_HKDF_SHA256 public key: expected 32 bytes, got 31", length.getMessage());
        byte[] compressed = hex(P256_PK);
        compressed[0] = 0x02;
        assertThrows(IllegalArgumentException.class, () -> RecipientPublicKey.of(Kem.P256_HKDF_SHA256, compressed));
        byte[] offCurve = hex(P256_PK);
        offCurve[64] ^= 1;
        IllegalArgumentException point = assertThrows(IllegalArgumentException.class,
                () -> RecipientPublicKey.of(Kem.P256_HKDF_SHA256, offCurve));
        assertTrue(point.getMessage().contains("expected a valid point"), point.getMessage());
    }

    @Test
    void p256PrivateKeysOutsideOneToNMinusOneAreRefused() {
        byte[] ones = new byte[32];
        Arrays.fill(ones, (byte) 0xff);
        assertThrows(IllegalArgumentException.class, () -> RecipientKeyPair.fromPrivateKey(Kem.P256_HKDF_SHA256, new byte[32]));
        assertThrows(IllegalArgumentException.class, () -> RecipientKeyPair.fromPrivateKey(Kem.P256_HKDF_SHA256, ones));
        assertThrows(IllegalArgumentException.class, () -> RecipientKeyPair.fromPrivateKey(Kem.X25519_HKDF_SHA256, new byte[33]));
    }
}
