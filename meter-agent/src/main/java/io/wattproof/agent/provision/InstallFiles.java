package io.wattproof.agent.provision;

import io.wattproof.agent.AtomicFiles;
import io.wattproof.crypto.OwnerOnlyFile;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The files provisioning installs: written whole or not at all, readable by their owner only
 * ({@link AtomicFiles#replace}, durable).
 *
 * <p>A file is written to a temporary name in its own folder (created 0600 from the start, so its
 * content is never readable by others even for a moment), forced to disk, then renamed over the
 * target. rename(2) replaces the target atomically, so after a power cut the target holds either
 * the old or the new content, never a mix; the folder is then forced too, so the rename itself
 * survives (fsync(2): "calling fsync() on the file does not necessarily ensure that the entry in
 * the directory containing the file has also reached disk").
 */
public final class InstallFiles {
    static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_DIRECTORY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private InstallFiles() {}

    /**
     * Creates {@code dir} and its missing parents with mode 0700; folders that exist keep their
     * mode (a shared /etc is not ours to change). Returns the folders it created, outermost first.
     */
    public static List<Path> createPrivateDirectories(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath().normalize();
        List<Path> missing = new ArrayList<>();
        for (Path p = absolute; p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS); p = p.getParent()) {
            missing.addFirst(p);
        }
        List<Path> created = new ArrayList<>();
        for (Path p : missing) {
            try {
                Files.createDirectory(p, OWNER_ONLY_DIRECTORY);
                // The umask may have cleared bits of the requested mode, never added any; set it exactly.
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
                created.add(p);
            } catch (FileAlreadyExistsException e) {
                // Made by someone else in between: fine, it exists.
            }
        }
        if (!Files.isDirectory(absolute)) {
            throw new IOException(absolute + ": expected a folder, found a file");
        }
        return created;
    }

    /** Writes {@code content} to {@code target} atomically and durably with mode 0600; the parent folder must exist. */
    public static void writeAtomically(Path target, byte[] content) throws IOException {
        AtomicFiles.replace(target, content, AtomicFiles.OWNER_ONLY, true);
    }

    /** The file's mode as 4 octal digits (e.g. {@code 0600}), or empty if it cannot be read. */
    public static Optional<String> mode(Path file) {
        try {
            return Optional.of(OwnerOnlyFile.octal(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)));
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }
}
