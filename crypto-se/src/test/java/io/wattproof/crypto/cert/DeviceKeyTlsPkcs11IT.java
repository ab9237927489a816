package io.wattproof.crypto.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.pkcs11.Pkcs11Config;
import io.wattproof.crypto.pkcs11.Pkcs11KeyStore;
import io.wattproof.crypto.pkcs11.SoftHsmTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A P-256 key on a real SoftHSM2 token, never extractable: its request is signed on the token
 * (OpenSSL verifies it), the lab authority certifies it, and the JDK's TLS server accepts it as
 * client identity, the CertificateVerify being signed on the token through DeviceKey.sign.
 */
class DeviceKeyTlsPkcs11IT {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aTokenKeyAuthenticatesATlsClient(String protocol) throws Exception {
        String token = SoftHsmTokens.take();
        Path pin = SoftHsmTokens.writePin(tmp.resolve("pin"), SoftHsmTokens.USER_PIN, "rw-------");
        CountingKey key = new CountingKey(Pkcs11KeyStore.create(new Pkcs11Config(SoftHsmTokens.LIBRARY, token, "device", pin),
                KeyAlgorithm.ECDSA_P256_SHA256, Clock.systemUTC()));

        PKCS10CertificationRequest request = CertificationRequests.create(key, CsrSubject.of("Wattproof", "token"));
        Path csr = Files.writeString(tmp.resolve("device.csr"), CertificationRequests.toPem(request));
        assertEquals("Certificate request self-signature verify OK", OpenSsl.ok(tmp, "req", "-in", csr.toString(), "-verify", "-noout"));

        CertificateAuthority ca = CertificateAuthority.create(tmp.resolve("ca"), "CN=token test ca",
                Validity.days(Instant.now().minusSeconds(3600), 30));
        X509Certificate certificate = ca.issueDevice(CertificationRequests.fromPem(Files.readString(csr)),
                Validity.days(Instant.now().minusSeconds(60), 1));
        DeviceKeyManager keyManager = DeviceKeyManager.of(key, List.of(certificate));
        int before = key.signatures.get();
        try (TlsTestServer server = TlsTestServer.start(ca, protocol)) {
            assertEquals(42, TlsTestServer.exchange(DeviceTls.clientContext(keyManager, List.of(ca.certificate())), server.port(), protocol));
            X509Certificate seen = server.awaitClient();
            assertEquals(certificate, seen);
            assertInstanceOf(java.security.interfaces.ECPublicKey.class, seen.getPublicKey());
        }
        assertEquals(1, key.signatures.get() - before);
    }
}
