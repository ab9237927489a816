package io.wattproof.ota.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.wattproof.ota.metadata.ImageEntry;
import io.wattproof.ota.metadata.Refusal;
import io.wattproof.ota.v1.Chunk;
import io.wattproof.ota.v1.ChunkRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DownloadTest {
    static final byte[] IMAGE = new byte[10_000];

    static {
        new Random(11).nextBytes(IMAGE);
    }

    static final ImageEntry ENTRY = new ImageEntry("agent", 7, List.of("raspberry-pi-4b"), IMAGE.length, sha256(IMAGE), 0);

    static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** What an honest sender answers to a request. */
    static Chunk answer(byte[] image, ChunkRequest req) {
        int from = (int) req.getOffset();
        int to = Math.min(image.length, from + req.getMaxLength());
        return chunk(req.getImageName(), req.getImageVersion(), from, Arrays.copyOfRange(image, from, to), to == image.length);
    }

    static Chunk chunk(String name, long version, long offset, byte[] data, boolean last) {
        return Chunk.newBuilder().setImageName(name).setImageVersion(version).setOffset(offset).setData(ByteString.copyFrom(data)).setLast(last).build();
    }

    static Chunk chunk(long offset, int length) {
        return chunk("agent", 7, offset, Arrays.copyOfRange(IMAGE, (int) offset, (int) offset + length), offset + length == IMAGE.length);
    }

    @Test
    void inOrderChunksCompleteTheImage() {
        Download d = Download.start(ENTRY, 4096);
        assertEquals(0, d.nextRequest().orElseThrow().getOffset());
        assertEquals(4096, d.nextRequest().orElseThrow().getMaxLength());
        assertEquals(4096, assertInstanceOf(Download.Result.Progress.class, d.accept(answer(IMAGE, d.nextRequest().orElseThrow()))).received());
        assertEquals(8192, assertInstanceOf(Download.Result.Progress.class, d.accept(answer(IMAGE, d.nextRequest().orElseThrow()))).received());
        ChunkRequest last = d.nextRequest().orElseThrow();
        assertEquals(8192, last.getOffset());
        assertEquals(IMAGE.length - 8192, last.getMaxLength());
        assertEquals(ENTRY, assertInstanceOf(Download.Result.Done.class, d.accept(answer(IMAGE, last))).image());
        assertTrue(d.complete());
        assertTrue(d.nextRequest().isEmpty());
        assertInstanceOf(Download.Result.Ignored.class, d.accept(chunk(0, 10)));
    }

    @Test
    void aChunkAheadOfTheReceivedBytesIsIgnoredAndAskedForAgainLater() {
        Download d = Download.start(ENTRY, 1000);
        Download.Result r = d.accept(chunk(2000, 1000));
        assertTrue(assertInstanceOf(Download.Result.Ignored.class, r).reason().contains("expected 0"), r.toString());
        assertEquals(0, d.received());
        assertEquals(0, d.nextRequest().orElseThrow().getOffset());
        assertInstanceOf(Download.Result.Progress.class, d.accept(chunk(0, 1000)));
        assertEquals(1000, d.nextRequest().orElseThrow().getOffset());
    }

    @Test
    void aDuplicateChunkIsIgnored() {
        Download d = Download.start(ENTRY, 1000);
        assertInstanceOf(Download.Result.Progress.class, d.accept(chunk(0, 1000)));
        Download.Result r = d.accept(chunk(0, 1000));
        assertTrue(assertInstanceOf(Download.Result.Ignored.class, r).reason().contains("already received"), r.toString());
        assertInstanceOf(Download.Result.Ignored.class, d.accept(chunk(500, 1000)));
        assertEquals(1000, d.received());
    }

    @Test
    void chunksOfAnotherImageOrVersionAreIgnored() {
        Download d = Download.start(ENTRY, 1000);
        assertInstanceOf(Download.Result.Ignored.class, d.accept(chunk("other", 7, 0, new byte[1000], false)));
        assertInstanceOf(Download.Result.Ignored.class, d.accept(chunk("agent", 6, 0, new byte[1000], false)));
        assertInstanceOf(Download.Result.Ignored.class, d.accept(chunk("agent", 8, 0, new byte[1000], false)));
        assertEquals(0, d.received());
        assertInstanceOf(Download.Result.Progress.class, d.accept(chunk(0, 1000)));
    }

    @Test
    void anEndlessStreamIsRefusedAtTheAnnouncedLength() {
        Download d = Download.start(ENTRY, 4096);
        assertInstanceOf(Download.Result.Progress.class, d.accept(chunk(0, 8000)));
        byte[] tooMuch = new byte[IMAGE.length - 8000 + 1];
        System.arraycopy(IMAGE, 8000, tooMuch, 0, IMAGE.length - 8000);
        Refusal why = assertInstanceOf(Download.Result.Refused.class, d.accept(chunk("agent", 7, 8000, tooMuch, false))).refusal();
        assertEquals(Refusal.Reason.LENGTH, why.reason());
        assertEquals("image length", why.field());
        assertEquals("10000 bytes (agent)", why.expected());
        assertEquals(8000, d.received());
        assertTrue(d.nextRequest().isEmpty());
        // Refused stays refused, even for the right bytes.
        assertInstanceOf(Download.Result.Refused.class, d.accept(chunk(8000, 2000)));
    }

    @Test
    void lastBeforeTheAnnouncedLengthIsRefused() {
        Download d = Download.start(ENTRY, 4096);
        Refusal why = assertInstanceOf(Download.Result.Refused.class, d.accept(chunk("agent", 7, 0, Arrays.copyOf(IMAGE, 4096), true))).refusal();
        assertEquals(Refusal.Reason.LENGTH, why.reason());
        assertEquals("4096 bytes when the sender said last", why.actual());
        assertEquals(0, d.received());
    }

    @Test
    void oneWrongByteIsRefusedByTheHashAtTheEnd() {
        byte[] bad = IMAGE.clone();
        bad[5000] ^= 1;
        Download d = Download.start(ENTRY, 4096);
        Download.Result r = null;
        while (d.nextRequest().isPresent()) {
            r = d.accept(answer(bad, d.nextRequest().orElseThrow()));
        }
        Refusal why = assertInstanceOf(Download.Result.Refused.class, r).refusal();
        assertEquals(Refusal.Reason.HASH, why.reason());
        assertEquals("image sha256", why.field());
    }

    @Test
    void garbageBytesAreIgnoredWithAReasonAndNeverThrow() {
        Random random = new Random(3);
        Download d = Download.start(ENTRY, 1000);
        for (int i = 0; i < 2000; i++) {
            byte[] junk = new byte[random.nextInt(64)];
            random.nextBytes(junk);
            Download.Result r = d.accept(junk);
            if (r instanceof Download.Result.Ignored ignored) {
                assertTrue(!ignored.reason().isEmpty());
            } else {
                // Random bytes that parse as a Chunk of this image at offset 0 would be a miracle; anything else must be ignored.
                throw new AssertionError("random bytes changed the download: " + r);
            }
        }
        assertEquals(0, d.received());
        assertInstanceOf(Download.Result.Progress.class, d.accept(chunk(0, 1000).toByteArray()));
    }

    @Test
    void anOffsetAbove2To63IsIgnored() {
        Download d = Download.start(ENTRY, 1000);
        assertInstanceOf(Download.Result.Ignored.class, d.accept(chunk("agent", 7, -1L, new byte[10], false)));
    }

    @Test
    void aResumedDownloadRehashesThePrefixAndCompletes() throws IOException {
        Download d = ready(Download.resume(ENTRY, 3000, new ByteArrayInputStream(Arrays.copyOf(IMAGE, 4321))));
        assertEquals(4321, d.received());
        assertEquals(4321, d.nextRequest().orElseThrow().getOffset());
        Download.Result r = null;
        while (d.nextRequest().isPresent()) {
            r = d.accept(answer(IMAGE, d.nextRequest().orElseThrow()));
        }
        assertInstanceOf(Download.Result.Done.class, r);
    }

    @Test
    void aWrongResumedPrefixIsCaughtByTheHash() throws IOException {
        byte[] prefix = Arrays.copyOf(IMAGE, 4321);
        prefix[0] ^= 1;
        Download d = ready(Download.resume(ENTRY, 3000, new ByteArrayInputStream(prefix)));
        Download.Result r = null;
        while (d.nextRequest().isPresent()) {
            r = d.accept(answer(IMAGE, d.nextRequest().orElseThrow()));
        }
        assertEquals(Refusal.Reason.HASH, assertInstanceOf(Download.Result.Refused.class, r).refusal().reason());
    }

    @Test
    void aPrefixLongerThanTheImageIsRefused() throws IOException {
        ByteArrayOutputStream longer = new ByteArrayOutputStream();
        longer.write(IMAGE);
        longer.write(0);
        Refusal why = assertInstanceOf(Download.Resumed.Refused.class, Download.resume(ENTRY, 1000, new ByteArrayInputStream(longer.toByteArray()))).refusal();
        assertEquals(Refusal.Reason.LENGTH, why.reason());
        assertEquals("resumed prefix length", why.field());
    }

    @Test
    void aCompletePrefixIsJudgedAtOnce() throws IOException {
        assertTrue(ready(Download.resume(ENTRY, 1000, new ByteArrayInputStream(IMAGE))).complete());
        byte[] bad = IMAGE.clone();
        bad[9999] ^= 1;
        assertEquals(Refusal.Reason.HASH,
                assertInstanceOf(Download.Resumed.Refused.class, Download.resume(ENTRY, 1000, new ByteArrayInputStream(bad))).refusal().reason());
    }

    static Download ready(Download.Resumed r) {
        return assertInstanceOf(Download.Resumed.Ready.class, r).download();
    }

    @Test
    void theImageArrivesWhole() {
        Download d = Download.start(ENTRY, 777);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        while (d.nextRequest().isPresent()) {
            Chunk c = answer(IMAGE, d.nextRequest().orElseThrow());
            if (!(d.accept(c) instanceof Download.Result.Ignored)) {
                got.writeBytes(c.getData().toByteArray());
            }
        }
        assertArrayEquals(IMAGE, got.toByteArray());
    }
}
