package io.wattproof.crypto.soft;

import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.PublicKeys;
import io.wattproof.crypto.Signatures;
import io.wattproof.crypto.VerifyingKey;
import java.io.IOException;
import java.math.BigInteger;
import java.security.PublicKey;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
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
 */
final class SoftwareDeviceKey implements DeviceKey {
    private final KeyAlgorithm algorithm;
    private final AsymmetricKeyParameter privateKey;
    private final VerifyingKey verifyingKey;

    private SoftwareDeviceKey(KeyAlgorithm algorithm, AsymmetricKeyParameter privateKey, VerifyingKey verifyingKey) {
        this.algorithm = algorithm;
        this.privateKey = privateKey;
        this.verifyingKey = verifyingKey;
    }

    /**
     * Wraps a P-256 (named curve, SEC 2 secp256r1) or Ed25519 private key and derives its public
     * key.
     *
     * @throws IllegalArgumentException for any other key, naming what was found
     */
    static SoftwareDeviceKey of(AsymmetricKeyParameter privateKey) {
        KeyAlgorithm algorithm;
        AsymmetricKeyParameter publicKey;
        if (privateKey instanceof ECPrivateKeyParameters ec) {
            if (!(ec.getParameters() instanceof ECNamedDomainParameters named)
                    || !named.getName().equals(SECObjectIdentifiers.secp256r1)) {
                throw new IllegalArgumentException("ec private key curve: expected named curve "
                        + SECObjectIdentifiers.secp256r1 + " (p-256), got " + describeCurve(ec));
            }
            BigInteger d = ec.getD();
            if (d.signum() <= 0 || d.compareTo(named.getN()) >= 0) {
                throw new IllegalArgumentException("ec private key: expected 1 ≤ d < n, got a value outside that range");
            }
            algorithm = KeyAlgorithm.ECDSA_P256_SHA256;
            publicKey = new ECPublicKeyParameters(new FixedPointCombMultiplier().multiply(named.getG(), d), named);
        } else if (privateKey instanceof Ed25519PrivateKeyParameters ed) {
            algorithm = KeyAlgorithm.ED25519;
            publicKey = ed.generatePublicKey();
        } else {
            throw new IllegalArgumentException("private key: expected ec p-256 or ed25519, got " + privateKey.getClass().getSimpleName());
        }
        try {
            byte[] spki = SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(publicKey).getEncoded(ASN1Encoding.DER);
            return new SoftwareDeviceKey(algorithm, privateKey, PublicKeys.fromSubjectPublicKeyInfo(spki));
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
    public KeyAlgorithm algorithm() {
        return algorithm;
    }

    @Override
    public PublicKey publicKey() {
        return verifyingKey.publicKey();
    }

    @Override
    public byte[] publicKeyInfo() {
        return verifyingKey.subjectPublicKeyInfo();
    }

    @Override
    public DeviceId deviceId() {
        return verifyingKey.deviceId();
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
        };
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
