package io.wattproof.crypto;

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
import java.util.Objects;
import java.util.Set;

/**
 * Reads a secret (a key store password, a token PIN) from a file only its owner may access, the
 * rule OpenSSH applies to private keys: a secret that group or others can read protects nothing.
 * The outcome is a value, so each store reports it in its own terms.
 */
public final class OwnerOnlyFile {
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    /** What reading the file gave. */
    public sealed interface Read {
        /** The UTF-8 text without trailing line breaks; the caller wipes the array. */
        record Text(char[] chars) implements Read {
            public Text {
                Objects.requireNonNull(chars, "chars");
            }

            @Override
            public String toString() {
                return "Text[" + chars.length + " characters]";
            }
        }

        record Missing() implements Read {}

        /** A directory or another kind of file; {@code what} says which. */
        record NotRegular(String what) implements Read {}

        record Insecure(Set<PosixFilePermission> permissions) implements Read {
            public Insecure {
                permissions = Set.copyOf(permissions);
            }
        }

        record Unreadable(Exception cause) implements Read {}

        record NotUtf8(CharacterCodingException cause) implements Read {}
    }

    private OwnerOnlyFile() {}

    public static Read read(Path file) {
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, PosixFileAttributes.class);
        } catch (NoSuchFileException e) {
            return new Read.Missing();
        } catch (IOException | UnsupportedOperationException e) {
            return new Read.Unreadable(e);
        }
        if (!attributes.isRegularFile()) {
            return new Read.NotRegular(attributes.isDirectory() ? "a directory" : "another kind of file");
        }
        if (!Collections.disjoint(attributes.permissions(), GROUP_OR_OTHERS)) {
            return new Read.Insecure(attributes.permissions());
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return new Read.Unreadable(e);
        }
        CharBuffer chars = null;
        try {
            int end = bytes.length;
            while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r')) {
                end--;
            }
            chars = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, 0, end));
            char[] text = new char[chars.remaining()];
            chars.get(text);
            return new Read.Text(text);
        } catch (CharacterCodingException e) {
            return new Read.NotUtf8(e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
            if (chars != null) {
                Arrays.fill(chars.array(), '\0');
            }
        }
    }

    /** The permissions as a 4-digit octal mode, e.g. "0644". */
    public static String octal(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission p : permissions) {
            // PosixFilePermission is declared OWNER_READ .. OTHERS_EXECUTE, i.e. bit 8 .. bit 0.
            mode |= 1 << (8 - p.ordinal());
        }
        return String.format("%04o", mode);
    }
}
