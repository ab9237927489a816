package io.wattproof.crypto.cert;

import io.wattproof.crypto.OwnerOnlyFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.EnumSet;

/**
 * The two files of a certificate authority's folder: its private key as an unencrypted PKCS#8
 * PEM ({@code PRIVATE KEY}, RFC 7468 §10) that only its owner may access, and its certificate.
 */
final class AuthorityFiles {
    private AuthorityFiles() {}

    static void createDirectory(Path dir) throws CertificateFailure {
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException | UnsupportedOperationException e) {
            throw new CertificateFailure.IoFailure(dir, e);
        }
    }

    /**
     * Writes a new file with {@code mode}, created with that mode (no moment in which others could
     * open it) and refused if it exists; a failed write removes what it wrote.
     */
    static void writeNew(Path file, String text, String mode) throws CertificateFailure {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        try (SeekableByteChannel channel = Files.newByteChannel(file, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)))) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (FileAlreadyExistsException e) {
            throw new CertificateFailure.AuthorityExists(file);
        } catch (IOException | UnsupportedOperationException e) {
            deleteQuietly(file);
            throw new CertificateFailure.IoFailure(file, e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // The caller reports the failure that led here; a leftover file is refused by the next create.
        }
    }

    /** Reads the P-256 private key after checking that only its owner can access the file. */
    static PrivateKey readPrivateKey(Path file) throws CertificateFailure {
        char[] text = switch (OwnerOnlyFile.read(file)) {
            case OwnerOnlyFile.Read.Text(char[] chars) -> chars;
            case OwnerOnlyFile.Read.Missing m -> throw new CertificateFailure.MissingFile(file, "private key");
            case OwnerOnlyFile.Read.NotRegular(String what) -> throw new CertificateFailure.CorruptFile(file, "a regular file", what, null);
            case OwnerOnlyFile.Read.Insecure(var permissions) -> throw new CertificateFailure.InsecureKeyFile(file, permissions);
            case OwnerOnlyFile.Read.Unreadable(Exception e) -> throw new CertificateFailure.IoFailure(file, e);
            case OwnerOnlyFile.Read.NotUtf8(var e) -> throw new CertificateFailure.CorruptFile(file, "pem text", "bytes that are not utf-8", e);
        };
        byte[] der = null;
        try {
            der = Pem.read(new String(text), "PRIVATE KEY", "ca private key");
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException e) {
            throw new CertificateFailure.CorruptFile(file, "one PRIVATE KEY pem block", e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new CertificateFailure.CorruptFile(file, "an ec p-256 pkcs#8 private key", "a key the jdk refuses (" + e.getMessage() + ")", e);
        } finally {
            Arrays.fill(text, '\0');
            if (der != null) {
                Arrays.fill(der, (byte) 0);
            }
        }
    }

    static String readText(Path file, String role) throws CertificateFailure {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new CertificateFailure.MissingFile(file, role);
        } catch (IOException e) {
            throw new CertificateFailure.IoFailure(file, e);
        }
    }
}
