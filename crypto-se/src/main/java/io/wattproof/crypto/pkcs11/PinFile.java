package io.wattproof.crypto.pkcs11;

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
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The user PIN, read from a file that only its owner may access (the same rule the software store
 * applies to its secret file, and OpenSSH to private keys): a PIN others can read protects nothing.
 */
final class PinFile {
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private PinFile() {}

    /** The PIN without trailing line breaks; the caller wipes the array. */
    static char[] read(Path file) throws Pkcs11Failure {
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, PosixFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new Pkcs11Failure.BadPinFile(file, "a file", "none", e);
        } catch (IOException | UnsupportedOperationException e) {
            throw new Pkcs11Failure.BadPinFile(file, "a readable file with posix permissions", e.toString(), e);
        }
        if (!attributes.isRegularFile()) {
            throw new Pkcs11Failure.BadPinFile(file, "a regular file", attributes.isDirectory() ? "a directory" : "another kind of file", null);
        }
        if (!Collections.disjoint(attributes.permissions(), GROUP_OR_OTHERS)) {
            throw new Pkcs11Failure.BadPinFile(file, "mode 0600 or 0400 (no access for group or others)",
                    "mode " + octal(attributes.permissions()), null);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new Pkcs11Failure.BadPinFile(file, "a readable file", e.toString(), e);
        }
        CharBuffer chars = null;
        try {
            int end = bytes.length;
            while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r')) {
                end--;
            }
            chars = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, 0, end));
            if (!chars.hasRemaining()) {
                throw new Pkcs11Failure.BadPinFile(file, "a pin of at least one character", "an empty file", null);
            }
            char[] pin = new char[chars.remaining()];
            chars.get(pin);
            return pin;
        } catch (CharacterCodingException e) {
            throw new Pkcs11Failure.BadPinFile(file, "utf-8 text", "bytes that are not utf-8", e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
            if (chars != null) {
                Arrays.fill(chars.array(), '\0');
            }
        }
    }

    static String octal(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission p : permissions) {
            // PosixFilePermission is declared OWNER_READ .. OTHERS_EXECUTE, i.e. bit 8 .. bit 0.
            mode |= 1 << (8 - p.ordinal());
        }
        return String.format("%04o", mode);
    }
}
