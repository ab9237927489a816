package io.wattproof.crypto;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Provider;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.function.Supplier;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Parsing of public keys that arrive from outside (first transaction of a device, auditor files)
 * and their PEM form. Only the device algorithms are accepted, in one canonical encoding each,
 * because the device id is a hash over these exact bytes: two encodings of one key would give one
 * device two identities.
 */
public final class PublicKeys {
    private static final String PEM_BEGIN = "-----BEGIN PUBLIC KEY-----";
    private static final String PEM_END = "-----END PUBLIC KEY-----";
    private static final int EC_UNCOMPRESSED_POINT_LENGTH = 65;
    private static final int ED25519_KEY_LENGTH = 32;

    private PublicKeys() {}

    /**
     * Parses and validates a DER SubjectPublicKeyInfo (RFC 5280 §4.1) and detects its algorithm:
     * id-ecPublicKey with namedCurve prime256v1 (RFC 5480 §2.1.1) and an uncompressed point on the
     * curve (SEC 1 §2.3.4), the same with namedCurve sm2p256v1 (GB/T 32918.5-2017; how OpenSSL 3
     * writes SM2 keys) for SM2, or id-Ed25519 with absent parameters (RFC 8410 §3).
     *
     * @throws IllegalArgumentException naming the field that is wrong, expected and actual values
     */
    public static VerifyingKey fromSubjectPublicKeyInfo(byte[] der) {
        SubjectPublicKeyInfo info = parseDer(der);
        AlgorithmIdentifier id = info.getAlgorithm();
        ASN1ObjectIdentifier oid = id.getAlgorithm();
        byte[] key = keyBytes(info);
        if (oid.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            ECNamedDomainParameters curve;
            KeyAlgorithm algorithm;
            if (Signatures.P256.getName().equals(id.getParameters())) {
                curve = Signatures.P256;
                algorithm = KeyAlgorithm.ECDSA_P256_SHA256;
            } else if (Signatures.SM2P256V1.getName().equals(id.getParameters())) {
                curve = Signatures.SM2P256V1;
                algorithm = KeyAlgorithm.SM2_SM3;
            } else {
                throw new IllegalArgumentException("ec public key curve: expected namedCurve " + Signatures.P256.getName()
                        + " (p-256) or " + Signatures.SM2P256V1.getName() + " (sm2p256v1), got " + id.getParameters());
            }
            // Uncompressed only (0x04 || X || Y): a compressed point would be a second SPKI, hence
            // a second device id, for the same key.
            if (key.length != EC_UNCOMPRESSED_POINT_LENGTH || key[0] != 0x04) {
                throw new IllegalArgumentException("ec public key point: expected 65-byte uncompressed encoding starting 0x04, got "
                        + key.length + " bytes starting 0x" + (key.length == 0 ? "" : HexFormat.of().toHexDigits(key[0])));
            }
            // The JDK has no sm2p256v1, so the JCA view of an SM2 key comes from Bouncy Castle.
            Provider jca = algorithm == KeyAlgorithm.SM2_SM3 ? Bc.PROVIDER : null;
            return build(algorithm, der, "EC", jca, () -> new ECPublicKeyParameters(curve.getCurve().decodePoint(key), curve));
        }
        if (oid.equals(EdECObjectIdentifiers.id_Ed25519)) {
            if (id.getParameters() != null) {
                throw new IllegalArgumentException("ed25519 algorithm parameters: expected absent (rfc 8410 §3), got " + id.getParameters());
            }
            if (key.length != ED25519_KEY_LENGTH) {
                throw new IllegalArgumentException("ed25519 public key: expected 32 bytes, got " + key.length);
            }
            // Bouncy Castle 1.87 refuses here an encoding with y ≥ p or with x = 0 and the sign bit
            // set (RFC 8032 §5.1.3), a point off the curve, and small-order points (the identity,
            // order 2 and order 8 are in StrictVerificationTest), so such keys never verify anything.
            return build(KeyAlgorithm.ED25519, der, "Ed25519", null, () -> new Ed25519PublicKeyParameters(key));
        }
        throw new IllegalArgumentException("public key algorithm: expected " + X9ObjectIdentifiers.id_ecPublicKey
                + " (ec p-256 or sm2) or " + EdECObjectIdentifiers.id_Ed25519 + " (ed25519), got " + oid);
    }

