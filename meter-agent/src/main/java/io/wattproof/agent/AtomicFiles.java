package io.wattproof.agent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Replacing a small file whole, so that a reader (or the next start after a power cut) finds the
 * old content or the new, never a mix: written to a temporary file beside it, renamed over it.
 * Used for the agent's configuration files, the telemetry day start and the status report.
 */
public final class AtomicFiles {
    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private AtomicFiles() {}

    /**
     * @param mode the new file's permissions, set when it is created (never wider for a moment)
     * @param durable sync the file before the rename and the folder after it, so the new content
     *     survives a power cut; without, it may come back as the old content (fine for a view that
     *     is rewritten every few seconds, and no flash write)
     */
    public static void replace(Path target, byte[] content, Set<PosixFilePermission> mode, boolean durable) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp", PosixFilePermissions.asFileAttribute(mode));
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    ch.write(buffer);
                }
                if (durable) {
                    ch.force(true);
                }
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException(target + ": the file system cannot rename atomically; refusing to write it in place", e);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        if (durable) {
            try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
                ch.force(true);
            } catch (IOException e) {
                // Some file systems refuse to open a folder for fsync; the rename is then as durable as they make it.
            }
        }
    }
}
