package io.wattproof.crypto.cert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The lab authority: what it writes, what it refuses, and OpenSSL's verdict on what it issues. */
class CertificateAuthorityTest {
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    @TempDir
    Path tmp;
    private Path caDir;
    private CertificateAuthority ca;

    @BeforeEach
    void createAuthority() throws Exception {
        caDir = tmp.resolve("ca");
        ca = CertificateAuthority.create(caDir, "CN=wattproof test ca,O=Wattproof", Validity.days(NOW.minusSeconds(3600), 3650));
    }

    private Path write(String name, X509Certificate certificate) throws Exception {
        return Files.writeString(tmp.resolve(name), Certificates.toPem(certificate));
    }

    @Test
    void theAuthorityIsASelfSignedP256RootInOwnerOnlyFiles() throws Exception {
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(caDir)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(caDir.resolve(CertificateAuthority.KEY_FILE))));
        String text = OpenSsl.ok(tmp, "x509", "-in", caDir.resolve(CertificateAuthority.CERTIFICATE_FILE).toString(), "-noout", "-text");
        assertTrue(text.contains("CA:TRUE") && text.contains("Certificate Sign, CRL Sign") && text.contains("prime256v1")
                && text.contains("Subject Key Identifier") && text.contains("ecdsa-with-SHA256"), text);
        Path cert = caDir.resolve(CertificateAuthority.CERTIFICATE_FILE);
        assertEquals(cert + ": OK", OpenSsl.ok(tmp, "verify", "-CAfile", cert.toString(), cert.toString()));
        // OpenSSL reads the key file too, as an unencrypted PKCS#8 EC key.
        assertTrue(OpenSsl.ok(tmp, "pkey", "-in", caDir.resolve(CertificateAuthority.KEY_FILE).toString(), "-noout", "-text")
                .contains("prime256v1"));
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void aDeviceCertificateVerifiesWithOpenSslForClientAuthentication(KeyAlgorithm algorithm) throws Exception {
        DeviceKey key = TestKeys.software(tmp, "device", algorithm);
        Validity validity = Validity.days(NOW, 365);
        X509Certificate certificate = ca.issueDevice(CertificationRequests.create(key, CsrSubject.of("Operator", null)), validity);

        Path file = write("device.pem", certificate);
        Path caFile = caDir.resolve(CertificateAuthority.CERTIFICATE_FILE);
        assertEquals(file + ": OK", OpenSsl.ok(tmp, "verify", "-CAfile", caFile.toString(), "-purpose", "sslclient",
                "-attime", String.valueOf(NOW.plusSeconds(60).getEpochSecond()), file.toString()));
        String text = OpenSsl.ok(tmp, "x509", "-in", file.toString(), "-noout", "-text");
        assertTrue(text.contains("CA:FALSE") && text.contains("Digital Signature") && text.contains("TLS Web Client Authentication")
                && text.contains("Subject Key Identifier") && text.contains("Authority Key Identifier"), text);
        assertTrue(text.contains("Subject: O = Operator, CN = " + key.deviceId().hex()), text);

        assertEquals(-1, certificate.getBasicConstraints());
        assertArrayEquals(new boolean[] {true, false, false, false, false, false, false, false, false}, certificate.getKeyUsage());
        assertEquals(List.of("1.3.6.1.5.5.7.3.2"), certificate.getExtendedKeyUsage());
        assertTrue(certificate.getCriticalExtensionOIDs().containsAll(List.of("2.5.29.19", "2.5.29.15")));
        assertTrue(certificate.getSerialNumber().signum() > 0 && certificate.getSerialNumber().bitLength() <= 128);
        assertEquals(validity.notBefore(), certificate.getNotBefore().toInstant());
        assertEquals(validity.notAfter(), certificate.getNotAfter().toInstant());
        assertArrayEquals(key.publicKeyInfo(), certificate.getPublicKey().getEncoded());
    }

    @Test
    void serialsDiffer() throws Exception {
        DeviceKey key = TestKeys.software(tmp, "device", KeyAlgorithm.ED25519);
        PKCS10CertificationRequest request = CertificationRequests.create(key, CsrSubject.deviceIdOnly());
        assertFalse(ca.issueDevice(request, Validity.days(NOW, 1)).getSerialNumber()
                .equals(ca.issueDevice(request, Validity.days(NOW, 1)).getSerialNumber()));
    }

    @Test
    void anotherAuthoritysCertificateDoesNotVerify() throws Exception {
        CertificateAuthority other = CertificateAuthority.create(tmp.resolve("other"), "CN=other ca", Validity.days(NOW.minusSeconds(60), 30));
        DeviceKey key = TestKeys.software(tmp, "device", KeyAlgorithm.ECDSA_P256_SHA256);
        Path file = write("device.pem", other.issueDevice(CertificationRequests.create(key, CsrSubject.deviceIdOnly()), Validity.days(NOW, 1)));
        OpenSsl.Result result = OpenSsl.run(tmp, "verify", "-CAfile", caDir.resolve(CertificateAuthority.CERTIFICATE_FILE).toString(),
                "-attime", String.valueOf(NOW.plusSeconds(60).getEpochSecond()), file.toString());
        assertFalse(result.ok(), result.output());
        assertTrue(result.output().contains("unable to get local issuer certificate"), result.output());
    }

    @Test
    void aRequestForAnotherDevicesIdIsRefusedNamingBoth() throws Exception {
        OpenSsl.ok(tmp, "genpkey", "-algorithm", "ED25519", "-out", "key.pem");
        String claimed = "0123456789abcdef0123456789abcdef01234567";
        OpenSsl.ok(tmp, "req", "-new", "-key", "key.pem", "-subj", "/CN=" + claimed, "-out", "r.csr");
        PKCS10CertificationRequest request = CertificationRequests.fromPem(Files.readString(tmp.resolve("r.csr")));
        CertificateFailure.RequestRefused e = assertThrows(CertificateFailure.RequestRefused.class,
                () -> ca.issueDevice(request, Validity.days(NOW, 1)));
        CsrCheck.DeviceIdMismatch mismatch = assertInstanceOf(CsrCheck.DeviceIdMismatch.class, e.check());
        assertTrue(e.getMessage().contains(claimed) && e.getMessage().contains(mismatch.computed().hex()), e.getMessage());
    }

    @Test
    void aValidityBeyondTheAuthoritysIsRefused() throws Exception {
        DeviceKey key = TestKeys.software(tmp, "device", KeyAlgorithm.ECDSA_P256_SHA256);
        CertificateFailure.ValidityBeyondAuthority e = assertThrows(CertificateFailure.ValidityBeyondAuthority.class,
                () -> ca.issueDevice(CertificationRequests.create(key, CsrSubject.deviceIdOnly()), Validity.days(NOW, 4000)));
        assertTrue(e.getMessage().contains(ca.validity().notAfter().toString()), e.getMessage());
    }

    @Test
    void aServerCertificateNamesItsAddressesForHostnameChecks() throws Exception {
        OpenSsl.ok(tmp, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "server-key.pem");
        OpenSsl.ok(tmp, "req", "-new", "-key", "server-key.pem", "-subj", "/CN=broker", "-out", "server.csr");
        X509Certificate certificate = ca.issueServer(CertificationRequests.fromPem(Files.readString(tmp.resolve("server.csr"))),
                List.of("127.0.0.1", "localhost", "::1"), Validity.days(NOW, 30));
        Path file = write("server.pem", certificate);
        String caFile = caDir.resolve(CertificateAuthority.CERTIFICATE_FILE).toString();
        String at = String.valueOf(NOW.plusSeconds(60).getEpochSecond());
        assertEquals(file + ": OK", OpenSsl.ok(tmp, "verify", "-CAfile", caFile, "-purpose", "sslserver", "-verify_ip", "127.0.0.1",
                "-attime", at, file.toString()));
        assertEquals(file + ": OK", OpenSsl.ok(tmp, "verify", "-CAfile", caFile, "-verify_hostname", "localhost", "-attime", at, file.toString()));
        OpenSsl.Result wrongIp = OpenSsl.run(tmp, "verify", "-CAfile", caFile, "-verify_ip", "10.0.0.1", "-attime", at, file.toString());
        assertFalse(wrongIp.ok(), wrongIp.output());
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), certificate.getExtendedKeyUsage());
    }

    @Test
    void serverHostsAreChecked() throws Exception {
        DeviceKey key = TestKeys.software(tmp, "server", KeyAlgorithm.ECDSA_P256_SHA256);
        PKCS10CertificationRequest request = CertificationRequests.create(key, CsrSubject.deviceIdOnly());
        assertThrows(IllegalArgumentException.class, () -> ca.issueServer(request, List.of(), Validity.days(NOW, 1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ca.issueServer(request, List.of("bad host"), Validity.days(NOW, 1)));
        assertTrue(e.getMessage().contains("'bad host'"), e.getMessage());
    }

    @Test
    void reopeningGivesTheSameAuthority() throws Exception {
        assertEquals(ca.certificate(), CertificateAuthority.open(caDir).certificate());
    }

    @Test
    void anAuthorityIsNeverReplaced() {
        CertificateFailure.AuthorityExists e = assertThrows(CertificateFailure.AuthorityExists.class,
                () -> CertificateAuthority.create(caDir, "CN=second", Validity.days(NOW, 1)));
        assertTrue(e.getMessage().contains(CertificateAuthority.KEY_FILE), e.getMessage());
    }

    @Test
    void aKeyFileOthersCanReadIsRefused() throws Exception {
        Files.setPosixFilePermissions(caDir.resolve(CertificateAuthority.KEY_FILE), PosixFilePermissions.fromString("rw-r--r--"));
        CertificateFailure.InsecureKeyFile e = assertThrows(CertificateFailure.InsecureKeyFile.class, () -> CertificateAuthority.open(caDir));
        assertTrue(e.getMessage().contains("0644"), e.getMessage());
    }

    @Test
    void aCertificateOfAnotherKeyIsRefused() throws Exception {
        CertificateAuthority other = CertificateAuthority.create(tmp.resolve("other"), "CN=other ca", Validity.days(NOW, 30));
        Path certificate = caDir.resolve(CertificateAuthority.CERTIFICATE_FILE);
        Files.delete(certificate);
        Files.writeString(certificate, Certificates.toPem(other.certificate()));
        assertThrows(CertificateFailure.KeyMismatch.class, () -> CertificateAuthority.open(caDir));
    }

    @Test
    void missingAndDamagedFilesAreNamed() throws Exception {
        Path empty = tmp.resolve("empty");
        CertificateFailure.MissingFile missing = assertThrows(CertificateFailure.MissingFile.class, () -> CertificateAuthority.open(empty));
        assertTrue(missing.getMessage().contains(empty.resolve(CertificateAuthority.KEY_FILE).toString()), missing.getMessage());

        Files.writeString(caDir.resolve(CertificateAuthority.CERTIFICATE_FILE), "not pem");
        CertificateFailure.CorruptFile corrupt = assertThrows(CertificateFailure.CorruptFile.class, () -> CertificateAuthority.open(caDir));
        assertTrue(corrupt.getMessage().contains("'not pem'"), corrupt.getMessage());
    }

    @Test
    void aSubjectThatDoesNotParseIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CertificateAuthority.create(tmp.resolve("x"), "no equals sign", Validity.days(NOW, 1)));
        assertTrue(e.getMessage().contains("'no equals sign'"), e.getMessage());
    }
}
