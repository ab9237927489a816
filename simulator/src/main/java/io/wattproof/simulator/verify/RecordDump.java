package io.wattproof.simulator.verify;

import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.simulator.verify.Verdict.Verified;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Writes verified records so that anyone can check them with openssl alone, without this code:
 *
 * <pre>
 *   DIR/&lt;deviceIdHex&gt;/public.pem       SubjectPublicKeyInfo, PEM (written once per device)
 *   DIR/&lt;deviceIdHex&gt;/&lt;seq&gt;.signbytes  exactly the bytes the device signed
 *   DIR/&lt;deviceIdHex&gt;/&lt;seq&gt;.sig        ECDSA and SM2: DER signature; Ed25519: raw 64 bytes
 *
 *   openssl dgst -sha256 -verify public.pem -signature 7.sig 7.signbytes                 (ECDSA)
 *   openssl pkeyutl -verify -pubin -inkey public.pem -rawin -in 7.signbytes -sigfile 7.sig (Ed25519)
 *   openssl dgst -sm3 -verify public.pem -signature 7.sig -sigopt distid:1234567812345678 7.signbytes (SM2)
 * </pre>
 *
 * <p>A charging pile's {@code ChargingSession} records take their sequence in the same directory,
 * written the same way; the sign-bytes begin with the domain ({@code wattproof/v1/Reading} or
 * {@code wattproof/v1/ChargingSession}, docs/protocol.md), which tells a reader which body follows.
 *
 * <p>Each file is written to a temporary file in the same directory and renamed into place, so a
 * reader never sees a partial file. Files are not forced to disk: after a crash the dump can be
 * rebuilt from the devices' outboxes, and an fsync per file would dominate a large simulation.
 * Not thread-safe; the caller serialises calls.
 */
public final class RecordDump {
    static final String PUBLIC_KEY_FILE = "public.pem";

    private final Path directory;
    private final Set<DeviceId> keysWritten = new HashSet<>();

    public RecordDump(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    /** Writes the record's sign-bytes and signature, and the device's public key once. */
    public void write(RegisteredKey key, Verified record) throws IOException {
        if (!key.deviceId().equals(record.deviceId()) || key.algorithm() != record.algorithm()) {
            throw new IllegalArgumentException("key: expected device " + record.deviceId() + " with " + record.algorithm()
                    + ", got device " + key.deviceId() + " with " + key.algorithm());
        }
        Path deviceDirectory = directoryOf(record.deviceId());
        Files.createDirectories(deviceDirectory);
        if (!keysWritten.contains(key.deviceId())) {
            writeAtomically(deviceDirectory.resolve(PUBLIC_KEY_FILE),
                    pem(key.publicKeyInfo()).getBytes(StandardCharsets.US_ASCII));
            keysWritten.add(key.deviceId());
        }
        writeAtomically(deviceDirectory.resolve(record.sequence() + ".signbytes"), record.signBytes());
        writeAtomically(deviceDirectory.resolve(record.sequence() + ".sig"),
                opensslSignature(record.algorithm(), record.signature()));
    }

    public Path directoryOf(DeviceId id) {
        return directory.resolve(id.hex());
    }

    /** RFC 7468 §13: "PUBLIC KEY" label, base64 in lines of 64 characters. */
    static String pem(byte[] subjectPublicKeyInfoDer) {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(subjectPublicKeyInfoDer);
        return "-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----\n";
    }

    /** The signature in the form openssl reads: DER for ECDSA and SM2, as-is for Ed25519 (RFC 8032 has one form). */
    static byte[] opensslSignature(KeyAlgorithm algorithm, byte[] rawSignature) {
        return switch (algorithm) {
            case ECDSA_P256_SHA256, SM2_SM3 -> io.wattproof.crypto.Signatures.rawToDer(algorithm, rawSignature);
            case ED25519 -> rawSignature.clone();
        };
    }

    private static void writeAtomically(Path target, byte[] content) throws IOException {
        Path temporary = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp",
                worldReadable(target.getFileSystem()));
        try {
            Files.write(temporary, content);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
    }

    /** Temp files are created owner-only; the dump is public data meant for anyone to check. */
    private static FileAttribute<?>[] worldReadable(FileSystem fs) {
        return fs.supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--"))}
                : new FileAttribute<?>[0];
    }
}