    /** {@link #fromSubjectPublicKeyInfo} of the single block of a {@code PUBLIC KEY} PEM. */
    public static VerifyingKey fromPem(String pem) {
        return fromSubjectPublicKeyInfo(subjectPublicKeyInfoFromPem(pem));
    }

    /**
     * DER SubjectPublicKeyInfo as PEM (RFC 7468 §13): what {@code openssl ... -pubin -inkey} and
     * {@code openssl dgst -verify} read.
     */
    public static String toPem(byte[] subjectPublicKeyInfo) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(subjectPublicKeyInfo);
        return PEM_BEGIN + "\n" + body + "\n" + PEM_END + "\n";
    }

    /**
     * The DER bytes inside a PEM text that is exactly one {@code PUBLIC KEY} block (surrounding
     * whitespace allowed). The base64 body is decoded strictly: a stray character is an error, not
     * skipped.
     *
     * @throws IllegalArgumentException if the text is not such a block
     */
    public static byte[] subjectPublicKeyInfoFromPem(String pem) {
        String text = pem.strip();
        if (!text.startsWith(PEM_BEGIN) || !text.endsWith(PEM_END) || text.length() < PEM_BEGIN.length() + PEM_END.length()) {
            String head = text.lines().findFirst().orElse("");
            throw new IllegalArgumentException("public key pem: expected one block from '" + PEM_BEGIN + "' to '" + PEM_END
                    + "', got text starting '" + head.substring(0, Math.min(head.length(), 40)) + "'");
        }
        String body = text.substring(PEM_BEGIN.length(), text.length() - PEM_END.length()).replaceAll("\\s", "");
        try {
            return Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("public key pem body: expected base64, got " + e.getMessage(), e);
        }
    }

    /** Held unregistered: parsing a key must not change the JVM's global provider list. */
    private static final class Bc {
        static final Provider PROVIDER = new BouncyCastleProvider();
    }

    /** {@code provider} null means the JDK's default lookup (SunEC). */
    private static VerifyingKey build(KeyAlgorithm algorithm, byte[] der, String jcaName, Provider provider,
            Supplier<AsymmetricKeyParameter> parser) {
        AsymmetricKeyParameter parameters;
        try {
            parameters = parser.get();
        } catch (IllegalArgumentException e) {
            // Bouncy Castle refuses points off the curve, at infinity, or not in the prime-order subgroup.
            throw new IllegalArgumentException(algorithm + " public key: expected a valid point, got one Bouncy Castle refuses ("
                    + e.getMessage() + ")", e);
        }
        try {
            KeyFactory factory = provider == null ? KeyFactory.getInstance(jcaName) : KeyFactory.getInstance(jcaName, provider);
            PublicKey jca = factory.generatePublic(new X509EncodedKeySpec(der));
            return new VerifyingKey(algorithm, der, parameters, jca);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(algorithm + " public key: the jca key factory refuses a key bouncy castle accepted (" + e.getMessage() + ")", e);
        }
    }

    private static SubjectPublicKeyInfo parseDer(byte[] der) {
        try {
            SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(ASN1Primitive.fromByteArray(der));
            if (info == null || !Arrays.equals(info.getEncoded(ASN1Encoding.DER), der)) {
                throw new IllegalArgumentException("not in distinguished encoding");
            }
            return info;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("public key info: expected a der SubjectPublicKeyInfo, got "
                    + der.length + " bytes that do not parse (" + e.getMessage() + ")", e);
        }
    }

    private static byte[] keyBytes(SubjectPublicKeyInfo info) {
        try {
            return info.getPublicKeyData().getOctets();
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("public key bit string: expected 0 unused bits, got " + info.getPublicKeyData().getPadBits(), e);
        }
    }
}
