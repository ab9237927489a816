package io.wattproof.crypto.soft;

import static io.wattproof.crypto.TestVectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.Signatures;
import io.wattproof.crypto.TestVectors;
import io.wattproof.crypto.TestVectors.Ed25519Vector;
import io.wattproof.crypto.TestVectors.Rfc6979P256;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.util.BigIntegers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.FieldSource;

class SoftwareDeviceKeyTest {
    private static final ECNamedDomainParameters P256 = ECNamedDomainParameters.lookup(SECObjectIdentifiers.secp256r1);
    private static final BigInteger N = P256.getN();
    static final List<Ed25519Vector> RFC8032 = TestVectors.RFC8032;

    private static SoftwareDeviceKey rfc6979Key() {
        return SoftwareDeviceKey.of(new ECPrivateKeyParameters(new BigInteger(Rfc6979P256.PRIVATE_KEY, 16), P256));
    }

    private static SoftwareDeviceKey randomKey(KeyAlgorithm algorithm) {
        SecureRandom random = new SecureRandom();
        return switch (algorithm) {
            case ECDSA_P256_SHA256 -> SoftwareDeviceKey.of(new ECPrivateKeyParameters(
                    new BigInteger(255, random).add(BigInteger.ONE), P256));
            case ED25519 -> SoftwareDeviceKey.of(new Ed25519PrivateKeyParameters(random));
            case SM2_SM3 -> SoftwareDeviceKey.of(new ECPrivateKeyParameters(
                    new BigInteger(255, random).add(BigInteger.ONE), ECNamedDomainParameters.lookup(GMObjectIdentifiers.sm2p256v1)));
        };
    }

    @Test
    void ecdsaSignsRfc6979VectorsDeterministicallyInLowSForm() {
        SoftwareDeviceKey key = rfc6979Key();
        assertArrayEquals(Rfc6979P256.subjectPublicKeyInfo(), key.publicKeyInfo());
        // "sample": the RFC's s is high, we must return n − s with the same r.
        BigInteger highS = new BigInteger(Rfc6979P256.SAMPLE_S, 16);
        byte[] sample = key.sign("sample".getBytes(StandardCharsets.US_ASCII));
        assertEquals(Rfc6979P256.SAMPLE_R + String.format("%064X", N.subtract(highS)), hexUpper(sample));
        // "test": the RFC's s is already low and comes out unchanged.
        byte[] test = key.sign("test".getBytes(StandardCharsets.US_ASCII));
        assertEquals(Rfc6979P256.TEST_R + Rfc6979P256.TEST_S, hexUpper(test));
    }

    @ParameterizedTest
    @FieldSource("RFC8032")
    void ed25519SignsRfc8032Vectors(Ed25519Vector v) {
        SoftwareDeviceKey key = SoftwareDeviceKey.of(new Ed25519PrivateKeyParameters(hex(v.secretKey())));
        assertArrayEquals(TestVectors.ed25519SubjectPublicKeyInfo(v.publicKey()), key.publicKeyInfo());
        assertEquals(v.signature(), HexFormat.of().formatHex(key.sign(hex(v.message()))));
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void signaturesVerifyAndEcdsaIsAlwaysLowS(KeyAlgorithm algorithm) {
        SoftwareDeviceKey key = randomKey(algorithm);
        Random random = new Random(62);
        for (int i = 0; i < 1000; i++) {
            byte[] message = new byte[random.nextInt(200)];
            random.nextBytes(message);
            byte[] signature = key.sign(message);
            assertEquals(64, signature.length);
            assertTrue(key.verifyingKey().verify(message, signature), "signature " + i);
            assertTrue(Signatures.verify(algorithm, key.publicKey(), message, signature));
            if (algorithm == KeyAlgorithm.ECDSA_P256_SHA256) {
                assertTrue(Signatures.isLowS(signature), "signature " + i + " is high-s");
                // Undo the normalisation: the other half of the pair verifies mathematically but is refused.
                byte[] other = signature.clone();
                BigInteger s = new BigInteger(1, other, 32, 32);
                System.arraycopy(BigIntegers.asUnsignedByteArray(32, N.subtract(s)), 0, other, 32, 32);
                assertFalse(key.verifyingKey().verify(message, other));
            }
            if (algorithm == KeyAlgorithm.SM2_SM3) {
                // No low-S rule for SM2 (see Signatures): (r, n − s) is not the same signature but a wrong one.
                BigInteger n = ECNamedDomainParameters.lookup(GMObjectIdentifiers.sm2p256v1).getN();
                byte[] other = signature.clone();
                BigInteger s = new BigInteger(1, other, 32, 32);
                System.arraycopy(BigIntegers.asUnsignedByteArray(32, n.subtract(s)), 0, other, 32, 32);
                assertEquals(new io.wattproof.crypto.SignatureCheck.Mismatch(), key.verifyingKey().check(message, other));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void deviceIdIsTheHashOfThePublicKeyInfo(KeyAlgorithm algorithm) {
        SoftwareDeviceKey key = randomKey(algorithm);
        assertEquals(algorithm, key.algorithm());
        assertEquals(DeviceId.fromPublicKeyInfo(key.publicKeyInfo()), key.deviceId());
        assertArrayEquals(key.publicKeyInfo(), key.publicKey().getEncoded());
    }

    @Test
    void toStringShowsNoKeyMaterial() {
        SoftwareDeviceKey key = rfc6979Key();
        String text = key.toString();
        assertEquals("SoftwareDeviceKey[algorithm=ECDSA_P256_SHA256, deviceId=5a7a78cca4a0f420d9bc62bb669c3c2759e39f72]", text);
        assertFalse(text.toLowerCase(Locale.ROOT).contains(Rfc6979P256.PRIVATE_KEY.toLowerCase(Locale.ROOT).substring(0, 8)));
    }

    @Test
    void refusesOtherKeyTypes() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> SoftwareDeviceKey.of(new X25519PrivateKeyParameters(new SecureRandom())));
        assertEquals("private key: expected ec p-256, sm2 or ed25519, got X25519PrivateKeyParameters", e.getMessage());
        var curve = assertThrows(IllegalArgumentException.class, () -> SoftwareDeviceKey.of(new ECPrivateKeyParameters(
                BigInteger.TEN, ECNamedDomainParameters.lookup(SECObjectIdentifiers.secp256k1))));
        assertEquals("ec private key curve: expected named curve 1.2.840.10045.3.1.7 (p-256) or 1.2.156.10197.1.301 (sm2p256v1), got 1.3.132.0.10", curve.getMessage());
    }

    private static String hexUpper(byte[] bytes) {
        return HexFormat.of().withUpperCase().formatHex(bytes);
    }
}
