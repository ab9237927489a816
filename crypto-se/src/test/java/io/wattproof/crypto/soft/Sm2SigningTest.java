package io.wattproof.crypto.soft;

import static io.wattproof.crypto.TestVectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.PublicKeys;
import io.wattproof.crypto.SignatureCheck;
import io.wattproof.crypto.Signatures;
import io.wattproof.crypto.TestVectors.FixedRandom;
import io.wattproof.crypto.TestVectors.GbT32918Sm2Example;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Sm2SigningTest {
    private static final byte[] MESSAGE = "wattproof/v1/Reading\0meter-7\0import=1234567 Wh".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path tmp;

    @Test
    void signsTheGbT32918AnnexA2ExampleWithItsFixedK() {
        ECPrivateKeyParameters key = new ECPrivateKeyParameters(new BigInteger(GbT32918Sm2Example.D, 16), GbT32918Sm2Example.curve());
        byte[] signature = SoftwareDeviceKey.signSm2(key, GbT32918Sm2Example.USER_ID.getBytes(StandardCharsets.US_ASCII),
                GbT32918Sm2Example.MESSAGE.getBytes(StandardCharsets.US_ASCII), new FixedRandom(hex(GbT32918Sm2Example.K)));
        assertArrayEquals(hex(GbT32918Sm2Example.R + GbT32918Sm2Example.S), signature);
    }

    @Test
    void storeCreatesOpensAndSignsWithSm2Keys() throws Exception {
        Path secret = tmp.resolve("secret");
        SoftwareKeyStore.createSecret(secret);
        DeviceKey created = SoftwareKeyStore.create(tmp.resolve("keys"), KeyAlgorithm.fromShortName("SM2"), secret);
        assertEquals(KeyAlgorithm.SM2_SM3, created.algorithm());
        assertEquals(3, created.algorithm().wireNumber());
        DeviceKey opened = SoftwareKeyStore.open(tmp.resolve("keys"), secret);
        assertEquals(KeyAlgorithm.SM2_SM3, opened.algorithm());
        assertEquals(created.deviceId(), opened.deviceId());

        byte[] signature = opened.sign(MESSAGE);
        assertEquals(64, signature.length);
        assertEquals(new SignatureCheck.Valid(), created.verifyingKey().check(MESSAGE, signature));
        assertEquals(new SignatureCheck.Valid(), Signatures.check(KeyAlgorithm.SM2_SM3, created.publicKeyInfo(), MESSAGE, signature));
        assertEquals(new SignatureCheck.Valid(), created.verifyingKey().checkDer(MESSAGE, Signatures.rawToDer(KeyAlgorithm.SM2_SM3, signature)));
        // k is random (GB/T 32918.2 §6.1 A3): two signatures of one message differ and both verify.
        byte[] second = opened.sign(MESSAGE);
        assertNotEquals(new BigInteger(1, signature), new BigInteger(1, second));
        assertTrue(opened.verifyingKey().verify(MESSAGE, second));

        // The SPKI names sm2p256v1 as the namedCurve of id-ecPublicKey, and the JCA view exists.
        assertEquals(KeyAlgorithm.SM2_SM3, PublicKeys.fromSubjectPublicKeyInfo(created.publicKeyInfo()).algorithm());
        assertEquals("EC", created.publicKey().getAlgorithm());
        assertTrue(created.toString().contains("SM2_SM3"));
    }

    @Test
    void refusesAnSm2PrivateKeyOfNMinusOne() {
        // GB/T 32918.1-2016 §6.1: d ∈ [1, n − 2]; with d = n − 1 the signer's (1 + d)^-1 does not exist.
        ECNamedDomainParameters curve = ECNamedDomainParameters.lookup(GMObjectIdentifiers.sm2p256v1);
        var e = assertThrows(IllegalArgumentException.class,
                () -> SoftwareDeviceKey.of(new ECPrivateKeyParameters(curve.getN().subtract(BigInteger.ONE), curve)));
        assertEquals("ec private key: expected 1 ≤ d ≤ n − 2, got a value outside that range", e.getMessage());
        assertEquals(KeyAlgorithm.SM2_SM3,
                SoftwareDeviceKey.of(new ECPrivateKeyParameters(curve.getN().subtract(BigInteger.TWO), curve)).algorithm());
    }
}
