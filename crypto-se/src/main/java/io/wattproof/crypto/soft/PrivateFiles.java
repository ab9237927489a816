package io.wattproof.crypto.soft;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Files only the agent's user may touch, written so that they are complete or absent. */
final class PrivateFiles {
    static final FileAttribute<Set<PosixFilePermission>> OWNER_READ_WRITE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_DIRECTORY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private PrivateFiles() {}

    /** Creates {@code dir} and missing parents with mode 0700; an existing directory is left as it is. */
    static void createDirectories(Path dir) throws SoftKeyStoreFailure {
        try {
            Files.createDirectories(dir, OWNER_ONLY_DIRECTORY);
        } catch (IOException | UnsupportedOperationException e) {
            throw new SoftKeyStoreFailure.IoFailure(dir, e);
        }
    }

    /**
     * Writes {@code content} to a new file {@code target} with mode 0600.
     *
     * <p>The bytes go to a temporary file in the same directory, created 0600 (no window in which
     * another user could open it), and are fsynced; then the file is published under its name with
     * link(2), which is atomic like rename(2) but fails when the target exists where rename would
     * silently replace it. So a reader sees the whole file or none, and an existing key is never
     * overwritten, even by a concurrent writer.
     *
     * @throws SoftKeyStoreFailure.AlreadyExists if {@code target} exists
     */
    static void writeNew(Path target, byte[] content) throws SoftKeyStoreFailure {
        Path dir = target.toAbsolutePath().getParent();
        try {
            Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp", OWNER_READ_WRITE);
            try {
                try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                    ByteBuffer buffer = ByteBuffer.wrap(content);
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                    channel.force(true);
                }
                Files.createLink(target, temp);
            } finally {
                Files.deleteIfExists(temp);
            }
            // The new directory entry must survive a power cut too; Linux fsyncs a directory
            // through a read-only descriptor.
            try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
                directory.force(true);
            }
        } catch (FileAlreadyExistsException e) {
            throw new SoftKeyStoreFailure.AlreadyExists(target);
        } catch (IOException | UnsupportedOperationException e) {
            throw new SoftKeyStoreFailure.IoFailure(target, e);
        }
    }

    /**
     * The file's bytes as ISO-8859-1 text: every byte maps to one char, so damaged content reaches
     * the PEM parser (and its clear error) instead of failing in a charset decoder.
     */
    static String readText(Path file, String role) throws SoftKeyStoreFailure {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new SoftKeyStoreFailure.MissingFile(file, role);
        } catch (IOException e) {
            throw new SoftKeyStoreFailure.IoFailure(file, e);
        }
    }

    static void deleteAfterFailure(Path file, SoftKeyStoreFailure failure) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
