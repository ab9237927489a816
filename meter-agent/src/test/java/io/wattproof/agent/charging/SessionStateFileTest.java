package io.wattproof.agent.charging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.agent.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionStateFileTest {
    @TempDir
    Path dir;

    private static OpenSession session() {
        byte[] hash = new byte[32];
        Arrays.fill(hash, (byte) 0xab);
        byte[] owner = new byte[32];
        owner[1] = 1;
        byte[] driver = new byte[32];
        driver[2] = 2;
        return new OpenSession(hash, owner, driver, new byte[32], new byte[] {10, 20, 30}, Instant.parse("2026-11-27T09:10:01Z"),
                1000, Instant.parse("2026-11-27T09:20:07.250Z"), 4321);
    }

    @Test
    void aWrittenSessionIsLoadedEqualAfterReopening() throws Exception {
        SessionStateFile file = new SessionStateFile(dir);
        assertInstanceOf(SessionStateFile.Load.Absent.class, file.load());
        file.write(session());
        assertEquals(AtomicFiles.OWNER_ONLY, Files.getPosixFilePermissions(dir.resolve(SessionStateFile.FILE_NAME)));
        SessionStateFile reopened = new SessionStateFile(dir);
        assertEquals(session(), assertInstanceOf(SessionStateFile.Load.Found.class, reopened.load()).session());
        file.write(session().withLast(Instant.parse("2026-11-27T09:21:00Z"), 5000));
        assertEquals(5000, assertInstanceOf(SessionStateFile.Load.Found.class, reopened.load()).session().lastImportWh());
        reopened.delete();
        assertInstanceOf(SessionStateFile.Load.Absent.class, file.load());
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void everyFlippedByteIsReportedCorruptAndTheFileIsLeftInPlace() throws Exception {
        byte[] good = SessionStateFile.encode(session());
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x01;
            assertInstanceOf(SessionStateFile.Load.Corrupt.class, SessionStateFile.decode(bad), "byte " + i);
        }
        Path path = dir.resolve(SessionStateFile.FILE_NAME);
        byte[] bad = good.clone();
        bad[10] ^= 0x40;
        Files.write(path, bad);
        String reason = assertInstanceOf(SessionStateFile.Load.Corrupt.class, new SessionStateFile(dir).load()).reason();
        assertTrue(reason.startsWith("charging-session.bin crc: expected"), reason);
        assertArrayEquals(bad, Files.readAllBytes(path));
    }

    @Test
    void everyTruncationIsReportedCorrupt() {
        byte[] good = SessionStateFile.encode(session());
        for (int n = 0; n < good.length; n++) {
            assertInstanceOf(SessionStateFile.Load.Corrupt.class, SessionStateFile.decode(Arrays.copyOf(good, n)), "length " + n);
        }
    }

    @Test
    void anotherVersionWithAValidCrcIsReportedByVersion() {
        byte[] good = SessionStateFile.encode(session());
        good[4] = 2;
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(good, 0, good.length - 4);
        java.nio.ByteBuffer.wrap(good, good.length - 4, 4).putInt((int) crc.getValue());
        assertEquals("charging-session.bin version: expected 1, got 2",
                assertInstanceOf(SessionStateFile.Load.Corrupt.class, SessionStateFile.decode(good)).reason());
        assertFalse(SessionStateFile.decode(good) instanceof SessionStateFile.Load.Found);
    }
}
