package io.wattproof.crypto.soft;

import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.KeyStoreFailure;
import io.wattproof.crypto.OwnerOnlyFile;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Why the software key store could not create or open a key. Every case names the file at fault,
 * so a technician knows what to fix. Messages never contain the secret or key bytes.
 */
public abstract sealed class SoftKeyStoreFailure extends KeyStoreFailure {
    private final Path file;

    private SoftKeyStoreFailure(Path file, String message, Throwable cause) {
        super(message, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** A file the store needs does not exist; {@code role} is "private key", "public key" or "secret". */
    public static final class MissingFile extends SoftKeyStoreFailure {
        private final String role;

        MissingFile(Path file, String role) {
            super(file, role + " file missing: expected a file at " + file + ", found none", null);
            this.role = role;
        }

        public String role() {
            return role;
        }
    }

    /** {@code create} found a key already there: a device identity is never replaced silently. */
    public static final class AlreadyExists extends SoftKeyStoreFailure {
        AlreadyExists(Path file) {
            super(file, "device key file already exists: expected no file at " + file
                    + ", found one; refusing to replace a device identity (move it away to re-provision)", null);
        }
    }

    /**
     * The private key does not decrypt with the secret. AES-CBC has no authentication tag, so a
     * damaged ciphertext looks the same; the message says so.
     */
    public static final class WrongSecret extends SoftKeyStoreFailure {
        private final Path secretFile;

        WrongSecret(Path keyFile, Path secretFile, Throwable cause) {
            super(keyFile, "cannot decrypt " + keyFile + " with the secret in " + secretFile
                    + ": expected the secret the key was created with, found another one (or a damaged ciphertext)", cause);
            this.secretFile = secretFile;
        }

        public Path secretFile() {
            return secretFile;
        }
    }

    /** A file exists but its content is not what the store writes. */
    public static final class CorruptFile extends SoftKeyStoreFailure {
        private final String expected;
        private final String found;

        CorruptFile(Path file, String expected, String found) {
            this(file, expected, found, null);
        }

        CorruptFile(Path file, String expected, String found, Throwable cause) {
            super(file, "corrupt file " + file + ": expected " + expected + ", found " + found, cause);
            this.expected = expected;
            this.found = found;
        }

        public String expected() {
            return expected;
        }

        public String found() {
            return found;
        }
    }

    /** The public key file holds another key than the one derived from the private key. */
    public static final class PublicKeyMismatch extends SoftKeyStoreFailure {
        private final DeviceId expected;
        private final DeviceId found;

        PublicKeyMismatch(Path file, DeviceId expected, DeviceId found) {
            super(file, "public key file " + file + " does not match the private key: expected device id "
                    + expected + ", found " + found, null);
            this.expected = expected;
            this.found = found;
        }

        public DeviceId expected() {
            return expected;
        }

        public DeviceId found() {
            return found;
        }
    }

    /**
     * The secret file is open to group or others. Refused like OpenSSH refuses such a private key:
     * a secret that other users can read protects nothing.
     */
    public static final class InsecurePermissions extends SoftKeyStoreFailure {
        private final Set<PosixFilePermission> actual;

        InsecurePermissions(Path file, Set<PosixFilePermission> actual) {
            super(file, "secret file " + file + " is accessible by group or others: expected mode 0600 or 0400, found "
                    + OwnerOnlyFile.octal(actual), null);
            this.actual = Set.copyOf(actual);
        }

        public Set<PosixFilePermission> actual() {
            return actual;
        }

        /** The permissions as a 4-digit octal mode, e.g. "0644". */
        public String actualMode() {
            return OwnerOnlyFile.octal(actual);
        }
    }

    /** The file system failed, or cannot do what the store needs (POSIX permissions, hard links). */
    public static final class IoFailure extends SoftKeyStoreFailure {
        IoFailure(Path file, Exception cause) {
            super(file, "i/o failure on " + file + ": " + cause, cause);
        }
    }
}
