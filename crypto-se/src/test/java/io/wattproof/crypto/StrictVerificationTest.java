package io.wattproof.crypto;

import static io.wattproof.crypto.TestVectors.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.crypto.TestVectors.Ed25519Vector;
import io.wattproof.crypto.TestVectors.FixedRandom;
import io.wattproof.crypto.TestVectors.GbT32918Sm2Example;
import io.wattproof.crypto.TestVectors.Rfc6979P256;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithID;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.util.BigIntegers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The verifier facing untrusted input (the ledger's): every way a signature or key can be wrong,
 * each a named input with the exact verdict. A verdict is a value; none of these may throw.
 *
 * <p>Policies checked here: ECDSA P-256 raw r||s with 1 ≤ r < n and 1 ≤ s ≤ n/2 (low-S), DER
 * only in its distinguished form; public keys as uncompressed points on the named curve. Ed25519
 * per RFC 8032 §5.1.7 with S < L and R's y < p checked by us; Bouncy Castle 1.87 refuses public
 * keys that are non-canonical (y ≥ p, or x = 0 with the sign bit set), off the curve, or of small
 * order (the identity, the point of order 2, points of order 8). SM2 per GB/T 32918.2-2016 §7.1:
 * 1 ≤ r, s ≤ n − 1 and r + s ≠ n, no low-S rule.
 */
class StrictVerificationTest {
    private static final String VALID = "valid";
    private static final String MISMATCH = "mismatch";

    // --- P-256: RFC 6979 A.2.5 key and its "sample" signature in low-S form ---------------------
    private static final BigInteger N = Signatures.P256_ORDER;
    private static final byte[] P256_SPKI = Rfc6979P256.subjectPublicKeyInfo();
    private static final byte[] SAMPLE = "sample".getBytes(StandardCharsets.US_ASCII);
    private static final BigInteger SAMPLE_R = new BigInteger(Rfc6979P256.SAMPLE_R, 16);
    private static final BigInteger SAMPLE_S_LOW = N.subtract(new BigInteger(Rfc6979P256.SAMPLE_S, 16));
    private static final byte[] P256_SIG = raw(SAMPLE_R, SAMPLE_S_LOW);
    private static final String R_HEX = Rfc6979P256.SAMPLE_R.toLowerCase();
    /** The low s starts 0x08: 32 content bytes in DER. r starts 0xef: 33, with a 00 sign byte. */
    private static final String S_HEX = java.util.HexFormat.of().formatHex(BigIntegers.asUnsignedByteArray(32, SAMPLE_S_LOW));

    // --- Ed25519: RFC 8032 §7.1 TEST 2 (message 0x72) -------------------------------------------
    private static final Ed25519Vector ED = TestVectors.RFC8032.get(1);
    private static final byte[] ED_SPKI = TestVectors.ed25519SubjectPublicKeyInfo(ED.publicKey());
    private static final byte[] ED_MESSAGE = hex(ED.message());
    private static final byte[] ED_SIG = hex(ED.signature());
    private static final BigInteger L = BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));
    private static final BigInteger P25519 = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));

    // --- SM2: a fixed sm2p256v1 key; signatures made by Bouncy Castle's SM2Signer directly -------
    private static final BigInteger SM2_N = Signatures.SM2P256V1.getN();
    private static final ECPrivateKeyParameters SM2_KEY = new ECPrivateKeyParameters(
            new BigInteger("3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8", 16), Signatures.SM2P256V1);
    private static final ECPublicKeyParameters SM2_PUBLIC =
            new ECPublicKeyParameters(Signatures.SM2P256V1.getG().multiply(SM2_KEY.getD()).normalize(), Signatures.SM2P256V1);
    private static final byte[] SM2_SPKI = spki(SM2_PUBLIC);
    private static final byte[] SM2_MESSAGE = "wattproof/v1/Reading\0meter-7".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SM2_SIG = sm2Sign(Signatures.sm2UserId(), SM2_MESSAGE);

    /** r and s of {@link #SM2_SIG} as DER INTEGERs (tag, length, minimal content), in hex. */
    private static final String SM2_R_DER = derInteger(new BigInteger(1, SM2_SIG, 0, 32));
    private static final String SM2_S_DER = derInteger(new BigInteger(1, SM2_SIG, 32, 32));

    private static String derInteger(BigInteger v) {
        byte[] content = v.toByteArray();
        return "02" + String.format("%02x", content.length) + java.util.HexFormat.of().formatHex(content);
    }

    /** A short-form DER length (X.690 §8.1.3.4) for content given in hex, under 128 bytes. */
    private static String derLength(String contentHex) {
        return String.format("%02x", contentHex.length() / 2);
    }

    private static byte[] raw(BigInteger r, BigInteger s) {
        byte[] out = new byte[64];
        BigIntegers.asUnsignedByteArray(r, out, 0, 32);
        BigIntegers.asUnsignedByteArray(s, out, 32, 32);
        return out;
    }

    private static byte[] spki(ECPublicKeyParameters key) {
        try {
            return SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(key).getEncoded();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** An id-ecPublicKey SPKI with any curve OID and any point bytes, for keys no library would make. */
    private static byte[] ecSpki(ASN1ObjectIdentifier curve, byte[] point) {
        try {
            return new SubjectPublicKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve), point).getEncoded();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] sm2Sign(byte[] id, byte[] message) {
        SM2Signer signer = new SM2Signer(PlainDSAEncoding.INSTANCE, new SM3Digest());
        signer.init(true, new ParametersWithID(new ParametersWithRandom(SM2_KEY, new FixedRandom(hex(GbT32918Sm2Example.K))), id));
        signer.update(message, 0, message.length);
        try {
            return signer.generateSignature();
        } catch (CryptoException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] point(ECPublicKeyParameters key) {
        return key.getQ().getEncoded(false);
    }

    private static byte[] changed(byte[] bytes) {
        byte[] out = bytes.clone();
        out[0] ^= 1;
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        byte[] out = new byte[0];
        for (byte[] p : parts) {
            int at = out.length;
            out = Arrays.copyOf(out, at + p.length);
            System.arraycopy(p, 0, out, at, p.length);
        }
        return out;
    }

    private static byte[] littleEndian32(BigInteger v) {
        byte[] big = BigIntegers.asUnsignedByteArray(32, v);
        byte[] out = new byte[32];
        for (int i = 0; i < 32; i++) {
            out[i] = big[31 - i];
        }
        return out;
    }

    private static byte[] edWithS(BigInteger s) {
        return concat(Arrays.copyOf(ED_SIG, 32), littleEndian32(s));
    }

    private static Arguments p256(String name, byte[] rawSignature, String expected) {
        return Arguments.of(name, (Supplier<SignatureCheck>) () -> Signatures.check(KeyAlgorithm.ECDSA_P256_SHA256, P256_SPKI, SAMPLE, rawSignature), expected);
    }

    private static Arguments p256Der(String name, String derHex, String expected) {
        return Arguments.of(name, (Supplier<SignatureCheck>) () -> Signatures.checkDer(KeyAlgorithm.ECDSA_P256_SHA256, P256_SPKI, SAMPLE, hex(derHex)), expected);
    }

    private static Arguments p256Key(String name, byte[] spki, String expected) {
        return Arguments.of(name, (Supplier<SignatureCheck>) () -> Signatures.check(KeyAlgorithm.ECDSA_P256_SHA256, spki, SAMPLE, P256_SIG), expected);
    }

    private static Arguments ed(String name, byte[] rawSignature, String expected) {
        return Arguments.of(name, (Supplier<SignatureCheck>) () -> Signatures.check(KeyAlgorithm.ED25519, ED_SPKI, ED_MESSAGE, rawSignature), expected);
    }

    private static Arguments edKey(String name, String publicKeyHex, String expected) {
        byte[] spki = TestVectors.ed25519SubjectPublicKeyInfo(publicKeyHex);
        return Arguments.of(name, (Supplier<SignatureCheck>) () -> Signatures.check(KeyAlgorithm.ED25519, spki, ED_MESSAGE, ED_SIG), expected);
    }

    private static Arguments sm2(String name, byte[] rawSignature, String expected) {
        return Arguments.of(name, (Supplier<SignatureCheck>) () -> Signatures.check(KeyAlgorithm.SM2_SM3, SM2_SPKI, SM2_MESSAGE, rawSignature), expected);
    }

    private static Arguments sm2Der(String name, String derHex, String expected) {
        return Arguments.of(name, (Supplier<SignatureCheck>) () -> Signatures.checkDer(KeyAlgorithm.SM2_SM3, SM2_SPKI, SM2_MESSAGE, hex(derHex)), expected);
    }

    private static Arguments sm2Key(String name, byte[] spki, String expected) {
        return Arguments.of(name, (Supplier<SignatureCheck>) () -> Signatures.check(KeyAlgorithm.SM2_SM3, spki, SM2_MESSAGE, SM2_SIG), expected);
    }

    static Stream<Arguments> cases() {
        byte[] p256Point = hex("04" + Rfc6979P256.UX + Rfc6979P256.UY);
        byte[] p256OffCurve = p256Point.clone();
        p256OffCurve[64] ^= 1;
        BigInteger p256P = Signatures.P256.getCurve().getField().getCharacteristic();
        byte[] sm2Point = point(SM2_PUBLIC);
        byte[] sm2OffCurve = sm2Point.clone();
        sm2OffCurve[64] ^= 1;
        BigInteger sm2R = new BigInteger(1, SM2_SIG, 0, 32);
        BigInteger sm2S = new BigInteger(1, SM2_SIG, 32, 32);
        String ones32 = "11".repeat(32);
        return Stream.of(
                // ECDSA P-256, raw r||s
                p256("p256: rfc 6979 sample, low-s", P256_SIG, VALID),
                Arguments.of("p256: signature over another message", (Supplier<SignatureCheck>)
                        () -> Signatures.check(KeyAlgorithm.ECDSA_P256_SHA256, P256_SPKI, changed(SAMPLE), P256_SIG), MISMATCH),
                p256("p256: 63 bytes", Arrays.copyOf(P256_SIG, 63), "signature length: expected 64 bytes, got 63"),
                p256("p256: 65 bytes", Arrays.copyOf(P256_SIG, 65), "signature length: expected 64 bytes, got 65"),
                p256("p256: der passed as raw", Signatures.rawToDer(KeyAlgorithm.ECDSA_P256_SHA256, P256_SIG), "signature length: expected 64 bytes, got 71"),
                p256("p256: r = 0", raw(BigInteger.ZERO, SAMPLE_S_LOW), "ecdsa r: expected 1 ≤ r < n, got 0x" + "00".repeat(32)),
                p256("p256: s = 0", raw(SAMPLE_R, BigInteger.ZERO), "ecdsa s: expected 1 ≤ s < n, got 0x" + "00".repeat(32)),
                p256("p256: r = n", raw(N, SAMPLE_S_LOW), "ecdsa r: expected 1 ≤ r < n"),
                p256("p256: s = n", raw(SAMPLE_R, N), "ecdsa s: expected 1 ≤ s < n"),
                p256("p256: r = 2^256 − 1", raw(BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE), SAMPLE_S_LOW), "ecdsa r: expected 1 ≤ r < n"),
                p256("p256: high s (the rfc's own n − s)", raw(SAMPLE_R, N.subtract(SAMPLE_S_LOW)), "ecdsa s: expected low-s (s ≤ n/2)"),
                p256("p256: s = n/2 + 1", raw(SAMPLE_R, N.shiftRight(1).add(BigInteger.ONE)), "ecdsa s: expected low-s (s ≤ n/2)"),
                // ECDSA P-256, DER (X.690 §10: one encoding per value)
                p256Der("p256 der: canonical", "3045" + "022100" + R_HEX + "0220" + S_HEX, VALID),
                p256Der("p256 der: long-form sequence length 81 45", "308145" + "022100" + R_HEX + "0220" + S_HEX,
                        "ecdsa signature der: expected distinguished encoding"),
                p256Der("p256 der: long-form integer length 81 21", "3046" + "02812100" + R_HEX + "0220" + S_HEX,
                        "ecdsa signature der: expected distinguished encoding"),
                p256Der("p256 der: indefinite length", "3080" + "022100" + R_HEX + "0220" + S_HEX + "0000", "ecdsa signature der: expected"),
                p256Der("p256 der: trailing byte", "3045" + "022100" + R_HEX + "0220" + S_HEX + "00", "ecdsa signature der: expected"),
                p256Der("p256 der: sequence length one short", "3044" + "022100" + R_HEX + "0220" + S_HEX, "ecdsa signature der: expected"),
                p256Der("p256 der: superfluous leading zero in r", "3046" + "02220000" + R_HEX + "0220" + S_HEX, "ecdsa signature der: expected"),
                p256Der("p256 der: r without its 00 sign byte (negative)", "3044" + "0220" + R_HEX + "0220" + S_HEX,
                        "ecdsa r: expected 0 ≤ value < 2^256, got"),
                p256Der("p256 der: r of 33 bytes ≥ 2^256", "3045" + "022101" + ones32 + "0220" + S_HEX, "ecdsa r: expected 0 ≤ value < 2^256"),
                p256Der("p256 der: r = 0", "3025" + "020100" + "0220" + S_HEX, "ecdsa r: expected 1 ≤ r < n"),
                p256Der("p256 der: high s", "3046" + "022100" + R_HEX + "022100" + Rfc6979P256.SAMPLE_S.toLowerCase(), "ecdsa s: expected low-s"),
                p256Der("p256 der: three integers", "3048" + "022100" + R_HEX + "0220" + S_HEX + "020101",
                        "ecdsa signature der: expected SEQUENCE { INTEGER, INTEGER }"),
                p256Der("p256 der: octet string for s", "3045" + "022100" + R_HEX + "0420" + S_HEX,
                        "ecdsa signature der: expected SEQUENCE { INTEGER, INTEGER }"),
                p256Der("p256 der: empty", "", "ecdsa signature der: expected"),
                // ECDSA P-256 public keys (RFC 5480 §2.2, SEC 1 §2.3.4)
                p256Key("p256 key: the rfc 6979 key", P256_SPKI, VALID),
                p256Key("p256 key: point off the curve (y xor 1)", ecSpki(SECObjectIdentifiers.secp256r1, p256OffCurve),
                        "ECDSA_P256_SHA256 public key: expected a valid point"),
                p256Key("p256 key: coordinates x = y = p (not field elements)", ecSpki(SECObjectIdentifiers.secp256r1,
                        concat(hex("04"), BigIntegers.asUnsignedByteArray(32, p256P), BigIntegers.asUnsignedByteArray(32, p256P))),
                        "ECDSA_P256_SHA256 public key: expected a valid point"),
                p256Key("p256 key: point at infinity (single 00)", ecSpki(SECObjectIdentifiers.secp256r1, hex("00")),
                        "ec public key point: expected 65-byte uncompressed encoding starting 0x04, got 1 bytes starting 0x00"),
                p256Key("p256 key: compressed 02 || x", ecSpki(SECObjectIdentifiers.secp256r1, hex("02" + Rfc6979P256.UX)),
                        "ec public key point: expected 65-byte uncompressed encoding starting 0x04, got 33 bytes starting 0x02"),
                p256Key("p256 key: hybrid 07 || x || y", ecSpki(SECObjectIdentifiers.secp256r1, concat(hex("07"), Arrays.copyOfRange(p256Point, 1, 65))),
                        "ec public key point: expected 65-byte uncompressed encoding starting 0x04, got 65 bytes starting 0x07"),
                p256Key("p256 key: empty point", ecSpki(SECObjectIdentifiers.secp256r1, new byte[0]),
                        "ec public key point: expected 65-byte uncompressed encoding starting 0x04, got 0 bytes starting 0x"),
                p256Key("p256 key: secp256k1 curve", ecSpki(SECObjectIdentifiers.secp256k1, p256Point), "ec public key curve: expected namedCurve"),
                p256Key("p256 key: trailing byte after the spki", concat(P256_SPKI, hex("00")), "public key info: expected a der SubjectPublicKeyInfo"),
                p256Key("p256 key: an sm2 key", SM2_SPKI, "public key algorithm: expected ECDSA_P256_SHA256, got SM2_SM3"),
                // Ed25519 (RFC 8032 §5.1.7)
                ed("ed25519: rfc 8032 test 2", ED_SIG, VALID),
                Arguments.of("ed25519: signature over another message", (Supplier<SignatureCheck>)
                        () -> Signatures.check(KeyAlgorithm.ED25519, ED_SPKI, changed(ED_MESSAGE), ED_SIG), MISMATCH),
                ed("ed25519: 63 bytes", Arrays.copyOf(ED_SIG, 63), "signature length: expected 64 bytes, got 63"),
                ed("ed25519: 65 bytes", Arrays.copyOf(ED_SIG, 65), "signature length: expected 64 bytes, got 65"),
                ed("ed25519: s = l", edWithS(L), "ed25519 s: expected < l (rfc 8032 §5.1)"),
                ed("ed25519: s + l", edWithS(new BigInteger(1, reverse(Arrays.copyOfRange(ED_SIG, 32, 64))).add(L)), "ed25519 s: expected < l"),
                ed("ed25519: s = 2^256 − 1", edWithS(BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE)), "ed25519 s: expected < l"),
                ed("ed25519: r with y = p", concat(littleEndian32(P25519), Arrays.copyOfRange(ED_SIG, 32, 64)),
                        "ed25519 r: expected y < p = 2^255 − 19 (rfc 8032 §5.1.3)"),
                ed("ed25519: r all ff (y = 2^255 − 1, sign bit set)", concat(hex("ff".repeat(32)), Arrays.copyOfRange(ED_SIG, 32, 64)),
                        "ed25519 r: expected y < p"),
                ed("ed25519: r replaced by the identity", concat(littleEndian32(BigInteger.ONE), Arrays.copyOfRange(ED_SIG, 32, 64)), MISMATCH),
                Arguments.of("ed25519: der requested", (Supplier<SignatureCheck>)
                        () -> Signatures.checkDer(KeyAlgorithm.ED25519, ED_SPKI, ED_MESSAGE, Signatures.rawToDer(KeyAlgorithm.ECDSA_P256_SHA256, ED_SIG)),
                        "signature encoding: expected raw R||S for ed25519"),
                edKey("ed25519 key: identity (order 1)", "01" + "00".repeat(31), "ED25519 public key: expected a valid point"),
                edKey("ed25519 key: (0, −1), order 2", "ec" + "ff".repeat(30) + "7f", "ED25519 public key: expected a valid point"),
                edKey("ed25519 key: a point of order 8", "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
                        "ED25519 public key: expected a valid point"),
                edKey("ed25519 key: y = p + 1 (non-canonical 1)", "ee" + "ff".repeat(30) + "7f", "ED25519 public key: expected a valid point"),
                edKey("ed25519 key: x = 0 with sign bit set", "00".repeat(31) + "80", "ED25519 public key: expected a valid point"),
                edKey("ed25519 key: 31 bytes", ED.publicKey().substring(2), "public key info: expected a der SubjectPublicKeyInfo"),
                Arguments.of("ed25519 key: a p-256 key", (Supplier<SignatureCheck>)
                        () -> Signatures.check(KeyAlgorithm.ED25519, P256_SPKI, ED_MESSAGE, ED_SIG), "public key algorithm: expected ED25519, got ECDSA_P256_SHA256"),
                // SM2 (GB/T 32918.2-2016 §7.1)
                sm2("sm2: signature by the key", SM2_SIG, VALID),
                Arguments.of("sm2: signature over another message", (Supplier<SignatureCheck>)
                        () -> Signatures.check(KeyAlgorithm.SM2_SM3, SM2_SPKI, changed(SM2_MESSAGE), SM2_SIG), MISMATCH),
                sm2("sm2: signed with user id ALICE123@YAHOO.COM", sm2Sign("ALICE123@YAHOO.COM".getBytes(StandardCharsets.US_ASCII), SM2_MESSAGE), MISMATCH),
                sm2("sm2: (r, n − s), no low-s twin", raw(sm2R, SM2_N.subtract(sm2S)), MISMATCH),
                sm2("sm2: 63 bytes", Arrays.copyOf(SM2_SIG, 63), "signature length: expected 64 bytes, got 63"),
                sm2("sm2: 65 bytes", Arrays.copyOf(SM2_SIG, 65), "signature length: expected 64 bytes, got 65"),
                sm2("sm2: r = 0", raw(BigInteger.ZERO, sm2S), "sm2 r: expected 1 ≤ r < n (gb/t 32918.2 §7.1 b1), got 0x" + "00".repeat(32)),
                sm2("sm2: s = 0", raw(sm2R, BigInteger.ZERO), "sm2 s: expected 1 ≤ s < n (gb/t 32918.2 §7.1 b2), got 0x" + "00".repeat(32)),
                sm2("sm2: r = n", raw(SM2_N, sm2S), "sm2 r: expected 1 ≤ r < n"),
                sm2("sm2: s = n", raw(sm2R, SM2_N), "sm2 s: expected 1 ≤ s < n"),
                sm2("sm2: s = 2^256 − 1", raw(sm2R, BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE)), "sm2 s: expected 1 ≤ s < n"),
                sm2("sm2: r + s = n", raw(sm2R, SM2_N.subtract(sm2R)), "sm2 r + s: expected ≠ n (gb/t 32918.2 §7.1 b5)"),
                Arguments.of("sm2 der: canonical", (Supplier<SignatureCheck>)
                        () -> Signatures.checkDer(KeyAlgorithm.SM2_SM3, SM2_SPKI, SM2_MESSAGE, Signatures.rawToDer(KeyAlgorithm.SM2_SM3, SM2_SIG)), VALID),
                Arguments.of("sm2 der: trailing byte", (Supplier<SignatureCheck>)
                        () -> Signatures.checkDer(KeyAlgorithm.SM2_SM3, SM2_SPKI, SM2_MESSAGE, concat(Signatures.rawToDer(KeyAlgorithm.SM2_SM3, SM2_SIG), hex("00"))),
                        "sm2 signature der: expected SEQUENCE { INTEGER, INTEGER }, got " + ((SM2_R_DER + SM2_S_DER).length() / 2 + 3) + " bytes that do not parse"),
                sm2Der("sm2 der: long-form sequence length", "3081" + derLength(SM2_R_DER + SM2_S_DER) + SM2_R_DER + SM2_S_DER,
                        "sm2 signature der: expected distinguished encoding, got 0x3081"),
                sm2Der("sm2 der: three integers", "30" + derLength(SM2_R_DER + SM2_S_DER + "020101") + SM2_R_DER + SM2_S_DER + "020101",
                        "sm2 signature der: expected SEQUENCE { INTEGER, INTEGER }, got ["),
                sm2Der("sm2 der: negative r", "3044" + "0220" + "80" + "11".repeat(31) + "0220" + ones32,
                        "sm2 r: expected 0 ≤ value < 2^256, got "),
                sm2Der("sm2 der: s of 33 bytes ≥ 2^256", "3045" + "0220" + ones32 + "022101" + ones32,
                        "sm2 s: expected 0 ≤ value < 2^256, got 257-bit value of sign 1"),
                sm2Der("sm2 der: r = 0 (range checked after the parse)", "30" + derLength("020100" + SM2_S_DER) + "020100" + SM2_S_DER,
                        "sm2 r: expected 1 ≤ r < n (gb/t 32918.2 §7.1 b1)"),
                sm2Key("sm2 key: the key", SM2_SPKI, VALID),
                sm2Key("sm2 key: point off the curve (y xor 1)", ecSpki(org.bouncycastle.asn1.gm.GMObjectIdentifiers.sm2p256v1, sm2OffCurve),
                        "SM2_SM3 public key: expected a valid point"),
                sm2Key("sm2 key: compressed", ecSpki(org.bouncycastle.asn1.gm.GMObjectIdentifiers.sm2p256v1, SM2_PUBLIC.getQ().getEncoded(true)),
                        "ec public key point: expected 65-byte uncompressed encoding starting 0x04, got 33 bytes"),
                sm2Key("sm2 key: point at infinity", ecSpki(org.bouncycastle.asn1.gm.GMObjectIdentifiers.sm2p256v1, hex("00")),
                        "ec public key point: expected 65-byte uncompressed encoding starting 0x04, got 1 bytes starting 0x00"),
                sm2Key("sm2 key: its point under the p-256 oid", ecSpki(SECObjectIdentifiers.secp256r1, sm2Point), "ECDSA_P256_SHA256 public key: expected a valid point"),
                sm2Key("sm2 key: a p-256 key", P256_SPKI, "public key algorithm: expected SM2_SM3, got ECDSA_P256_SHA256"));
    }

    private static byte[] reverse(byte[] bytes) {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[bytes.length - 1 - i];
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void verdict(String name, Supplier<SignatureCheck> check, String expected) {
        SignatureCheck actual = check.get();
        switch (expected) {
            case VALID -> assertEquals(new SignatureCheck.Valid(), actual, name);
            case MISMATCH -> assertEquals(new SignatureCheck.Mismatch(), actual, name);
            default -> {
                var malformed = assertInstanceOf(SignatureCheck.Malformed.class, actual, name);
                assertTrue(malformed.reason().startsWith(expected), name + ": " + malformed.reason());
            }
        }
    }

    /** GB/T 32918.2-2016 Annex A.2 through the verifier's own SM2 path, on the standard's test curve. */
    @Test
    void verifiesTheGbT32918AnnexA2Example() {
        var curve = GbT32918Sm2Example.curve();
        var key = new ECPublicKeyParameters(curve.getG().multiply(new BigInteger(GbT32918Sm2Example.D, 16)).normalize(), curve);
        byte[] id = GbT32918Sm2Example.USER_ID.getBytes(StandardCharsets.US_ASCII);
        byte[] message = GbT32918Sm2Example.MESSAGE.getBytes(StandardCharsets.US_ASCII);
        byte[] signature = hex(GbT32918Sm2Example.R + GbT32918Sm2Example.S);
        assertEquals(new SignatureCheck.Valid(), VerifyingKey.checkSm2(key, id, message, signature));
        assertEquals(new SignatureCheck.Mismatch(), VerifyingKey.checkSm2(key, Signatures.sm2UserId(), message, signature));
        assertEquals(new SignatureCheck.Mismatch(), VerifyingKey.checkSm2(key, id, changed(message), signature));
    }
}
