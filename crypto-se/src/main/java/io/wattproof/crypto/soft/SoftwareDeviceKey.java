package io.wattproof.crypto.soft;

import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.PublicKeys;
import io.wattproof.crypto.Signatures;
import io.wattproof.crypto.VerifyingKey;
import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithID;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * A device key whose private half is a Bouncy Castle key object in memory, parsed once when the
 * store is opened; signing then costs one scalar multiplication and no parsing. Holds no mutable
 * state, so it is also safe to share between threads.
 *
 * <p>ECDSA nonces are deterministic (RFC 6979 §3.2, HMAC-SHA-256): k is derived from the private
 * key and the message digest instead of the random generator. A board that signs soon after boot
 * may have a poorly seeded generator, and a single repeated or biased k gives away the private
 * key; with RFC 6979 that cannot happen, and signatures are reproducible, so the RFC's own vectors
 * test this code. Bouncy Castle's lightweight {@link ECDSASigner} returns (r, s) as integers, so
 * low-S normalisation needs no DER round trip.
 *
 * <p>SM2 (GB/T 32918.2-2016 §6.1 A3) draws k from the JDK's default {@link SecureRandom}: Bouncy
 * Castle 1.87's {@link SM2Signer} has no constructor for another k generator, and no deterministic
 * k is standardised for SM2. A verifier cannot tell how k was chosen, so a deterministic k could
 * be added later without a wire change; until then the boot-time seeding risk described above
 * applies to SM2 keys, and SM2 signatures of one message differ from call to call.
 */
final class SoftwareDeviceKey implements DeviceKey {
    private final KeyAlgorithm algorithm;
    private final AsymmetricKeyParameter privateKey;
    private final VerifyingKey verifyingKey;
    private final SecureRandom random;

    private SoftwareDeviceKey(KeyAlgorithm algorithm, AsymmetricKeyParameter privateKey, VerifyingKey verifyingKey, SecureRandom random) {
        this.algorithm = algorithm;
        this.privateKey = privateKey;
        this.verifyingKey = verifyingKey;
        this.random = random;
    }

    /**
     * Wraps a P-256 (named curve, SEC 2 secp256r1), SM2 (named curve sm2p256v1) or Ed25519 private
     * key and derives its public key.
     *
     * @throws IllegalArgumentException for any other key, naming what was found
     */
    static SoftwareDeviceKey of(AsymmetricKeyParameter privateKey) {
        KeyAlgorithm algorithm;
        AsymmetricKeyParameter publicKey;
        if (privateKey instanceof ECPrivateKeyParameters ec) {
            ECNamedDomainParameters named = ec.getParameters() instanceof ECNamedDomainParameters n ? n : null;
            if (named != null && named.getName().equals(SECObjectIdentifiers.secp256r1)) {
                algorithm = KeyAlgorithm.ECDSA_P256_SHA256;
            } else if (named != null && named.getName().equals(GMObjectIdentifiers.sm2p256v1)) {
                algorithm = KeyAlgorithm.SM2_SM3;
            } else {
                throw new IllegalArgumentException("ec private key curve: expected named curve " + SECObjectIdentifiers.secp256r1
                        + " (p-256) or " + GMObjectIdentifiers.sm2p256v1 + " (sm2p256v1), got " + describeCurve(ec));
            }
            BigInteger d = ec.getD();
            // GB/T 32918.1-2016 §6.1 asks d ≤ n − 2 for SM2 (the signer divides by 1 + d), one
            // value stricter than ECDSA's d ≤ n − 1.
            BigInteger maxD = algorithm == KeyAlgorithm.SM2_SM3 ? named.getN().subtract(BigInteger.TWO) : named.getN().subtract(BigInteger.ONE);
            if (d.signum() <= 0 || d.compareTo(maxD) > 0) {
                throw new IllegalArgumentException("ec private key: expected 1 ≤ d ≤ " + (algorithm == KeyAlgorithm.SM2_SM3 ? "n − 2" : "n − 1")
                        + ", got a value outside that range");
            }
            publicKey = new ECPublicKeyParameters(new FixedPointCombMultiplier().multiply(named.getG(), d), named);
        } else if (privateKey instanceof Ed25519PrivateKeyParameters ed) {
            algorithm = KeyAlgorithm.ED25519;
            publicKey = ed.generatePublicKey();
        } else {
            throw new IllegalArgumentException("private key: expected ec p-256, sm2 or ed25519, got " + privateKey.getClass().getSimpleName());
        }
        try {
            byte[] spki = SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(publicKey).getEncoded(ASN1Encoding.DER);
            return new SoftwareDeviceKey(algorithm, privateKey, PublicKeys.fromSubjectPublicKeyInfo(spki), new SecureRandom());
        } catch (IOException e) {
            throw new IllegalStateException("encoding a public key bouncy castle just derived cannot fail", e);
        }
    }

