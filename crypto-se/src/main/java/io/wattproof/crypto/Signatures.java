package io.wattproof.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.Function;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.util.BigIntegers;

/**
 * Signature encodings and one-shot verification.
 *
 * <p>Our wire format carries ECDSA signatures raw, as r||s with each scalar a 32-byte big-endian
 * unsigned integer (the IEEE P1363 / PKCS#11 {@code CKM_ECDSA} layout): fixed length, no parser.
 * OpenSSL and JCA speak {@code Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }} in DER
 * (RFC 3279 §2.2.3), hence the converters.
 *
 * <p>Low S: if (r, s) verifies, so does (r, n − s) (SEC 1 §4.1.4, the verifier only uses the
 * x-coordinate of a point whose sign flips with s). To give every signed record exactly one valid
 * signature per nonce we sign with s ≤ n/2 and refuse the other half, as Bitcoin's BIP 62 does.
 *
 * <p>SM2 (GB/T 32918.2-2016) carries the same two 32-byte scalars, raw r||s on our wire and the
 * same {@code SEQUENCE { r INTEGER, s INTEGER }} in DER for OpenSSL (GB/T 35276-2017 §7.3), so
 * {@link #rawToDer} and {@link #derToRaw} serve it too; they take the algorithm so that an error
 * names the scheme whose input was wrong. SM2 has no low-S rule and needs none:
 * verification (§7.1 B5–B7) computes t = r + s and x1 of s·G + t·P, and replacing s by n − s
 * changes t and the point as a whole, not just the point's sign, so (r, n − s) is not a second
 * valid signature. Any s in [1, n − 1] with r + s ≠ n is accepted, and signatures are not
 * normalised.
 */
