package io.wattproof.ota.transport;

import static io.wattproof.ota.transport.DownloadTest.ENTRY;
import static io.wattproof.ota.transport.DownloadTest.IMAGE;
import static io.wattproof.ota.transport.DownloadTest.answer;
import static io.wattproof.ota.transport.DownloadTest.chunk;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.ota.metadata.ImageEntry;
import io.wattproof.ota.metadata.Refusal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloadFileTest {
    @TempDir
    Path dir;

    private DownloadFile open() throws IOException {
        return assertInstanceOf(DownloadFile.Opened.Ready.class, DownloadFile.open(dir, ENTRY, 1500, 3)).file();
    }

    private Download.Result fetchAll(DownloadFile f, byte[] image) throws IOException {
        Download.Result r = null;
        while (f.nextRequest().isPresent()) {
            r = f.accept(answer(image, f.nextRequest().orElseThrow()).toByteArray());
        }
        return r;
    }

    @Test
    void aCompleteDownloadIsRenamedToTheImageFile() throws IOException {
        DownloadFile f = open();
        assertEquals(dir.resolve("agent-7.part"), f.partFile());
        assertInstanceOf(Download.Result.Done.class, fetchAll(f, IMAGE));
        assertArrayEquals(IMAGE, Files.readAllBytes(dir.resolve("agent-7")));
        assertFalse(Files.exists(f.partFile()));
    }

    @Test
    void ignoredChunksAreNotWritten() throws IOException {
        DownloadFile f = open();
        assertInstanceOf(Download.Result.Progress.class, f.accept(chunk(0, 1500)));
        assertInstanceOf(Download.Result.Ignored.class, f.accept(chunk(0, 1500)));
        assertInstanceOf(Download.Result.Ignored.class, f.accept(chunk(4500, 1500)));
        assertInstanceOf(Download.Result.Ignored.class, f.accept(chunk("other", 7, 1500, new byte[1500], false)));
        assertInstanceOf(Download.Result.Ignored.class, f.accept(new byte[] {(byte) 0xff, 1, 2}));
        f.close();
        assertArrayEquals(Arrays.copyOf(IMAGE, 1500), Files.readAllBytes(f.partFile()));
    }

    @Test
    void aRestartResumesFromThePartFileAndCompletesWithTheRightHash() throws IOException {
        DownloadFile first = open();
        for (int i = 0; i < 4; i++) {
            assertInstanceOf(Download.Result.Progress.class, first.accept(answer(IMAGE, first.nextRequest().orElseThrow())));
        }
        first.close();
        assertEquals(6000, Files.size(first.partFile()));

        DownloadFile second = open();
        assertEquals(6000, second.download().received());
        assertEquals(6000, second.nextRequest().orElseThrow().getOffset());
        assertInstanceOf(Download.Result.Done.class, fetchAll(second, IMAGE));
        assertArrayEquals(IMAGE, Files.readAllBytes(second.imageFile()));
    }

    @Test
    void aCompletePartFileLeftBeforeTheRenameIsRenamedOnOpen() throws IOException {
        Files.write(dir.resolve("agent-7.part"), IMAGE);
        DownloadFile f = open();
        assertTrue(f.download().complete());
        assertArrayEquals(IMAGE, Files.readAllBytes(dir.resolve("agent-7")));
        assertFalse(Files.exists(dir.resolve("agent-7.part")));
    }

    @Test
    void anEndlessStreamIsRefusedWithoutWritingPastTheLength() throws IOException {
        DownloadFile f = open();
        assertInstanceOf(Download.Result.Progress.class, f.accept(chunk(0, 9000)));
        byte[] tooMuch = new byte[5000];
        System.arraycopy(IMAGE, 9000, tooMuch, 0, 1000);
        Refusal why = assertInstanceOf(Download.Result.Refused.class, f.accept(chunk("agent", 7, 9000, tooMuch, false))).refusal();
        assertEquals(Refusal.Reason.LENGTH, why.reason());
        f.close();
        assertEquals(9000, Files.size(f.partFile()));
        assertFalse(Files.exists(f.imageFile()));
    }

    @Test
    void aTruncatedStreamIsRefused() throws IOException {
        DownloadFile f = open();
        Refusal why = assertInstanceOf(Download.Result.Refused.class, f.accept(chunk("agent", 7, 0, Arrays.copyOf(IMAGE, 1500), true))).refusal();
        assertEquals(Refusal.Reason.LENGTH, why.reason());
        f.close();
        assertFalse(Files.exists(f.imageFile()));
        assertEquals(0, Files.size(f.partFile()));
    }

    @Test
    void aWrongByteIsRefusedByTheHashAndThePartFileRemoved() throws IOException {
        byte[] bad = IMAGE.clone();
        bad[123] ^= 0x40;
        DownloadFile f = open();
        Refusal why = assertInstanceOf(Download.Result.Refused.class, fetchAll(f, bad)).refusal();
        assertEquals(Refusal.Reason.HASH, why.reason());
        assertFalse(Files.exists(f.partFile()));
        assertFalse(Files.exists(f.imageFile()));
    }

    @Test
    void aPartFileLongerThanTheImageIsRefusedAndRemoved() throws IOException {
        Files.write(dir.resolve("agent-7.part"), Arrays.copyOf(IMAGE, IMAGE.length + 1));
        Refusal why = assertInstanceOf(DownloadFile.Opened.Refused.class, DownloadFile.open(dir, ENTRY, 1500, 3)).refusal();
        assertEquals(Refusal.Reason.LENGTH, why.reason());
        assertFalse(Files.exists(dir.resolve("agent-7.part")));
    }

    @Test
    void aNameThatIsNotAPlainFileNameIsRefused() throws IOException {
        for (String name : List.of("../etc", "a/b", ".hidden", "a\\b")) {
            ImageEntry entry = new ImageEntry(name, 7, List.of("raspberry-pi-4b"), IMAGE.length, DownloadTest.sha256(IMAGE), 0);
            Refusal why = assertInstanceOf(DownloadFile.Opened.Refused.class, DownloadFile.open(dir, entry, 1500, 3)).refusal();
            assertEquals("image name", why.field());
        }
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }
}
