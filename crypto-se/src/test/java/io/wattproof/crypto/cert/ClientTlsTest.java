package io.wattproof.crypto.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.KeyManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A client whose key and certificate OpenSSL made, as docs/mosquitto.md tells an operator to:
 * the files are read as they are, and the handshake with a server that requires a client
 * certificate succeeds with them and with nothing else.
 */
class ClientTlsTest {
    @TempDir
    Path tmp;
    private CertificateAuthority ca;

    @BeforeEach
    void authority() throws Exception {
        ca = CertificateAuthority.create(tmp.resolve("ca"), "CN=client test ca", Validity.days(Instant.now().minusSeconds(3600), 30));
    }

    /** Key and certificate files for {@code commonName}, made and signed by OpenSSL with the authority's files. */
    private Path[] openSslClient(String commonName, String... keyAlgorithm) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(commonName));
        List<String> genpkey = new java.util.ArrayList<>(List.of("genpkey"));
        genpkey.addAll(List.of(keyAlgorithm));
        genpkey.addAll(List.of("-out", "key.pem"));
        OpenSsl.ok(dir, genpkey.toArray(String[]::new));
        OpenSsl.ok(dir, "req", "-new", "-key", "key.pem", "-subj", "/CN=" + commonName, "-out", "req.csr");
        Files.writeString(dir.resolve("ext.cnf"), "extendedKeyUsage = clientAuth\n");
        OpenSsl.ok(dir, "x509", "-req", "-in", "req.csr", "-days", "1", "-extfile", "ext.cnf",
                "-CA", tmp.resolve("ca").resolve(CertificateAuthority.CERTIFICATE_FILE).toString(),
                "-CAkey", tmp.resolve("ca").resolve(CertificateAuthority.KEY_FILE).toString(), "-CAcreateserial", "-out", "cert.pem");
        return new Path[] {dir.resolve("cert.pem"), dir.resolve("key.pem")};
    }

    private static KeyManager identity(Path certificate, Path key) throws Exception {
        return ClientTls.identity(ClientTls.privateKeyFromPem(Files.readString(key)), Certificates.allFromPem(Files.readString(certificate)));
    }

    @ParameterizedTest
    @CsvSource({"EC, TLSv1.3", "EC, TLSv1.2", "ED25519, TLSv1.3"})
    void aKeyAndCertificateMadeByOpenSslAuthenticateTheClient(String algorithm, String protocol) throws Exception {
        Path[] files = algorithm.equals("EC") ? openSslClient("operator", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256")
                : openSslClient("operator", "-algorithm", "ED25519");
        try (TlsTestServer server = TlsTestServer.start(ca, protocol)) {
            assertEquals(42, TlsTestServer.exchange(ClientTls.context(identity(files[0], files[1]), List.of(ca.certificate())),
                    server.port(), protocol));
            assertEquals(Certificates.fromPem(Files.readString(files[0])), server.awaitClient());
        }
    }

    @Test
    void theKeyOfAnotherCertificateIsRefused() throws Exception {
        Path[] operator = openSslClient("operator", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
        Path[] other = openSslClient("other", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> identity(operator[0], other[1]));
        assertEquals("client key: expected the private key of the client certificate (CN=operator), got another key", e.getMessage());
    }

    @Test
    void keysOpenSslWritesInOtherFormsAreRefusedWithTheWayOut() throws Exception {
        Path[] operator = openSslClient("operator", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
        Path dir = operator[1].getParent();
        OpenSsl.ok(dir, "ec", "-in", "key.pem", "-out", "traditional.pem");
        IllegalArgumentException traditional = assertThrows(IllegalArgumentException.class,
                () -> ClientTls.privateKeyFromPem(Files.readString(dir.resolve("traditional.pem"))));
        assertTrue(traditional.getMessage().contains("openssl pkcs8 -topk8 -nocrypt"), traditional.getMessage());
        OpenSsl.ok(dir, "pkcs8", "-topk8", "-in", "key.pem", "-v2", "aes-256-cbc", "-passout", "pass:secret", "-out", "encrypted.pem");
        IllegalArgumentException encrypted = assertThrows(IllegalArgumentException.class,
                () -> ClientTls.privateKeyFromPem(Files.readString(dir.resolve("encrypted.pem"))));
        assertTrue(encrypted.getMessage().contains("expected an unencrypted PKCS#8 key, got an encrypted one"), encrypted.getMessage());
        IllegalArgumentException certificate = assertThrows(IllegalArgumentException.class,
                () -> ClientTls.privateKeyFromPem(Files.readString(operator[0])));
        assertTrue(certificate.getMessage().startsWith("client key pem: expected one block from '-----BEGIN PRIVATE KEY-----'"),
                certificate.getMessage());
    }

    @Test
    void aFileOfSeveralCertificatesIsReadInOrderAndAnythingBetweenThemIsRefused() throws Exception {
        Path[] operator = openSslClient("operator", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
        String leaf = Files.readString(operator[0]);
        String root = Certificates.toPem(ca.certificate());
        List<X509Certificate> chain = Certificates.allFromPem(leaf + root);
        assertEquals(List.of(Certificates.fromPem(leaf), ca.certificate()), chain);
        IllegalArgumentException junk = assertThrows(IllegalArgumentException.class,
                () -> Certificates.allFromPem(leaf + "\nnot pem\n" + root));
        assertTrue(junk.getMessage().startsWith("certificate block 2 pem: expected one block"), junk.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Certificates.allFromPem(""));
    }
}
