package io.wattproof.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.PublicKeys;
import io.wattproof.crypto.soft.SoftwareKeyStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keys csr} and {@code ca init|issue} from the command line, with OpenSSL as the judge of
 * the request and of the certificates.
 */
class CaCommandTest extends CommandLineTest {
    @TempDir
    Path tmp;

    private String[] keys(String sub, String... more) {
        List<String> args = new ArrayList<>(List.of("keys", sub, "--store", "software", "--dir", tmp.resolve("keys").toString(),
                "--secret-file", tmp.resolve("secret").toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private record Result(int exit, String output) {}

    private Result openssl(String... args) throws IOException, InterruptedException {
        Path openssl = Path.of("/usr/bin/openssl");
        assertTrue(Files.isExecutable(openssl), openssl + " is required for this test: install the Debian package openssl");
        List<String> command = new ArrayList<>(List.of(openssl.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(tmp.toFile()).redirectErrorStream(true).start();
        String said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        return new Result(process.exitValue(), said);
    }

    private String deviceId() throws IOException {
        String pem = Files.readString(tmp.resolve("keys").resolve(SoftwareKeyStore.PUBLIC_KEY_FILE));
        return DeviceId.fromPublicKeyInfo(PublicKeys.subjectPublicKeyInfoFromPem(pem)).hex();
    }

    @Test
    void aDeviceRequestCertifiedByTheLabAuthorityVerifiesWithOpenSsl() throws Exception {
        assertEquals(0, run(keys("create")), err);
        String csr = tmp.resolve("device.csr").toString();
        assertEquals(0, run(keys("csr", "--out", csr, "--organization", "Stadtwerke Test", "--unit", "site 7")), err);
        String id = deviceId();
        assertTrue(out.contains("device id: " + id), out);
        assertTrue(out.contains("subject: CN=" + id + ",OU=site 7,O=Stadtwerke Test"), out);
        assertEquals(new Result(0, "Certificate request self-signature verify OK"), openssl("req", "-in", csr, "-verify", "-noout"));

        String ca = tmp.resolve("ca").toString();
        assertEquals(0, run("ca", "init", "--dir", ca, "--subject", "CN=fleet lab ca,O=Stadtwerke Test", "--days", "30"), err);
        assertTrue(out.contains("subject: CN=fleet lab ca,O=Stadtwerke Test"), out);
        String cert = tmp.resolve("device.pem").toString();
        assertEquals(0, run("ca", "issue", "--dir", ca, "--csr", csr, "--out", cert, "--days", "7"), err);
        assertTrue(out.contains("issued a device (clientAuth) certificate to " + cert), out);

        String caCert = tmp.resolve("ca").resolve("ca-cert.pem").toString();
        assertEquals(new Result(0, cert + ": OK"), openssl("verify", "-CAfile", caCert, "-purpose", "sslclient", cert));
        Result text = openssl("x509", "-in", cert, "-noout", "-text");
        assertTrue(text.output().contains("Subject: O = Stadtwerke Test, OU = site 7, CN = " + id)
                && text.output().contains("Issuer: O = Stadtwerke Test, CN = fleet lab ca")
                && text.output().contains("TLS Web Client Authentication"), text.output());
    }

    @Test
    void anSm2RequestVerifiesWithTheStandardsUserId() throws Exception {
        assertEquals(0, run(keys("create", "--alg", "sm2")), err);
        String csr = tmp.resolve("device.csr").toString();
        assertEquals(0, run(keys("csr", "--out", csr)), err);
        assertTrue(out.contains("subject: CN=" + deviceId()), out);
        assertEquals(new Result(0, "Certificate request self-signature verify OK"),
                openssl("req", "-in", csr, "-verify", "-noout", "-vfyopt", "distid:1234567812345678"));
    }

    @Test
    void aRequestNamingAnotherDeviceIsRefusedNamingBoth() throws Exception {
        assertEquals(0, openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "key.pem").exit());
        String claimed = "00112233445566778899aabbccddeeff00112233";
        assertEquals(0, openssl("req", "-new", "-key", "key.pem", "-subj", "/CN=" + claimed, "-out", "r.csr").exit());
        String ca = tmp.resolve("ca").toString();
        assertEquals(0, run("ca", "init", "--dir", ca), err);
        Path cert = tmp.resolve("device.pem");
        assertEquals(1, run("ca", "issue", "--dir", ca, "--csr", tmp.resolve("r.csr").toString(), "--out", cert.toString()));
        assertTrue(err.startsWith("error: certificate refused: request subject CN: expected the device id of the request's public key ")
                && err.contains("got '" + claimed + "'"), err);
        assertFalse(Files.exists(cert));
    }

    @Test
    void aBrokerCertificateNamesItsAddress() throws Exception {
        assertEquals(0, openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "key.pem").exit());
        assertEquals(0, openssl("req", "-new", "-key", "key.pem", "-subj", "/CN=broker", "-out", "broker.csr").exit());
        String ca = tmp.resolve("ca").toString();
        assertEquals(0, run("ca", "init", "--dir", ca), err);
        String cert = tmp.resolve("broker.pem").toString();
        assertEquals(0, run("ca", "issue", "--dir", ca, "--csr", tmp.resolve("broker.csr").toString(), "--out", cert,
                "--server", "127.0.0.1,localhost"), err);
        assertTrue(out.contains("issued a server (serverAuth) certificate"), out);
        String caCert = tmp.resolve("ca").resolve("ca-cert.pem").toString();
        assertEquals(new Result(0, cert + ": OK"), openssl("verify", "-CAfile", caCert, "-purpose", "sslserver", "-verify_ip", "127.0.0.1", cert));
    }

    @Test
    void anAuthorityIsNeverReplaced() throws Exception {
        String ca = tmp.resolve("ca").toString();
        assertEquals(0, run("ca", "init", "--dir", ca), err);
        byte[] before = Files.readAllBytes(tmp.resolve("ca").resolve("ca-key.pem"));
        assertEquals(1, run("ca", "init", "--dir", ca));
        assertTrue(err.contains("refusing to replace a certificate authority"), err);
        assertEquals(List.of(before.length), List.of(Files.readAllBytes(tmp.resolve("ca").resolve("ca-key.pem")).length));
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(tmp.resolve("ca").resolve("ca-key.pem"))));
    }

    @Test
    void badArgumentsAreNamed() throws Exception {
        assertEquals(2, run("ca", "init"));
        assertTrue(err.contains("--dir"), err);
        assertEquals(2, run("ca", "init", "--dir", tmp.resolve("ca").toString(), "--days", "0"));
        assertTrue(err.contains("--days: expected at least 1 day, actual 0"), err);
        assertEquals(2, run("ca", "init", "--dir", tmp.resolve("ca").toString(), "--subject", "no equals"));
        assertTrue(err.contains("--subject: ca subject: expected a distinguished name"), err);

        assertEquals(0, run("ca", "init", "--dir", tmp.resolve("ca").toString()), err);
        String missing = tmp.resolve("missing.csr").toString();
        assertEquals(2, run("ca", "issue", "--dir", tmp.resolve("ca").toString(), "--csr", missing, "--out", "x"));
        assertTrue(err.contains("--csr: expected a file at " + missing), err);
        Path garbage = Files.writeString(tmp.resolve("garbage.csr"), "hello");
        assertEquals(2, run("ca", "issue", "--dir", tmp.resolve("ca").toString(), "--csr", garbage.toString(), "--out", "x"));
        assertTrue(err.contains("expected one block from '-----BEGIN CERTIFICATE REQUEST-----'"), err);

        assertEquals(0, run(keys("create")), err);
        assertEquals(2, run(keys("csr", "--out", "x", "--unit", "u".repeat(65))));
        assertTrue(err.contains("--unit: organizational unit (OU): expected 1 to 64 characters"), err);
    }

    @Test
    void theCommandsExplainThemselves() {
        assertEquals(0, run("ca", "--help"));
        assertTrue(out.contains("init") && out.contains("issue") && out.contains("subject CN is the device"), out);
        assertEquals(0, run("keys", "csr", "--help"));
        assertTrue(out.contains("--out") && out.contains("--organization") && out.contains("openssl req"), out);
    }
}
