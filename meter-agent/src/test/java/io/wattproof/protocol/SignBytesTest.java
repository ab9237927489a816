package io.wattproof.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wattproof.protocol.v1.BodyType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SignBytesTest {

    @Test
    void layoutIsDomainNulChainNulBody() {
        byte[] body = {0x08, 0x01};
        byte[] sb = SignBytes.of(BodyType.READING, "c1", body);
        // "wattproof/v1/Reading" 00 "c1" 00 08 01
        assertEquals(
                HexFormat.of().formatHex("wattproof/v1/Reading".getBytes(StandardCharsets.US_ASCII)) + "00" + "6331" + "00" + "0801",
                HexFormat.of().formatHex(sb));
    }

    @Test
    void domainSeparatesMessageTypesAndChains() {
        byte[] body = {1, 2, 3};
        byte[] reading = SignBytes.of(BodyType.READING, "c1", body);
        assertFalse(Arrays.equals(reading, SignBytes.of(BodyType.CHARGING_SESSION, "c1", body)));
        assertFalse(Arrays.equals(reading, SignBytes.of(BodyType.READING, "c2", body)));
    }

    @Test
    void rejectsChainIdsThatCouldForgeTheSeparator() {
        assertThrows(IllegalArgumentException.class, () -> SignBytes.of(BodyType.READING, "a\0b", new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> SignBytes.of(BodyType.READING, "", new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> SignBytes.of(BodyType.READING, "x".repeat(51), new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> SignBytes.of(BodyType.BODY_TYPE_UNSPECIFIED, "c", new byte[0]));
    }

    @Test
    void recordHashIsSha256OfSignBytes() throws Exception {
        byte[] sb = SignBytes.of(BodyType.READING, "c1", new byte[] {7});
        assertArrayEquals(java.security.MessageDigest.getInstance("SHA-256").digest(sb), SignBytes.recordHash(sb));
        // SHA-256("abc"), FIPS 180-2 appendix B.1: pins the algorithm, not just self-consistency.
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                HexFormat.of().formatHex(SignBytes.recordHash("abc".getBytes(StandardCharsets.US_ASCII))));
    }
}