    private static String describeCurve(ECPrivateKeyParameters ec) {
        return ec.getParameters() instanceof ECNamedDomainParameters named
                ? named.getName().toString()
                : "explicit parameters of " + ec.getParameters().getN().bitLength() + "-bit order";
    }

    /**
     * PKCS#8 PrivateKeyInfo of the private key, for the store to encrypt. Ed25519 is written as
     * version 1, without the optional public key of RFC 5958 version 2 (which Bouncy Castle would
     * add): OpenSSL before 3.5 cannot read version 2 Ed25519 keys (RFC 8410 §7 warns of such
     * importers). The public key is derived on opening anyway.
     */
    PrivateKeyInfo privateKeyInfo() {
        try {
            if (privateKey instanceof Ed25519PrivateKeyParameters ed) {
                // RFC 8410 §7: privateKey is an OCTET STRING wrapping the 32-byte seed (CurvePrivateKey).
                return new PrivateKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519),
                        new DEROctetString(ed.getEncoded()));
            }
            return PrivateKeyInfoFactory.createPrivateKeyInfo(privateKey);
        } catch (IOException e) {
            throw new IllegalStateException("encoding a private key bouncy castle holds cannot fail", e);
        }
    }

    @Override
    public VerifyingKey verifyingKey() {
        return verifyingKey;
    }

    @Override
    public byte[] sign(byte[] message) {
        return switch (algorithm) {
            case ECDSA_P256_SHA256 -> signEcdsa(message);
            case ED25519 -> signEd25519(message);
            case SM2_SM3 -> signSm2((ECPrivateKeyParameters) privateKey, Signatures.sm2UserId(), message, random);
        };
    }

    /**
     * GB/T 32918.2-2016 §6.1 with SM3: Z over {@code userId} and the key's curve and public point,
     * e = SM3(Z || M), k from {@code random}; returns r||s (32 + 32 bytes, PlainDSAEncoding).
     * Package-private with the curve taken from the key so the standard's example (test curve,
     * fixed k) checks this exact wiring.
     */
    static byte[] signSm2(ECPrivateKeyParameters key, byte[] userId, byte[] message, SecureRandom random) {
        SM2Signer signer = new SM2Signer(PlainDSAEncoding.INSTANCE, new SM3Digest());
        signer.init(true, new ParametersWithID(new ParametersWithRandom(key, random), userId));
        signer.update(message, 0, message.length);
        try {
            return signer.generateSignature();
        } catch (CryptoException e) {
            throw new IllegalStateException("sm2 signing with a validated key failed", e);
        }
    }

    private byte[] signEcdsa(byte[] message) {
        SHA256Digest sha256 = new SHA256Digest();
        byte[] digest = new byte[sha256.getDigestSize()];
        sha256.update(message, 0, message.length);
        sha256.doFinal(digest, 0);
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, privateKey);
        BigInteger[] rs = signer.generateSignature(digest);
        return Signatures.ecdsaRawLowS(rs[0], rs[1]);
    }

    private byte[] signEd25519(byte[] message) {
        // RFC 8032 §5.1.6, pure Ed25519: no context, no pre-hash. Deterministic by construction.
        byte[] signature = new byte[Ed25519PrivateKeyParameters.SIGNATURE_SIZE];
        ((Ed25519PrivateKeyParameters) privateKey)
                .sign(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature, 0);
        return signature;
    }

    @Override
    public String toString() {
        return "SoftwareDeviceKey[algorithm=" + algorithm + ", deviceId=" + deviceId() + "]";
    }
}
