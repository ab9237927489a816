package io.wattproof.crypto.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.Signatures;
import io.wattproof.crypto.atecc608.Atecc608Driver;
import io.wattproof.crypto.atecc608.Atecc608I2cDouble;
import io.wattproof.crypto.atecc608.Atecc608KeyStore;
import io.wattproof.crypto.atecc608.Opcode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * TLS client authentication by a device key in the software store or an ATECC608 against the
 * JDK's own TLS server (which verifies the CertificateVerify signature with SunEC), in TLS 1.3
 * and 1.2.
 */
class DeviceKeyTlsTest {
    @TempDir
    Path tmp;
    private CertificateAuthority ca;

    @BeforeEach
    void authority() throws Exception {
        ca = CertificateAuthority.create(tmp.resolve("ca"), "CN=tls test ca", Validity.days(Instant.now().minusSeconds(3600), 30));
    }

    private X509Certificate certify(CertificateAuthority authority, DeviceKey key) throws Exception {
        return authority.issueDevice(CertificationRequests.create(key, CsrSubject.deviceIdOnly()),
                Validity.days(Instant.now().minusSeconds(60), 1));
    }

    @ParameterizedTest
    @CsvSource({"ECDSA_P256_SHA256, TLSv1.3", "ECDSA_P256_SHA256, TLSv1.2", "ED25519, TLSv1.3", "ED25519, TLSv1.2"})
    void theServerAcceptsTheDeviceCertificateSignedThroughTheDeviceKey(KeyAlgorithm algorithm, String protocol) throws Exception {
        CountingKey key = new CountingKey(TestKeys.software(tmp, "device", algorithm));
        X509Certificate certificate = certify(ca, key);
        int before = key.signatures.get();
        DeviceKeyManager keyManager = DeviceKeyManager.of(key, List.of(certificate));
        try (TlsTestServer server = TlsTestServer.start(ca, protocol)) {
            assertEquals(42, TlsTestServer.exchange(DeviceTls.clientContext(keyManager, List.of(ca.certificate())), server.port(), protocol));
            assertEquals(certificate, server.awaitClient());
        }
        // One CertificateVerify, signed by the device key itself.
        assertEquals(1, key.signatures.get() - before);
    }

    /**
     * The same handshake with the key in an ATECC608 slot (the chip is the test double of its I2C
     * protocol): the certificate request and the CertificateVerify are both signed by the chip.
     */
    @ParameterizedTest
    @CsvSource({"TLSv1.3", "TLSv1.2"})
    void aKeyInsideTheSecureElementAuthenticatesTheClient(String protocol) throws Exception {
        Atecc608I2cDouble chip = Atecc608I2cDouble.personalised();
        DeviceKey key = Atecc608KeyStore.create(new Atecc608Driver(chip, Atecc608Driver.DEFAULT_ADDRESS, chip.pause()), 0, false);
        X509Certificate certificate = certify(ca, key);
        long signsBefore = chip.executed().stream().filter(op -> op == Opcode.SIGN.code()).count();
        try (TlsTestServer server = TlsTestServer.start(ca, protocol)) {
            DeviceKeyManager keyManager = DeviceKeyManager.of(key, List.of(certificate));
            assertEquals(42, TlsTestServer.exchange(DeviceTls.clientContext(keyManager, List.of(ca.certificate())), server.port(), protocol));
            assertEquals(certificate, server.awaitClient());
        }
        assertEquals(1, chip.executed().stream().filter(op -> op == Opcode.SIGN.code()).count() - signsBefore,
                "the CertificateVerify is one Sign command on the chip");
    }

