package io.wattproof.crypto.seal;

import static io.wattproof.crypto.TestVectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SealContextTest {
    @Test
    void bytesAreTheDocumentedLayout() {
        SealContext context = new SealContext("ab", hex("0102"));
        byte[] expected = new byte[0];
        expected = concat("wattproof/v1/seal".getBytes(StandardCharsets.US_ASCII), hex("0002"), "ab".getBytes(StandardCharsets.US_ASCII),
                hex("0002"), hex("0102"));
        assertArrayEquals(expected, context.bytes());
    }

    @Test
    void lengthPrefixesKeepShiftedBoundariesApart() {
        // Without the prefixes "ab" + 01 and "a" + 6201 would give the same bytes.
        assertFalse(java.util.Arrays.equals(new SealContext("ab", hex("01")).bytes(), new SealContext("a", hex("6201")).bytes()));
    }

    @Test
    void emptyPurposeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SealContext("", new byte[0]));
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
