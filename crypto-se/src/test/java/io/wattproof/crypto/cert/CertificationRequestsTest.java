package io.wattproof.crypto.cert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.KeyStoreFailure;
import io.wattproof.crypto.VerifyingKey;
import io.wattproof.crypto.Signatures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Requests signed through DeviceKey.sign, judged by OpenSSL and by our own check. */
class CertificationRequestsTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void opensslVerifiesTheRequestAndReadsTheDeviceIdAsCommonName(KeyAlgorithm algorithm) throws Exception {
        DeviceKey key = TestKeys.software(tmp, "device", algorithm);
        PKCS10CertificationRequest request = CertificationRequests.create(key, CsrSubject.of("Stadtwerke Test", "site 7"));
        String pem = CertificationRequests.toPem(request);
        Path file = Files.writeString(tmp.resolve("device.csr"), pem);

        List<String> verify = algorithm == KeyAlgorithm.SM2_SM3
                ? List.of("req", "-in", file.toString(), "-verify", "-noout", "-vfyopt", "distid:" + Signatures.SM2_USER_ID)
                : List.of("req", "-in", file.toString(), "-verify", "-noout");
        assertEquals("Certificate request self-signature verify OK", OpenSsl.ok(tmp, verify.toArray(String[]::new)));
        String subject = OpenSsl.ok(tmp, "req", "-in", file.toString(), "-noout", "-subject", "-nameopt", "RFC2253");
        assertEquals("subject=CN=" + key.deviceId().hex() + ",OU=site 7,O=Stadtwerke Test", subject);

