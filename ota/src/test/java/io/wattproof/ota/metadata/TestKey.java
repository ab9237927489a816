package io.wattproof.ota.metadata;

import com.google.protobuf.ByteString;
import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.Signatures;
import io.wattproof.ota.v1.ReleaseKey;
import io.wattproof.ota.v1.ReleaseKeyAlgorithm;
import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;

/** A release key pair made with Bouncy Castle for tests: Ed25519 or ECDSA P-256 (RFC 6979 k, low S). */
final class TestKey {
    private static final SecureRandom RANDOM = new SecureRandom();

    final KeyAlgorithm algorithm;
    final AsymmetricCipherKeyPair pair;
    final byte[] spki;
    final DeviceId keyId;

    private TestKey(KeyAlgorithm algorithm, AsymmetricCipherKeyPair pair) {
        this.algorithm = algorithm;
        this.pair = pair;
        try {
            this.spki = SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(pair.getPublic()).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        this.keyId = DeviceId.fromPublicKeyInfo(spki);
    }

    static TestKey ed25519() {
        Ed25519KeyPairGenerator generator = new Ed25519KeyPairGenerator();
        generator.init(new Ed25519KeyGenerationParameters(RANDOM));
        return new TestKey(KeyAlgorithm.ED25519, generator.generateKeyPair());
    }

    static TestKey p256() {
        ECKeyPairGenerator generator = new ECKeyPairGenerator();
        generator.init(new ECKeyGenerationParameters(ECNamedDomainParameters.lookup(SECObjectIdentifiers.secp256r1), RANDOM));
        return new TestKey(KeyAlgorithm.ECDSA_P256_SHA256, generator.generateKeyPair());
    }

    byte[] sign(byte[] message) {
        if (algorithm == KeyAlgorithm.ED25519) {
            Ed25519Signer signer = new Ed25519Signer();
            signer.init(true, (Ed25519PrivateKeyParameters) pair.getPrivate());
            signer.update(message, 0, message.length);
            return signer.generateSignature();
        }
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, (ECPrivateKeyParameters) pair.getPrivate());
        SHA256Digest digest = new SHA256Digest();
        digest.update(message, 0, message.length);
        byte[] hash = new byte[32];
        digest.doFinal(hash, 0);
        BigInteger[] rs = signer.generateSignature(hash);
        return Signatures.ecdsaRawLowS(rs[0], rs[1]);
    }

    ReleaseKey releaseKey() {
        return ReleaseKey.newBuilder()
                .setKeyId(ByteString.copyFrom(keyId.bytes()))
                .setAlgorithmValue(algorithm.wireNumber())
                .setSubjectPublicKeyInfo(ByteString.copyFrom(spki))
                .build();
    }

    static {
        // The wire enum and crypto-se's numbers must agree; a test key of each kind relies on it.
        if (ReleaseKeyAlgorithm.RELEASE_KEY_ALGORITHM_ED25519.getNumber() != KeyAlgorithm.ED25519.wireNumber()
                || ReleaseKeyAlgorithm.RELEASE_KEY_ALGORITHM_ECDSA_P256_SHA256.getNumber() != KeyAlgorithm.ECDSA_P256_SHA256.wireNumber()
                || ReleaseKeyAlgorithm.RELEASE_KEY_ALGORITHM_SM2_SM3.getNumber() != KeyAlgorithm.SM2_SM3.wireNumber()) {
            throw new AssertionError("ReleaseKeyAlgorithm numbers differ from io.wattproof.crypto.KeyAlgorithm");
        }
    }
}
