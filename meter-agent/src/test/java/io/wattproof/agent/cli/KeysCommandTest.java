package io.wattproof.agent.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.PublicKeys;
import io.wattproof.crypto.Signatures;
import io.wattproof.crypto.soft.SoftwareKeyStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code keys create|show|sign} with the software store, and the signature checked by OpenSSL. */
class KeysCommandTest extends CommandLineTest {
    @TempDir
    Path tmp;

    private String[] store(String... more) {
        List<String> args = new ArrayList<>(List.of("--store", "software", "--dir", tmp.resolve("keys").toString(),
                "--secret-file", tmp.resolve("secret").toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private String[] cmd(String sub, String... more) {
        List<String> args = new ArrayList<>(List.of("keys", sub));
        args.addAll(List.of(store(more)));
        return args.toArray(String[]::new);
    }

    @Test
    void createShowSignAndOpenSslVerifies() throws Exception {
        assertEquals(0, run(cmd("create")), err);
        String created = out;
        assertEquals(0, run(cmd("show")), err);
        assertTrue(created.contains(out.lines().findFirst().orElseThrow()), created + "\n" + out);

        assertEquals(0, run(cmd("show", "--pem")), err);
        Path pem = tmp.resolve("key.pem");
        Files.writeString(pem, out);
        Path data = tmp.resolve("data.bin");
        Files.write(data, "a meter's reading, to be checked on site".getBytes(StandardCharsets.UTF_8));
        Path sig = tmp.resolve("data.sig");
        assertEquals(0, run(cmd("sign", "--in", data.toString(), "--out", sig.toString())), err);

        // Our strict verifier accepts it...
        byte[] raw = Signatures.derToRaw(KeyAlgorithm.ECDSA_P256_SHA256, Files.readAllBytes(sig));
        assertTrue(Signatures.verify(KeyAlgorithm.ECDSA_P256_SHA256, PublicKeys.subjectPublicKeyInfoFromPem(Files.readString(pem)),
                Files.readAllBytes(data), raw));
        // ...and so does OpenSSL, which trusts none of our code.
        Process openssl = new ProcessBuilder("openssl", "dgst", "-sha256", "-verify", pem.toString(), "-signature", sig.toString(),
                data.toString()).redirectErrorStream(true).start();
        assertTrue(openssl.waitFor(20, TimeUnit.SECONDS));
        String said = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, openssl.exitValue(), said);
        assertTrue(said.contains("Verified OK"), said);
    }

    @Test
    void anSm2KeySignsWhatOpenSslVerifiesWithTheStandardsUserId() throws Exception {
        assertEquals(0, run(cmd("create", "--alg", "sm2")), err);
        assertEquals(0, run(cmd("show", "--pem")), err);
        Path pem = tmp.resolve("sm2.pem");
        Files.writeString(pem, out);
        Path data = tmp.resolve("data.bin");
        Files.write(data, "sm2 on site".getBytes(StandardCharsets.UTF_8));
        Path sig = tmp.resolve("data.sig");
        assertEquals(0, run(cmd("sign", "--in", data.toString(), "--out", sig.toString())), err);
        Process openssl = new ProcessBuilder("openssl", "dgst", "-sm3", "-verify", pem.toString(), "-signature", sig.toString(),
                "-sigopt", "distid:1234567812345678", data.toString()).redirectErrorStream(true).start();
        assertTrue(openssl.waitFor(20, TimeUnit.SECONDS));
        String said = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(said.contains("Verified OK"), said);
    }

    @Test
    void anExistingKeyIsKeptUnlessForced() throws Exception {
        assertEquals(0, run(cmd("create")), err);
        byte[] first = Files.readAllBytes(tmp.resolve("keys").resolve(SoftwareKeyStore.PUBLIC_KEY_FILE));
        assertEquals(1, run(cmd("create")));
        assertTrue(err.contains("error: "), err);
        assertArrayEquals(first, Files.readAllBytes(tmp.resolve("keys").resolve(SoftwareKeyStore.PUBLIC_KEY_FILE)),
                "the existing identity is untouched");

        assertEquals(0, run(cmd("create", "--force")), err);
        assertTrue(out.contains("moved the previous key to "), out);
        assertNotEquals(new String(first, StandardCharsets.US_ASCII),
                Files.readString(tmp.resolve("keys").resolve(SoftwareKeyStore.PUBLIC_KEY_FILE)));
        try (var aside = Files.list(tmp.resolve("keys"))) {
            assertTrue(aside.anyMatch(p -> p.getFileName().toString().startsWith("replaced-")), "the old key is kept aside");
        }
    }

    @Test
    void storeOptionsAreChecked() {
        assertEquals(2, run("keys", "show", "--store", "software"));
        assertTrue(err.contains("--store software: needs --dir and --secret-file"), err);
        assertEquals(2, run("keys", "show", "--store", "pkcs11", "--token-label", "t"));
        assertTrue(err.contains("--store pkcs11: needs --pkcs11-library, --token-label and --pin-file"), err);
        assertEquals(2, run("keys", "show", "--store", "tpm"));
        assertTrue(err.contains("--store: expected software, pkcs11 or atecc608, actual 'tpm'"), err);
        assertEquals(2, run(cmd("create", "--alg", "rsa")));
        assertTrue(err.contains("--alg: "), err);
    }
}
