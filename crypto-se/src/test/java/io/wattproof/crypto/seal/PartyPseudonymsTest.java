package io.wattproof.crypto.seal;

import static io.wattproof.crypto.TestVectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PartyPseudonymsTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] PLATE = "B-WP 1234".getBytes(StandardCharsets.UTF_8);

    @Test
    void commitmentIsTheDocumentedHash() throws Exception {
        byte[] salt = hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        // Computed independently of the class: SHA-256 over the three parts concatenated.
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] expected = sha.digest(concat("wattproof/v1/party".getBytes(StandardCharsets.US_ASCII), salt, PLATE));
        assertArrayEquals(expected, PartyPseudonyms.pseudonym(salt, PLATE));
        assertEquals(32, expected.length);
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void aCommitmentOpensWithItsSaltAndIdentity() {
        PartyPseudonyms.Commitment c = PartyPseudonyms.commit(PLATE, RANDOM);
        assertEquals(new PartyPseudonyms.Check.Matches(), PartyPseudonyms.verify(c.pseudonym(), c.salt(), PLATE));
    }

    @Test
    void aWrongSaltOrIdentityDoesNotOpen() {
        PartyPseudonyms.Commitment c = PartyPseudonyms.commit(PLATE, RANDOM);
        byte[] otherSalt = c.salt();
        otherSalt[31] ^= 1;
        assertEquals(new PartyPseudonyms.Check.Mismatch(), PartyPseudonyms.verify(c.pseudonym(), otherSalt, PLATE));
        assertEquals(new PartyPseudonyms.Check.Mismatch(),
                PartyPseudonyms.verify(c.pseudonym(), c.salt(), "B-WP 1235".getBytes(StandardCharsets.UTF_8)));
        assertEquals(new PartyPseudonyms.Check.Mismatch(), PartyPseudonyms.verify(c.pseudonym(), c.salt(), new byte[0]));
    }

    @Test
    void theSamePartyGetsUnlinkablePseudonyms() {
        PartyPseudonyms.Commitment a = PartyPseudonyms.commit(PLATE, RANDOM);
        PartyPseudonyms.Commitment b = PartyPseudonyms.commit(PLATE, RANDOM);
        assertFalse(java.util.Arrays.equals(a.pseudonym(), b.pseudonym()));
    }

    @Test
    void wrongLengthsAreMalformedNotMismatches() {
        PartyPseudonyms.Commitment c = PartyPseudonyms.commit(PLATE, RANDOM);
        assertEquals(new PartyPseudonyms.Check.Malformed("party salt: expected 32 bytes, got 31"),
                PartyPseudonyms.verify(c.pseudonym(), new byte[31], PLATE));
        assertEquals(new PartyPseudonyms.Check.Malformed("party pseudonym: expected 32 bytes, got 20"),
                PartyPseudonyms.verify(new byte[20], c.salt(), PLATE));
        assertThrows(IllegalArgumentException.class, () -> PartyPseudonyms.pseudonym(new byte[16], PLATE));
    }

    @Test
    void theSaltNeverAppearsInToString() {
        PartyPseudonyms.Commitment c = PartyPseudonyms.commit(PLATE, RANDOM);
        assertFalse(c.toString().contains(HexFormat.of().formatHex(c.salt())));
        assertTrue(c.toString().contains(HexFormat.of().formatHex(c.pseudonym())));
    }
}
