package io.wattproof.crypto.soft;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * The file holding the secret that encrypts the private key. Its text (without trailing line
 * breaks) is the PBES2 password. {@link #create} writes 32 random bytes as 64 hex characters; an
 * operator may write their own, of at least {@link #MIN_LENGTH} characters.
 */
final class SecretFile {
    static final int RANDOM_BYTES = 32;
    /** 32 characters: 128 bits even as hex. A shorter secret would be the weakest part of the store. */
    static final int MIN_LENGTH = 32;

    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private SecretFile() {}

    /** Writes a new random secret, mode 0600, unless the file exists; returns whether it wrote one. */
    static boolean create(Path file, SecureRandom random) throws SoftKeyStoreFailure {
        byte[] secret = new byte[RANDOM_BYTES];
        random.nextBytes(secret);
        byte[] text = (HexFormat.of().formatHex(secret) + "\n").getBytes(StandardCharsets.US_ASCII);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (!Files.isDirectory(parent)) {
                PrivateFiles.createDirectories(parent);
            }
            PrivateFiles.writeNew(file, text);
            return true;
        } catch (SoftKeyStoreFailure.AlreadyExists e) {
            return false;
        } finally {
            Arrays.fill(secret, (byte) 0);
            Arrays.fill(text, (byte) 0);
        }
    }

    /**
     * Reads the secret after checking that only its owner can access the file. The caller wipes
     * the returned array.
     */
    static char[] read(Path file) throws SoftKeyStoreFailure {
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, PosixFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new SoftKeyStoreFailure.MissingFile(file, "secret");
        } catch (IOException | UnsupportedOperationException e) {
            throw new SoftKeyStoreFailure.IoFailure(file, e);
        }
        if (!attributes.isRegularFile()) {
            throw new SoftKeyStoreFailure.CorruptFile(file, "a regular file",
                    attributes.isDirectory() ? "a directory" : "another kind of file");
        }
        if (!Collections.disjoint(attributes.permissions(), GROUP_OR_OTHERS)) {
            throw new SoftKeyStoreFailure.InsecurePermissions(file, attributes.permissions());
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new SoftKeyStoreFailure.IoFailure(file, e);
        }
        CharBuffer chars = null;
        try {
            int end = bytes.length;
            while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r')) {
                end--;
            }
            chars = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, 0, end));
            if (chars.remaining() < MIN_LENGTH) {
                throw new SoftKeyStoreFailure.CorruptFile(file, "a secret of at least " + MIN_LENGTH + " characters",
                        chars.remaining() + " characters");
            }
            char[] secret = new char[chars.remaining()];
            chars.get(secret);
            return secret;
        } catch (CharacterCodingException e) {
            throw new SoftKeyStoreFailure.CorruptFile(file, "utf-8 text", "bytes that are not utf-8", e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
            if (chars != null) {
                Arrays.fill(chars.array(), '\0');
            }
        }
    }
}
