package io.wattproof.agent.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.crypto.seal.PartyPseudonyms;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DriverDataTest {
    private final DriverData data = DriverData.commit("Erika Mustermann, +49 170 0000000, B-EM 123E", new SecureRandom());

    @Test
    void roundTrips() {
        DriverData back = assertInstanceOf(DriverData.Decoded.Ok.class, DriverData.decode(data.encode())).data();
        assertEquals(data.contact(), back.contact());
        assertArrayEquals(data.salt(), back.salt());
    }

    @Test
    void thePseudonymOpensWithSaltAndContact() {
        assertTrue(PartyPseudonyms.verify(data.pseudonym(), data.salt(), data.contact().getBytes(StandardCharsets.UTF_8)).matches());
        assertFalse(PartyPseudonyms.verify(data.pseudonym(), data.salt(), "someone else".getBytes(StandardCharsets.UTF_8)).matches());
        assertEquals(32, data.pseudonym().length);
    }

    @Test
    void twoCommitmentsToOneContactDiffer() {
        DriverData again = DriverData.commit(data.contact(), new SecureRandom());
        assertFalse(Arrays.equals(data.pseudonym(), again.pseudonym()), "a fresh salt per booking makes bookings unlinkable");
    }

    @Test
    void theLayoutIsVersionSaltContact() {
        byte[] b = new DriverData("ab", new byte[32]).encode();
        assertEquals(1 + 2 + 32 + 2 + 2, b.length);
        assertEquals(1, b[0]);
        assertEquals(32, ((b[1] & 0xff) << 8) | (b[2] & 0xff));
        assertEquals(2, ((b[35] & 0xff) << 8) | (b[36] & 0xff));
        assertEquals('a', b[37]);
    }

    @Test
    void everyTruncationAndAnExtraByteAreMalformed() {
        byte[] full = data.encode();
        for (int n = 0; n < full.length; n++) {
            assertInstanceOf(DriverData.Decoded.Malformed.class, DriverData.decode(Arrays.copyOf(full, n)), "cut to " + n);
        }
        assertInstanceOf(DriverData.Decoded.Malformed.class, DriverData.decode(Arrays.copyOf(full, full.length + 1)));
        byte[] v2 = full.clone();
        v2[0] = 2;
        assertEquals(new DriverData.Decoded.Malformed("driver data version: expected 1, got 2"), DriverData.decode(v2));
    }

    @Test
    void aContactThatIsNotUtf8IsMalformed() {
        byte[] b = new DriverData("xx", new byte[32]).encode();
        b[b.length - 2] = (byte) 0xc3;
        b[b.length - 1] = 0x28;
        assertEquals(new DriverData.Decoded.Malformed("driver data contact: expected utf-8, got bytes that are not"), DriverData.decode(b));
    }

    @Test
    void limitsAreEnforcedAndNothingLeaksIntoToString() {
        assertThrows(IllegalArgumentException.class, () -> new DriverData("x", new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> new DriverData("x".repeat(DriverData.MAX_CONTACT_BYTES + 1), new byte[32]));
        assertFalse(data.toString().contains("Erika"));
    }
}
