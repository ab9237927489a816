package io.wattproof.crypto.soft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.Signatures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an auditor does with the system's OpenSSL (3.x): verify our signatures, reject a changed
 * reading, and read our encrypted key file. Also the reverse: signatures OpenSSL makes with our
 * key pass our strict verifier once normalised.
 */
class OpenSslInteropTest {
    private static final Path OPENSSL = Path.of("/usr/bin/openssl");
    private static final byte[] DATA = "wattproof/v1/Reading\0meter-7\0interval 2026-11-02T10:15Z import=1234567 Wh\n"
            .getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path tmp;
    Path secret;

    record Result(int exitCode, String output) {}

    @BeforeAll
    static void requireOpenSsl() {
        assertTrue(Files.isExecutable(OPENSSL), OPENSSL + " is required for this test: install the Debian package openssl");
    }

    @BeforeEach
    void setUp() throws Exception {
        secret = tmp.resolve("secret");
        SoftwareKeyStore.createSecret(secret);
    }

    private Result openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(OPENSSL.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(tmp.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "openssl did not finish: " + command);
        return new Result(process.exitValue(), output.strip());
    }

    private static byte[] changedOneByte(byte[] data) {
        byte[] changed = data.clone();
        changed[changed.length / 2] ^= 0x01;
        return changed;
    }

    @Test
    void opensslVerifiesEcdsaSignaturesAndRejectsAChangedMessage() throws Exception {
        Path dir = tmp.resolve("keys");
        DeviceKey key = SoftwareKeyStore.create(dir, KeyAlgorithm.ECDSA_P256_SHA256, secret);
        Path pub = dir.resolve(SoftwareKeyStore.PUBLIC_KEY_FILE);
        for (int i = 0; i < 5; i++) {
            byte[] data = (new String(DATA, StandardCharsets.US_ASCII) + i).getBytes(StandardCharsets.US_ASCII);
            Files.write(tmp.resolve("data"), data);
            Files.write(tmp.resolve("sig.der"), Signatures.rawToDer(key.sign(data)));
            Result ok = openssl("dgst", "-sha256", "-verify", pub.toString(), "-signature", "sig.der", "data");
            assertEquals(new Result(0, "Verified OK"), ok);

            Files.write(tmp.resolve("data"), changedOneByte(data));
            Result bad = openssl("dgst", "-sha256", "-verify", pub.toString(), "-signature", "sig.der", "data");
            assertNotEquals(0, bad.exitCode());
            assertTrue(bad.output().startsWith("Verification failure"), bad.output());
        }
    }

    @Test
    void opensslVerifiesEd25519SignaturesAndRejectsAChangedMessage() throws Exception {
        Path dir = tmp.resolve("keys");
        DeviceKey key = SoftwareKeyStore.create(dir, KeyAlgorithm.ED25519, secret);
        Path pub = dir.resolve(SoftwareKeyStore.PUBLIC_KEY_FILE);
        Files.write(tmp.resolve("data"), DATA);
        Files.write(tmp.resolve("sig"), key.sign(DATA));
        Result ok = openssl("pkeyutl", "-verify", "-pubin", "-inkey", pub.toString(), "-rawin", "-in", "data", "-sigfile", "sig");
        assertEquals(new Result(0, "Signature Verified Successfully"), ok);

        Files.write(tmp.resolve("data"), changedOneByte(DATA));
        Result bad = openssl("pkeyutl", "-verify", "-pubin", "-inkey", pub.toString(), "-rawin", "-in", "data", "-sigfile", "sig");
        assertNotEquals(0, bad.exitCode());
        assertTrue(bad.output().startsWith("Signature Verification Failure"), bad.output());
    }

    @Test
    void opensslDecryptsTheKeyFileWithTheSecretAndWeVerifyItsSignatures() throws Exception {
        for (KeyAlgorithm algorithm : KeyAlgorithm.values()) {
            Path dir = tmp.resolve("keys-" + algorithm);
            DeviceKey key = SoftwareKeyStore.create(dir, algorithm, secret);
            Path encrypted = dir.resolve(SoftwareKeyStore.PRIVATE_KEY_FILE);

            // The PBES2 parameters are the ones we promise (RFC 8018 A.2, A.4; AES-256-CBC).
            Result asn1 = openssl("asn1parse", "-in", encrypted.toString());
            assertTrue(asn1.output().contains(":PBES2") && asn1.output().contains(":PBKDF2")
                    && asn1.output().contains(":hmacWithSHA256") && asn1.output().contains(":aes-256-cbc"), asn1.output());
            assertTrue(asn1.output().contains("INTEGER           :0186A0"), "100000 iterations: " + asn1.output());

            // `-passin file:` reads the first line, which is our secret without its line break.
            Result pub = openssl("pkey", "-in", encrypted.toString(), "-passin", "file:" + secret, "-pubout");
            assertEquals(new Result(0, Files.readString(dir.resolve(SoftwareKeyStore.PUBLIC_KEY_FILE)).strip()), pub);

            Path plain = tmp.resolve("plain-" + algorithm + ".pem");
            assertEquals(0, openssl("pkey", "-in", encrypted.toString(), "-passin", "file:" + secret, "-out", plain.toString()).exitCode());
            Files.write(tmp.resolve("data"), DATA);
            if (algorithm == KeyAlgorithm.ECDSA_P256_SHA256) {
                // OpenSSL uses a random k and may return high S: normalise, then our strict check accepts it.
                Result signed = openssl("dgst", "-sha256", "-sign", plain.toString(), "-out", "sig.der", "data");
                assertEquals(0, signed.exitCode(), signed.output());
                byte[] raw = Signatures.normalizeLowS(Signatures.derToRaw(Files.readAllBytes(tmp.resolve("sig.der"))));
                assertTrue(key.verifyingKey().verify(DATA, raw));
            } else {
                // Ed25519 is deterministic (RFC 8032 §5.1.6): OpenSSL's signature is byte for byte ours.
                Result signed = openssl("pkeyutl", "-sign", "-inkey", plain.toString(), "-rawin", "-in", "data", "-out", "sig");
                assertEquals(0, signed.exitCode(), signed.output());
                assertArrayEquals(key.sign(DATA), Files.readAllBytes(tmp.resolve("sig")));
            }

            Path wrong = tmp.resolve("wrong-secret");
            Files.writeString(wrong, "0".repeat(64) + "\n");
            assertNotEquals(0, openssl("pkey", "-in", encrypted.toString(), "-passin", "file:" + wrong, "-noout").exitCode());
        }
    }
}