public final class Signatures {
    /** NIST P-256, named secp256r1 in SEC 2 §2.4.2 and prime256v1 in X9.62. */
    static final ECNamedDomainParameters P256 = ECNamedDomainParameters.lookup(SECObjectIdentifiers.secp256r1);
    /** n, the order of the P-256 base point; r and s lie in [1, n − 1] (SEC 1 §4.1.4 step 1). */
    static final BigInteger P256_ORDER = P256.getN();
    /** floor(n / 2); n is odd, so s ≤ this is exactly the lower half. */
    static final BigInteger P256_HALF_ORDER = P256_ORDER.shiftRight(1);
    static final int P256_SCALAR_LENGTH = 32;
    /** sm2p256v1, the curve of GB/T 32918.5-2017 (OID 1.2.156.10197.1.301). */
    static final ECNamedDomainParameters SM2P256V1 = ECNamedDomainParameters.lookup(GMObjectIdentifiers.sm2p256v1);
    /**
     * The user id that enters Z = SM3(ENTL || ID || a || b || xG || yG || xA || yA) (GB/T
     * 32918.2-2016 §5.5): the default of GB/T 35276-2017 §10 and Bouncy Castle's when none is
     * given. OpenSSL 3.0 does not default to it: its tools need {@code -pkeyopt
     * distid:1234567812345678} or {@code -sigopt distid:1234567812345678}, or they compute another
     * Z and report a failure. Signer and verifier must agree on it; we never use another one.
     */
    public static final String SM2_USER_ID = "1234567812345678";
    static final byte[] SM2_USER_ID_BYTES = SM2_USER_ID.getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** {@link #SM2_USER_ID} as the bytes that enter Z (ASCII, 16 bytes, ENTL = 128 bits). */
    public static byte[] sm2UserId() {
        return SM2_USER_ID_BYTES.clone();
    }

    private Signatures() {}

    /** True when {@code raw} is a 64-byte r||s whose s is at most n/2. Ranges are not checked. */
    public static boolean isLowS(byte[] raw) {
        return raw.length == 2 * P256_SCALAR_LENGTH && s(raw).compareTo(P256_HALF_ORDER) <= 0;
    }

    /**
     * The raw P-256 signature (r, s) as r||s, with s replaced by n − s when s > n/2. For signers
     * that return (r, s) as integers (Bouncy Castle's {@code ECDSASigner}).
     *
     * @throws IllegalArgumentException if r or s is outside [1, n − 1]
     */
    public static byte[] ecdsaRawLowS(BigInteger r, BigInteger s) {
        requireScalar("ecdsa r", r);
        requireScalar("ecdsa s", s);
        BigInteger low = s.compareTo(P256_HALF_ORDER) > 0 ? P256_ORDER.subtract(s) : s;
        return concat(unsigned32(r), unsigned32(low));
    }

    /**
     * {@code raw} with s replaced by n − s when it is high; for signers that return r||s (PKCS#11,
     * secure elements) and do not normalise.
     *
     * @throws IllegalArgumentException if {@code raw} is not 64 bytes or r or s is outside [1, n − 1]
     */
    public static byte[] normalizeLowS(byte[] raw) {
        requireRawLength("ecdsa", raw);
        return ecdsaRawLowS(r(raw), s(raw));
    }

    /**
     * Raw r||s to DER {@code SEQUENCE { r INTEGER, s INTEGER }}, the form {@code openssl dgst
     * -verify} reads for ECDSA (RFC 3279 §2.2.3) and SM2 (GB/T 35276-2017 §7.3). Each INTEGER is
     * minimal two's complement, so a scalar with its top bit set gains a 0x00 byte and one with
     * leading zero bytes loses them (X.690 §8.3.2). {@code algorithm} names the scheme in errors.
     *
     * @throws IllegalArgumentException if {@code raw} is not 64 bytes, or for Ed25519, which has
     *     no DER form
     */
    public static byte[] rawToDer(KeyAlgorithm algorithm, byte[] raw) {
        String scheme = derScheme(algorithm);
        requireRawLength(scheme, raw);
        try {
            return new DERSequence(new ASN1Integer[] {new ASN1Integer(r(raw)), new ASN1Integer(s(raw))})
                    .getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("der encoding of two integers cannot fail", e);
        }
    }

    /**
     * DER {@code SEQUENCE { r INTEGER, s INTEGER }} to raw r||s. Strict: BER forms, trailing bytes,
     * negative or longer-than-256-bit integers are refused, so one signature has one DER encoding.
     * Ranges against the curve order are the verifier's business ({@link VerifyingKey#check}).
     *
     * @throws IllegalArgumentException naming {@code algorithm} and what was wrong; for Ed25519,
     *     which has no DER form
     */
    public static byte[] derToRaw(KeyAlgorithm algorithm, byte[] der) {
        String scheme = derScheme(algorithm);
        ASN1Primitive parsed;
        try {
            parsed = ASN1Primitive.fromByteArray(der);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(scheme + " signature der: expected SEQUENCE { INTEGER, INTEGER }, got "
                    + der.length + " bytes that do not parse (" + e.getMessage() + ")", e);
        }
        if (!(parsed instanceof ASN1Sequence seq) || seq.size() != 2
                || !(seq.getObjectAt(0) instanceof ASN1Integer r) || !(seq.getObjectAt(1) instanceof ASN1Integer s)) {
            throw new IllegalArgumentException(scheme + " signature der: expected SEQUENCE { INTEGER, INTEGER }, got " + parsed);
        }
        if (!Arrays.equals(encodeDer(parsed), der)) {
            throw new IllegalArgumentException(scheme + " signature der: expected distinguished encoding, got 0x"
                    + HexFormat.of().formatHex(der));
        }
        requireUnsigned256(scheme + " r", r.getValue());
        requireUnsigned256(scheme + " s", s.getValue());
        return concat(unsigned32(r.getValue()), unsigned32(s.getValue()));
    }

    /** The scheme's name in error messages, for the two schemes whose signatures have a DER form. */
    private static String derScheme(KeyAlgorithm algorithm) {
        return switch (algorithm) {
            case ECDSA_P256_SHA256 -> "ecdsa";
            case SM2_SM3 -> "sm2";
            case ED25519 -> throw new IllegalArgumentException("signature der: expected " + KeyAlgorithm.ECDSA_P256_SHA256
                    + " or " + KeyAlgorithm.SM2_SM3 + ", got " + algorithm + " (rfc 8032 §5.1.6 signatures are raw R||S only)");
        };
    }

    /**
     * Checks {@code rawSignature} over {@code message} against a DER SubjectPublicKeyInfo that came
     * from outside. Never throws on malformed key or signature bytes. Parse the key once with
     * {@link PublicKeys#fromSubjectPublicKeyInfo} when verifying many signatures.
     */
    public static SignatureCheck check(KeyAlgorithm algorithm, byte[] subjectPublicKeyInfo, byte[] message, byte[] rawSignature) {
        return withKey(algorithm, subjectPublicKeyInfo, key -> key.check(message, rawSignature));
    }

    /**
     * {@link #check} for a DER signature (ECDSA or SM2, as OpenSSL writes it); see
     * {@link VerifyingKey#checkDer} for what is malformed.
     */
    public static SignatureCheck checkDer(KeyAlgorithm algorithm, byte[] subjectPublicKeyInfo, byte[] message, byte[] derSignature) {
        return withKey(algorithm, subjectPublicKeyInfo, key -> key.checkDer(message, derSignature));
    }

    /** Parses a key that came from outside and runs {@code check} with it, or says why it cannot. */
    private static SignatureCheck withKey(KeyAlgorithm algorithm, byte[] subjectPublicKeyInfo,
            Function<VerifyingKey, SignatureCheck> check) {
        VerifyingKey key;
        try {
            key = PublicKeys.fromSubjectPublicKeyInfo(subjectPublicKeyInfo);
        } catch (IllegalArgumentException e) {
            return new SignatureCheck.Malformed(e.getMessage());
        }
        if (key.algorithm() != algorithm) {
            return new SignatureCheck.Malformed("public key algorithm: expected " + algorithm + ", got " + key.algorithm());
        }
        return check.apply(key);
    }

    public static boolean verify(KeyAlgorithm algorithm, byte[] subjectPublicKeyInfo, byte[] message, byte[] rawSignature) {
        return check(algorithm, subjectPublicKeyInfo, message, rawSignature).isValid();
    }

    public static boolean verify(KeyAlgorithm algorithm, PublicKey publicKey, byte[] message, byte[] rawSignature) {
        byte[] encoded = publicKey.getEncoded();
        return encoded != null && verify(algorithm, encoded, message, rawSignature);
    }

    static BigInteger r(byte[] raw) {
        return new BigInteger(1, raw, 0, P256_SCALAR_LENGTH);
    }

    static BigInteger s(byte[] raw) {
        return new BigInteger(1, raw, P256_SCALAR_LENGTH, P256_SCALAR_LENGTH);
    }

    static boolean isScalar(BigInteger v) {
        return v.signum() > 0 && v.compareTo(P256_ORDER) < 0;
    }

    static String hex32(BigInteger v) {
        return "0x" + HexFormat.of().formatHex(unsigned32(v));
    }

    private static void requireRawLength(String scheme, byte[] raw) {
        if (raw.length != 2 * P256_SCALAR_LENGTH) {
            throw new IllegalArgumentException(scheme + " raw signature length: expected 64 bytes, got " + raw.length);
        }
    }

    private static void requireScalar(String field, BigInteger v) {
        if (!isScalar(v)) {
            throw new IllegalArgumentException(field + ": expected 1 ≤ value < n, got 0x" + v.toString(16));
        }
    }

    private static void requireUnsigned256(String field, BigInteger v) {
        if (v.signum() < 0 || v.bitLength() > 8 * P256_SCALAR_LENGTH) {
            throw new IllegalArgumentException(field + ": expected 0 ≤ value < 2^256, got " + v.bitLength() + "-bit value of sign " + v.signum());
        }
    }

    private static byte[] unsigned32(BigInteger v) {
        return BigIntegers.asUnsignedByteArray(P256_SCALAR_LENGTH, v);
    }

    private static byte[] encodeDer(ASN1Primitive p) {
        try {
            return p.getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("re-encoding a parsed value cannot fail", e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
