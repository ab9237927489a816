package io.wattproof.crypto;

import static io.wattproof.crypto.TestVectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.crypto.TestVectors.Rfc6979P256;
import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;

class PublicKeysTest {
    private static final byte[] P256_SPKI = Rfc6979P256.subjectPublicKeyInfo();
    private static final byte[] ED25519_SPKI = PublicKeys.subjectPublicKeyInfoFromPem(TestVectors.RFC8410_PUBLIC_KEY_PEM);

    @Test
    void detectsP256AndExposesTheSamePointThroughJca() {
        VerifyingKey key = PublicKeys.fromSubjectPublicKeyInfo(P256_SPKI);
        assertEquals(KeyAlgorithm.ECDSA_P256_SHA256, key.algorithm());
        ECPublicKey jca = (ECPublicKey) key.publicKey();
        assertEquals(new BigInteger(Rfc6979P256.UX, 16), jca.getW().getAffineX());
        assertEquals(new BigInteger(Rfc6979P256.UY, 16), jca.getW().getAffineY());
        assertArrayEquals(P256_SPKI, jca.getEncoded());
    }

    @Test
    void detectsEd25519() {
        VerifyingKey key = PublicKeys.fromSubjectPublicKeyInfo(ED25519_SPKI);
        assertEquals(KeyAlgorithm.ED25519, key.algorithm());
        assertEquals("EdDSA", key.publicKey().getAlgorithm());
        assertArrayEquals(ED25519_SPKI, key.publicKey().getEncoded());
    }

    @Test
    void acceptsKeysGeneratedByTheJdk() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        assertEquals(KeyAlgorithm.ECDSA_P256_SHA256,
                PublicKeys.fromSubjectPublicKeyInfo(ec.generateKeyPair().getPublic().getEncoded()).algorithm());
        assertEquals(KeyAlgorithm.ED25519, PublicKeys.fromSubjectPublicKeyInfo(
                KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded()).algorithm());
    }

    @Test
    void pemRoundTrip() {
        String pem = PublicKeys.toPem(P256_SPKI);
        assertTrue(pem.startsWith("-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE"), pem);
        assertTrue(pem.endsWith("\n-----END PUBLIC KEY-----\n"), pem);
        pem.lines().forEach(line -> assertTrue(line.length() <= 64, line));
        assertArrayEquals(P256_SPKI, PublicKeys.subjectPublicKeyInfoFromPem(pem));
        assertEquals(TestVectors.RFC8410_PUBLIC_KEY_PEM, PublicKeys.toPem(ED25519_SPKI));
        // CRLF line ends and surrounding blank lines, as files edited on other systems have.
        assertArrayEquals(P256_SPKI, PublicKeys.subjectPublicKeyInfoFromPem("\r\n" + pem.replace("\n", "\r\n") + "\r\n"));
        assertEquals(PublicKeys.fromPem(pem), PublicKeys.fromSubjectPublicKeyInfo(P256_SPKI));
    }

    @Test
    void pemRefusesOtherLabelsAndStrayCharacters() {
        String pem = PublicKeys.toPem(P256_SPKI);
        var label = assertThrows(IllegalArgumentException.class,
                () -> PublicKeys.subjectPublicKeyInfoFromPem(pem.replace("PUBLIC KEY", "PRIVATE KEY")));
        assertTrue(label.getMessage().startsWith("public key pem: expected one block from '-----BEGIN PUBLIC KEY-----'"), label.getMessage());
        var stray = assertThrows(IllegalArgumentException.class,
                () -> PublicKeys.subjectPublicKeyInfoFromPem(pem.replace("MFkw", "MF*w")));
        assertTrue(stray.getMessage().startsWith("public key pem body: expected base64"), stray.getMessage());
    }

    @Test
    void refusesCompressedPointBecauseItWouldBeASecondDeviceId() {
        ECNamedDomainParameters p256 = ECNamedDomainParameters.lookup(SECObjectIdentifiers.secp256r1);
        ECPoint point = p256.getCurve().createPoint(new BigInteger(Rfc6979P256.UX, 16), new BigInteger(Rfc6979P256.UY, 16));
        byte[] compressed = point.getEncoded(true);
        byte[] spki = hex("3039" + "3013" + "06072a8648ce3d0201" + "06082a8648ce3d030107" + "032200"
                + HexFormat.of().formatHex(compressed));
        var e = assertThrows(IllegalArgumentException.class, () -> PublicKeys.fromSubjectPublicKeyInfo(spki));
        assertEquals("ec public key point: expected 65-byte uncompressed encoding starting 0x04, got 33 bytes starting 0x03", e.getMessage());
    }

    @Test
    void refusesPointOffTheCurve() {
        byte[] spki = P256_SPKI.clone();
        spki[spki.length - 1] ^= 1;
        var e = assertThrows(IllegalArgumentException.class, () -> PublicKeys.fromSubjectPublicKeyInfo(spki));
        assertTrue(e.getMessage().startsWith("ECDSA_P256_SHA256 public key: expected a valid point"), e.getMessage());
    }

    @Test
    void refusesOtherCurvesAndAlgorithms() throws Exception {
        KeyPairGenerator p384 = KeyPairGenerator.getInstance("EC");
        p384.initialize(new ECGenParameterSpec("secp384r1"));
        var curve = assertThrows(IllegalArgumentException.class,
                () -> PublicKeys.fromSubjectPublicKeyInfo(p384.generateKeyPair().getPublic().getEncoded()));
        assertEquals("ec public key curve: expected namedCurve 1.2.840.10045.3.1.7 (p-256) or 1.2.156.10197.1.301 (sm2p256v1), got 1.3.132.0.34", curve.getMessage());

        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        var algorithm = assertThrows(IllegalArgumentException.class,
                () -> PublicKeys.fromSubjectPublicKeyInfo(rsa.generateKeyPair().getPublic().getEncoded()));
        assertEquals("public key algorithm: expected 1.2.840.10045.2.1 (ec p-256 or sm2) or 1.3.101.112 (ed25519), got 1.2.840.113549.1.1.1",
                algorithm.getMessage());
    }

    @Test
    void refusesEd25519WithParametersAndTrailingBytes() {
        // RFC 8410 §3: the parameters field must be absent, not NULL. 05 00 added inside the AlgorithmIdentifier.
        byte[] withNull = hex("302c300706032b65700500032100" + "19bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1");
        var e = assertThrows(IllegalArgumentException.class, () -> PublicKeys.fromSubjectPublicKeyInfo(withNull));
        assertEquals("ed25519 algorithm parameters: expected absent (rfc 8410 §3), got NULL", e.getMessage());

        byte[] trailing = Arrays.copyOf(ED25519_SPKI, ED25519_SPKI.length + 1);
        var t = assertThrows(IllegalArgumentException.class, () -> PublicKeys.fromSubjectPublicKeyInfo(trailing));
        assertTrue(t.getMessage().startsWith("public key info: expected a der SubjectPublicKeyInfo, got 45 bytes"), t.getMessage());
    }
}
