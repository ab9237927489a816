package io.wattproof.crypto.soft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.SignatureCheck;
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
 * key pass our strict verifier (ECDSA once normalised to low-S), and SM2 signatures of a key
 * OpenSSL generated itself.
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
            Files.write(tmp.resolve("sig.der"), Signatures.rawToDer(KeyAlgorithm.ECDSA_P256_SHA256, key.sign(data)));
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

    /**
     * OpenSSL 3.0 needs the user id spelled out: without {@code distid} it computes Z over another
     * id and reports a failure (see Signatures.SM2_USER_ID). Both of its front ends are checked.
     */
    @Test
    void opensslVerifiesSm2SignaturesAndRejectsAChangedMessage() throws Exception {
        Path dir = tmp.resolve("keys");
        DeviceKey key = SoftwareKeyStore.create(dir, KeyAlgorithm.SM2_SM3, secret);
        String pub = dir.resolve(SoftwareKeyStore.PUBLIC_KEY_FILE).toString();
        String distid = "distid:" + Signatures.SM2_USER_ID;
        for (int i = 0; i < 5; i++) {
            byte[] data = (new String(DATA, StandardCharsets.US_ASCII) + i).getBytes(StandardCharsets.US_ASCII);
            Files.write(tmp.resolve("data"), data);
            Files.write(tmp.resolve("sig.der"), Signatures.rawToDer(KeyAlgorithm.SM2_SM3, key.sign(data)));
            assertEquals(new Result(0, "Signature Verified Successfully"), openssl("pkeyutl", "-verify", "-in", "data",
                    "-sigfile", "sig.der", "-pubin", "-inkey", pub, "-rawin", "-digest", "sm3", "-pkeyopt", distid));
            assertEquals(new Result(0, "Verified OK"),
                    openssl("dgst", "-sm3", "-verify", pub, "-signature", "sig.der", "-sigopt", distid, "data"));

            Result noId = openssl("dgst", "-sm3", "-verify", pub, "-signature", "sig.der", "data");
            assertNotEquals(0, noId.exitCode(), "openssl without distid must not agree on Z: " + noId.output());

            Files.write(tmp.resolve("data"), changedOneByte(data));
            Result bad = openssl("pkeyutl", "-verify", "-in", "data", "-sigfile", "sig.der", "-pubin", "-inkey", pub,
                    "-rawin", "-digest", "sm3", "-pkeyopt", distid);
            assertNotEquals(0, bad.exitCode());
            assertTrue(bad.output().startsWith("Signature Verification Failure"), bad.output());
        }
    }

    @Test
    void weVerifySm2SignaturesOpensslMakesWithItsOwnKey() throws Exception {
        assertEquals(0, openssl("genpkey", "-algorithm", "SM2", "-out", "sm2.pem").exitCode());
        assertEquals(0, openssl("pkey", "-in", "sm2.pem", "-pubout", "-outform", "DER", "-out", "sm2.spki.der").exitCode());
        byte[] spki = Files.readAllBytes(tmp.resolve("sm2.spki.der"));
        Files.write(tmp.resolve("data"), DATA);
        Result signed = openssl("pkeyutl", "-sign", "-in", "data", "-inkey", "sm2.pem", "-rawin", "-digest", "sm3",
                "-pkeyopt", "distid:" + Signatures.SM2_USER_ID, "-out", "sig.der");
        assertEquals(0, signed.exitCode(), signed.output());
        byte[] der = Files.readAllBytes(tmp.resolve("sig.der"));
        assertEquals(new SignatureCheck.Valid(), Signatures.checkDer(KeyAlgorithm.SM2_SM3, spki, DATA, der));
        assertEquals(new SignatureCheck.Valid(), Signatures.check(KeyAlgorithm.SM2_SM3, spki, DATA, Signatures.derToRaw(KeyAlgorithm.SM2_SM3, der)));
        assertEquals(new SignatureCheck.Mismatch(), Signatures.checkDer(KeyAlgorithm.SM2_SM3, spki, changedOneByte(DATA), der));

        // Signed under another id, the same bytes are a different Z and so a mismatch for us.
        Result otherId = openssl("pkeyutl", "-sign", "-in", "data", "-inkey", "sm2.pem", "-rawin", "-digest", "sm3",
                "-pkeyopt", "distid:ALICE123@YAHOO.COM", "-out", "sig2.der");
        assertEquals(0, otherId.exitCode(), otherId.output());
        assertEquals(new SignatureCheck.Mismatch(),
                Signatures.checkDer(KeyAlgorithm.SM2_SM3, spki, DATA, Files.readAllBytes(tmp.resolve("sig2.der"))));
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
                byte[] raw = Signatures.normalizeLowS(Signatures.derToRaw(KeyAlgorithm.ECDSA_P256_SHA256, Files.readAllBytes(tmp.resolve("sig.der"))));
                assertTrue(key.verifyingKey().verify(DATA, raw));
            } else if (algorithm == KeyAlgorithm.SM2_SM3) {
                // OpenSSL reads our PKCS#8 (id-ecPublicKey, namedCurve sm2p256v1) as an SM2 key.
                Result signed = openssl("pkeyutl", "-sign", "-in", "data", "-inkey", plain.toString(), "-rawin", "-digest", "sm3",
                        "-pkeyopt", "distid:" + Signatures.SM2_USER_ID, "-out", "sig.der");
                assertEquals(0, signed.exitCode(), signed.output());
                assertEquals(new SignatureCheck.Valid(), key.verifyingKey().checkDer(DATA, Files.readAllBytes(tmp.resolve("sig.der"))));
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
