package io.wattproof.agent.charging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.agent.AtomicFiles;
import io.wattproof.agent.charging.PileStateFile.UsedBooking;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PileStateFileTest {
    @TempDir
    Path dir;

    private static PileStateFile.State state() {
        byte[] hash = new byte[32];
        Arrays.fill(hash, (byte) 0xcd);
        byte[] driver = new byte[20];
        driver[3] = 3;
        return new PileStateFile.State(7, List.of(new byte[] {1, 2, 3}, new byte[0]),
                List.of(new UsedBooking(hash, driver, 1_800_000_000L, 300_000, 20_000, 5_000_000)));
    }

    private static String corrupt(byte[] bytes) {
        return assertInstanceOf(PileStateFile.Load.Corrupt.class, PileStateFile.decode(bytes)).reason();
    }

    /** Replaces the trailing CRC so a content fault is found by the field checks, not the checksum. */
    private static byte[] recrc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        ByteBuffer.wrap(bytes).putInt(bytes.length - 4, (int) crc.getValue());
        return bytes;
    }

    @Test
    void aWrittenStateIsLoadedEqualAfterReopening() throws Exception {
        PileStateFile file = new PileStateFile(dir);
        assertInstanceOf(PileStateFile.Load.Absent.class, file.load());
        file.write(state());
        assertEquals(AtomicFiles.OWNER_ONLY, Files.getPosixFilePermissions(dir.resolve(PileStateFile.FILE_NAME)));
        assertEquals(state(), assertInstanceOf(PileStateFile.Load.Found.class, new PileStateFile(dir).load()).state());
        file.write(PileStateFile.State.EMPTY);
        assertEquals(PileStateFile.State.EMPTY, assertInstanceOf(PileStateFile.Load.Found.class, file.load()).state());
    }

    @Test
    void damageIsReportedWithTheFieldAndLeavesNothingHalfRead() {
        byte[] good = PileStateFile.encode(state());
        byte[] flipped = good.clone();
        flipped[10] ^= 1;
        assertTrue(corrupt(flipped).contains("crc: expected"), corrupt(flipped));
        assertTrue(corrupt(new byte[3]).contains("expected at least 9 bytes, got 3"));
        byte[] magic = good.clone();
        magic[0] = 'X';
        assertTrue(corrupt(recrc(magic)).contains("magic: expected WPPS"), corrupt(recrc(magic)));
        byte[] version = good.clone();
        version[4] = 9;
        assertTrue(corrupt(recrc(version)).contains("version: expected 1, got 9"));
        byte[] count = good.clone();
        ByteBuffer.wrap(count).putInt(13, -1);
        assertTrue(corrupt(recrc(count)).contains("offer count: expected 0..100000, got 4294967295"), corrupt(recrc(count)));
        byte[] cut = Arrays.copyOf(good, good.length - 20);
        assertTrue(corrupt(recrc(cut)).contains("expected more bytes"), corrupt(recrc(cut)));
        byte[] longer = Arrays.copyOf(good, good.length + 2);
        assertTrue(corrupt(recrc(longer)).contains("expected more bytes") || corrupt(recrc(longer)).contains("more bytes"));
    }
}
