package io.wattproof.agent.charging;

import io.wattproof.agent.AtomicFiles;
import io.wattproof.crypto.seal.Kem;
import io.wattproof.crypto.seal.RecipientKeyPair;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * The pile's HPKE private key (configuration {@code charging.seal_key_file}): X25519 (RFC 9180
 * section 7.1.2, 32 bytes), as 64 lowercase hex characters and an optional line end, mode 0600.
 * Car owners seal their data to its public key (published in charge/info); the pile opens it to
 * seal it on into the session record (docs/charging.md, "Personal data").
 */
public final class SealKeyFile {
    private static final int KEY_LENGTH = 32;

    private SealKeyFile() {}

    /** @throws IOException when the file cannot be read or holds no key; the message never shows its content */
    public static RecipientKeyPair read(Path file) throws IOException {
        String text = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).strip();
        if (!text.matches("[0-9a-f]{" + 2 * KEY_LENGTH + "}")) {
            throw new IOException(file + ": expected " + 2 * KEY_LENGTH + " lowercase hex characters (an X25519 private key), got "
                    + text.length() + " characters that are not that");
        }
        try {
            return RecipientKeyPair.fromPrivateKey(Kem.X25519_HKDF_SHA256, HexFormat.of().parseHex(text));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": not an X25519 private key: " + e.getMessage(), e);
        }
    }

    /** Writes {@code key} durably, readable by its owner only. */
    public static void write(Path file, RecipientKeyPair key) throws IOException {
        if (key.kem() != Kem.X25519_HKDF_SHA256) {
            throw new IllegalArgumentException("seal key: expected X25519 (car owners' keys are X25519), got " + key.kem());
        }
        AtomicFiles.replace(file, (HexFormat.of().formatHex(key.privateKey()) + "\n").getBytes(StandardCharsets.US_ASCII),
                AtomicFiles.OWNER_ONLY, true);
    }
}
