package io.wattproof.crypto.soft;

import io.wattproof.crypto.OwnerOnlyFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The file holding the secret that encrypts the private key. Its text (without trailing line
 * breaks) is the PBES2 password. {@link #create} writes 32 random bytes as 64 hex characters; an
 * operator may write their own, of at least {@link #MIN_LENGTH} characters.
 */
final class SecretFile {
    static final int RANDOM_BYTES = 32;
    /** 32 characters: 128 bits even as hex. A shorter secret would be the weakest part of the store. */
    static final int MIN_LENGTH = 32;

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
        return switch (OwnerOnlyFile.read(file)) {
            case OwnerOnlyFile.Read.Text(char[] secret) -> {
                if (secret.length < MIN_LENGTH) {
                    int length = secret.length;
                    Arrays.fill(secret, '\0');
                    throw new SoftKeyStoreFailure.CorruptFile(file, "a secret of at least " + MIN_LENGTH + " characters",
                            length + " characters");
                }
                yield secret;
            }
            case OwnerOnlyFile.Read.Missing m -> throw new SoftKeyStoreFailure.MissingFile(file, "secret");
            case OwnerOnlyFile.Read.NotRegular(String what) -> throw new SoftKeyStoreFailure.CorruptFile(file, "a regular file", what);
            case OwnerOnlyFile.Read.Insecure(var permissions) -> throw new SoftKeyStoreFailure.InsecurePermissions(file, permissions);
            case OwnerOnlyFile.Read.Unreadable(Exception e) -> throw new SoftKeyStoreFailure.IoFailure(file, e);
            case OwnerOnlyFile.Read.NotUtf8(var e) -> throw new SoftKeyStoreFailure.CorruptFile(file, "utf-8 text",
                    "bytes that are not utf-8", e);
        };
    }
}