    @ParameterizedTest
    @CsvSource({"TLSv1.3", "TLSv1.2"})
    void aCertificateFromAnotherAuthorityIsRefusedByTheServer(String protocol) throws Exception {
        CertificateAuthority other = CertificateAuthority.create(tmp.resolve("other"), "CN=other ca",
                Validity.days(Instant.now().minusSeconds(3600), 30));
        DeviceKey key = TestKeys.software(tmp, "device", KeyAlgorithm.ECDSA_P256_SHA256);
        DeviceKeyManager keyManager = DeviceKeyManager.of(key, List.of(certify(other, key)));
        try (TlsTestServer server = TlsTestServer.start(ca, protocol)) {
            int echoed;
            try {
                echoed = TlsTestServer.exchange(DeviceTls.clientContext(keyManager, List.of(ca.certificate())), server.port(), protocol);
            } catch (SSLException | java.net.SocketException e) {
                echoed = -2; // TLS 1.2: the alert arrives during the handshake; TLS 1.3: maybe at the first read
            }
            assertNotEquals(42, echoed, "the server must not talk to an untrusted client");
            ExecutionException refused = assertThrows(ExecutionException.class, server::awaitClient);
            assertInstanceOf(SSLHandshakeException.class, refused.getCause(), String.valueOf(refused.getCause()));
        }
    }

    @Test
    void sm2KeysAreRefusedWithTheReason() throws Exception {
        DeviceKey key = TestKeys.software(tmp, "device", KeyAlgorithm.SM2_SM3);
        X509Certificate certificate = certify(ca, key);
        CertificateFailure.NotUsableForTls e = assertThrows(CertificateFailure.NotUsableForTls.class,
                () -> DeviceKeyManager.of(key, List.of(certificate)));
        assertTrue(e.getMessage().contains("SM2_SM3") && e.getMessage().contains("rfc 8998"), e.getMessage());
    }

    @Test
    void aCertificateOfAnotherKeyIsRefused() throws Exception {
        DeviceKey key = TestKeys.software(tmp, "device", KeyAlgorithm.ECDSA_P256_SHA256);
        DeviceKey otherKey = TestKeys.software(tmp, "other", KeyAlgorithm.ECDSA_P256_SHA256);
        CertificateFailure.CertificateKeyMismatch e = assertThrows(CertificateFailure.CertificateKeyMismatch.class,
                () -> DeviceKeyManager.of(key, List.of(certify(ca, otherKey))));
        assertTrue(e.getMessage().contains(key.deviceId().hex()) && e.getMessage().contains(otherKey.deviceId().hex()), e.getMessage());
    }

    @Test
    void theProviderSignsForHandlesOnlyAndNeverClaimsOtherKeys() throws Exception {
        DeviceKey key = TestKeys.software(tmp, "device", KeyAlgorithm.ECDSA_P256_SHA256);
        DeviceKeyManager keyManager = DeviceKeyManager.of(key, List.of(certify(ca, key)));
        PrivateKey handle = keyManager.getPrivateKey(DeviceKeyManager.ALIAS);
        assertNull(handle.getEncoded(), "the handle exports nothing");

        byte[] data = "a transcript".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(handle);
        signer.update(data);
        byte[] der = signer.sign();
        assertEquals(DeviceKeyProvider.NAME, signer.getProvider().getName());
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(key.publicKey());
        verifier.update(data);
        assertTrue(verifier.verify(der), "SunEC verifies the DER signature");
        assertTrue(Signatures.isLowS(Signatures.derToRaw(KeyAlgorithm.ECDSA_P256_SHA256, der)));

        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        Signature ordinary = Signature.getInstance("SHA256withECDSA");
        ordinary.initSign(generator.generateKeyPair().getPrivate());
        assertNotEquals(DeviceKeyProvider.NAME, ordinary.getProvider().getName());

        Signature ed25519 = Signature.getInstance("Ed25519");
        assertThrows(InvalidKeyException.class, () -> ed25519.initSign(handle), "a P-256 handle is no Ed25519 key");
    }

    @Test
    void theKeyManagerOffersTheDeviceOnlyForItsKeyType() throws Exception {
        DeviceKey key = TestKeys.software(tmp, "device", KeyAlgorithm.ED25519);
        DeviceKeyManager keyManager = DeviceKeyManager.of(key, List.of(certify(ca, key)));
        assertEquals(DeviceKeyManager.ALIAS, keyManager.chooseClientAlias(new String[] {"RSA", "EdDSA"}, null, null));
        assertNull(keyManager.chooseClientAlias(new String[] {"EC", "RSA"}, null, null));
        assertNull(keyManager.chooseServerAlias("EdDSA", null, null));
        assertNull(keyManager.getPrivateKey("other"));
    }

}
