package io.wattproof.ota;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replacing a small file whole and durably: written to a temporary file beside it, synced,
 * renamed over it (rename(2) is atomic on POSIX file systems), then the folder synced so the
 * rename itself survives a power cut. A reader finds the old content or the new, never a mix.
 * (The same rule as the meter agent's configuration files; ota sits below meter-agent, so it
 * keeps its own few lines.) Public only so that the install and the metadata's trust store share it.
 */
public final class DurableFiles {
    private DurableFiles() {}

    /** Called once the temporary file is synced and before the rename, so a test can cut power there. */
    @FunctionalInterface
    public interface BeforeRename {
        BeforeRename NONE = step -> {};

        void reached(String step) throws IOException;
    }

    public static void replace(Path target, byte[] content) throws IOException {
        replace(target, content, BeforeRename.NONE);
    }

    public static void replace(Path target, byte[] content, BeforeRename steps) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    ch.write(buffer);
                }
                ch.force(true);
            }
            steps.reached("temp " + target.getFileName());
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException(target + ": the file system cannot rename atomically; refusing to write it in place", e);
            }
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        syncFolder(dir);
    }

    public static void syncFolder(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems refuse to open a folder for fsync; the rename is then as durable as they make it.
        }
    }
}