        PKCS10CertificationRequest read = CertificationRequests.fromPem(pem);
        assertArrayEquals(CertificationRequests.encoded(request), CertificationRequests.encoded(read));
        CsrCheck check = CertificationRequests.checkDevice(read);
        CsrCheck.Valid valid = assertInstanceOf(CsrCheck.Valid.class, check, check.reason());
        assertEquals(key.deviceId(), valid.key().deviceId());
    }

    @Test
    void sm2RequestFailsOpenSslsCheckWithoutTheStandardUserId() throws Exception {
        // Shows that the -vfyopt above is needed and meaningful: OpenSSL 3.0 defaults to another id.
        DeviceKey key = TestKeys.software(tmp, "device", KeyAlgorithm.SM2_SM3);
        Path file = Files.writeString(tmp.resolve("device.csr"), CertificationRequests.toPem(
                CertificationRequests.create(key, CsrSubject.deviceIdOnly())));
        OpenSsl.Result result = OpenSsl.run(tmp, "req", "-in", file.toString(), "-verify", "-noout");
        assertTrue(result.output().contains("verify failure"), result.output());
    }

    @Test
    void opensslRequestsWithHighOrLowSAreAcceptedAsProofOfPossession() throws Exception {
        OpenSsl.ok(tmp, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "key.pem");
        // ECDSA s falls in the upper half about every second time: eight requests cover both.
        for (int i = 0; i < 8; i++) {
            OpenSsl.ok(tmp, "req", "-new", "-key", "key.pem", "-subj", "/CN=meter " + i, "-out", "r.csr");
            CsrCheck check = CertificationRequests.check(CertificationRequests.fromPem(Files.readString(tmp.resolve("r.csr"))));
            assertInstanceOf(CsrCheck.Valid.class, check, check.reason());
        }
    }

    @Test
    void aCommonNameThatIsNotTheKeysDeviceIdIsRefusedNamingBoth() throws Exception {
        OpenSsl.ok(tmp, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "key.pem");
        String claimed = "00112233445566778899aabbccddeeff00112233";
        OpenSsl.ok(tmp, "req", "-new", "-key", "key.pem", "-subj", "/CN=" + claimed, "-out", "r.csr");
        PKCS10CertificationRequest request = CertificationRequests.fromPem(Files.readString(tmp.resolve("r.csr")));

        CsrCheck.DeviceIdMismatch mismatch = assertInstanceOf(CsrCheck.DeviceIdMismatch.class, CertificationRequests.checkDevice(request));
        DeviceId actual = DeviceId.fromPublicKeyInfo(request.getSubjectPublicKeyInfo().getEncoded());
        assertEquals(actual, mismatch.computed());
        assertEquals(claimed, mismatch.commonName());
        assertTrue(mismatch.reason().contains(claimed) && mismatch.reason().contains(actual.hex()), mismatch.reason());
    }

    @Test
    void aSubjectWithoutCommonNameIsRefused() throws Exception {
        DeviceKey key = TestKeys.software(tmp, "device", KeyAlgorithm.ECDSA_P256_SHA256);
        PKCS10CertificationRequest request = new PKCS10CertificationRequestBuilder(new X500Name("O=wattproof"),
                SubjectPublicKeyInfo.getInstance(key.publicKeyInfo())).build(new DeviceKeyContentSigner(key));
        assertInstanceOf(CsrCheck.Valid.class, CertificationRequests.check(request));
        CsrCheck check = CertificationRequests.checkDevice(request);
        assertInstanceOf(CsrCheck.NoDeviceId.class, check);
        assertTrue(check.reason().contains("O=wattproof"), check.reason());
    }

    @Test
    void aChangedSubjectNoLongerVerifies() throws Exception {
        DeviceKey key = TestKeys.software(tmp, "device", KeyAlgorithm.ED25519);
        byte[] der = CertificationRequests.encoded(CertificationRequests.create(key, CsrSubject.of("operator A", null)));
        byte[] changed = replace(der, "operator A", "operator B");
        PKCS10CertificationRequest forged = new PKCS10CertificationRequest(changed);
        CsrCheck check = CertificationRequests.check(forged);
        assertInstanceOf(CsrCheck.BadSignature.class, check, check.reason());
    }

    @Test
    void aSignatureAlgorithmThatDoesNotFitTheKeyIsRefused() throws Exception {
        DeviceKey key = TestKeys.software(tmp, "device", KeyAlgorithm.SM2_SM3);
        ContentSigner sm2 = new DeviceKeyContentSigner(key);
        ContentSigner labelledEcdsa = new ContentSigner() {
            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);
            }

            @Override
            public java.io.OutputStream getOutputStream() {
                return sm2.getOutputStream();
            }

            @Override
            public byte[] getSignature() {
                return sm2.getSignature();
            }
        };
        PKCS10CertificationRequest request = new PKCS10CertificationRequestBuilder(new X500Name("CN=" + key.deviceId().hex()),
                SubjectPublicKeyInfo.getInstance(key.publicKeyInfo())).build(labelledEcdsa);
        CsrCheck.SignatureAlgorithmMismatch check =
                assertInstanceOf(CsrCheck.SignatureAlgorithmMismatch.class, CertificationRequests.check(request));
        assertTrue(check.expected().startsWith("1.2.156.10197.1.501") && check.actual().equals("1.2.840.10045.4.3.2"), check.reason());
    }

    @Test
    void aKeyOnAnotherCurveIsUnsupported() throws Exception {
        OpenSsl.ok(tmp, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", "key.pem");
        OpenSsl.ok(tmp, "req", "-new", "-key", "key.pem", "-subj", "/CN=x", "-out", "r.csr");
        CsrCheck check = CertificationRequests.check(CertificationRequests.fromPem(Files.readString(tmp.resolve("r.csr"))));
        assertInstanceOf(CsrCheck.UnsupportedKey.class, check);
        assertTrue(check.reason().contains("curve"), check.reason());
    }

    @Test
    void pemThatIsNotOneRequestIsRefusedNamingWhatWasFound() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CertificationRequests.fromPem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"));
        assertTrue(e.getMessage().contains("CERTIFICATE REQUEST") && e.getMessage().contains("BEGIN CERTIFICATE-"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> CertificationRequests.fromPem("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----"));
        assertTrue(e.getMessage().contains("3 bytes that do not parse"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> CertificationRequests.fromPem("-----BEGIN CERTIFICATE REQUEST-----\nAA*A\n-----END CERTIFICATE REQUEST-----"));
        assertTrue(e.getMessage().contains("expected base64"), e.getMessage());
    }

    @Test
    void aKeyThatRefusesToSignFailsTheRequestWithItsOwnFailure() throws Exception {
        DeviceKey real = TestKeys.software(tmp, "device", KeyAlgorithm.ECDSA_P256_SHA256);
        KeyStoreFailure refusal = new KeyStoreFailure("token removed");
        DeviceKey refusing = new DeviceKey() {
            @Override
            public VerifyingKey verifyingKey() {
                return real.verifyingKey();
            }

            @Override
            public byte[] sign(byte[] message) throws KeyStoreFailure {
                throw refusal;
            }
        };
        assertSame(refusal, assertThrows(KeyStoreFailure.class, () -> CertificationRequests.create(refusing, CsrSubject.deviceIdOnly())));
    }

    @Test
    void subjectPartsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> CsrSubject.of(" ", null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CsrSubject.of(null, "x".repeat(65)));
        assertTrue(e.getMessage().contains("organizational unit (OU)") && e.getMessage().contains("65"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CsrSubject.of("a\nb", null));
    }

    private static byte[] replace(byte[] haystack, String from, String to) {
        byte[] needle = from.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            byte[] out = haystack.clone();
            System.arraycopy(to.getBytes(StandardCharsets.US_ASCII), 0, out, i, needle.length);
            return out;
        }
        throw new AssertionError("'" + from + "' not found");
    }
}
