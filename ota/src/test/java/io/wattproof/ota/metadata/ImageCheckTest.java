package io.wattproof.ota.metadata;

import static io.wattproof.ota.metadata.Repo.accepted;
import static io.wattproof.ota.metadata.Repo.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ImageCheckTest {
    private static final byte[] IMAGE = new byte[10_000];

    static {
        new Random(7).nextBytes(IMAGE);
    }

    private static final ImageEntry ENTRY = new ImageEntry("agent-7", 7, List.of("raspberry-pi-4b"), IMAGE.length, Repo.sha256(IMAGE), 0);

    @Test
    void theAnnouncedBytesInAnySplitAreAccepted() {
        for (int chunk : new int[] {1, 7, 1000, 4096, IMAGE.length}) {
            ImageCheck check = new ImageCheck(ENTRY);
            for (int off = 0; off < IMAGE.length; off += chunk) {
                int len = Math.min(chunk, IMAGE.length - off);
                assertInstanceOf(ImageCheck.Progress.Continue.class, check.feed(IMAGE, off, len));
            }
            assertEquals(ENTRY, accepted(check.finish()));
            assertEquals(ENTRY, accepted(check.finish()));
        }
    }

    @Test
    void oneByteMoreThanAnnouncedStopsTheStreamAtOnce() {
        ImageCheck check = new ImageCheck(ENTRY);
        assertInstanceOf(ImageCheck.Progress.Continue.class, check.feed(IMAGE));
        Refusal why = assertInstanceOf(ImageCheck.Progress.Refused.class, check.feed(new byte[1])).refusal();
        assertEquals(Refusal.Reason.LENGTH, why.reason());
        assertEquals("image length", why.field());
        assertEquals("10000 bytes (agent-7)", why.expected());
        assertEquals("more: 10000 received and 1 more offered", why.actual());
        // It stays refused, whatever follows.
        assertInstanceOf(ImageCheck.Progress.Refused.class, check.feed(new byte[0]));
        assertEquals(Refusal.Reason.LENGTH, refused(check.finish()).reason());
    }

    @Test
    void anEndlessStreamIsRefusedWithinTheAnnouncedLength() {
        ImageCheck check = new ImageCheck(ENTRY);
        byte[] chunk = new byte[3000];
        long fed = 0;
        while (check.feed(chunk) instanceof ImageCheck.Progress.Continue c) {
            fed = c.received();
        }
        assertEquals(9000, fed);
    }

    @Test
    void aShortImageIsRefusedAtTheEnd() {
        ImageCheck check = new ImageCheck(ENTRY);
        check.feed(IMAGE, 0, IMAGE.length - 1);
        Refusal why = refused(check.finish());
        assertEquals(Refusal.Reason.LENGTH, why.reason());
        assertEquals("9999 bytes", why.actual());
    }

    @Test
    void aChangedByteIsAHashMismatch() {
        byte[] tampered = Arrays.copyOf(IMAGE, IMAGE.length);
        tampered[4321] ^= 0x40;
        ImageCheck check = new ImageCheck(ENTRY);
        check.feed(tampered);
        Refusal why = refused(check.finish());
        assertEquals(Refusal.Reason.HASH, why.reason());
        assertEquals("image sha256", why.field());
        assertEquals("0x" + java.util.HexFormat.of().formatHex(Repo.sha256(tampered)), why.actual());
    }
}
