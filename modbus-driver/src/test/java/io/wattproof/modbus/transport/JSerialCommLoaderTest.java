package io.wattproof.modbus.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JSerialCommLoaderTest {
    @TempDir
    Path temp;

    @Test
    void privateDirectoryIsCreatedWithParentsAsOwnerOnly() throws IOException {
        Path dir = JSerialCommLoader.privateDirectory(temp.resolve("cache"));
        assertEquals(temp.resolve("cache/wattproof/jserialcomm"), dir);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.getParent())));
        // Idempotent.
        assertEquals(dir, JSerialCommLoader.privateDirectory(temp.resolve("cache")));
    }

    @Test
    void looseModeIsTightened() throws IOException {
        Path dir = Files.createDirectories(temp.resolve("loose"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        JSerialCommLoader.createPrivateDirectory(dir, JSerialCommLoader.currentUid());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    }

    @Test
    void directoryOfAnotherUserIsRefused() throws IOException {
        Path dir = Files.createDirectories(temp.resolve("theirs"));
        int otherUid = JSerialCommLoader.currentUid() + 1;
        IOException e = assertThrows(IOException.class, () -> JSerialCommLoader.createPrivateDirectory(dir, otherUid));
        assertTrue(e.getMessage().startsWith(dir + ": expected a directory owned by uid " + otherUid + ", actual owner uid "),
                e.getMessage());
    }

    @Test
    void symbolicLinkIsRefused() throws IOException {
        Path target = Files.createDirectories(temp.resolve("target"));
        Path link = Files.createSymbolicLink(temp.resolve("link"), target);
        IOException e = assertThrows(IOException.class,
                () -> JSerialCommLoader.createPrivateDirectory(link, JSerialCommLoader.currentUid()));
        assertEquals(link + ": expected a directory, actual a symbolic link or another file", e.getMessage());
    }

    @Test
    void versionComesFromTheJar() throws IOException {
        assertEquals("2.11.4", JSerialCommLoader.jSerialCommVersion());
    }
}
