package io.wattproof.crypto;

import static io.wattproof.crypto.TestVectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.crypto.TestVectors.Ed25519Vector;
import io.wattproof.crypto.TestVectors.Rfc6979P256;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.bouncycastle.util.BigIntegers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SignaturesTest {
    private static final BigInteger N = new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);
    private static final byte[] SAMPLE = "sample".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SPKI = Rfc6979P256.subjectPublicKeyInfo();
    /** The RFC 6979 "sample" signature with s replaced by n − s: what our signers produce. */
    private static final byte[] SAMPLE_LOW_S = raw(new BigInteger(Rfc6979P256.SAMPLE_R, 16),
            N.subtract(new BigInteger(Rfc6979P256.SAMPLE_S, 16)));

    private static byte[] raw(BigInteger r, BigInteger s) {
        byte[] out = new byte[64];
        BigIntegers.asUnsignedByteArray(r, out, 0, 32);
        BigIntegers.asUnsignedByteArray(s, out, 32, 32);
        return out;
    }

    private static SignatureCheck checkSample(byte[] signature) {
        return Signatures.check(KeyAlgorithm.ECDSA_P256_SHA256, SPKI, SAMPLE, signature);
    }

    @Test
    void orderIsP256() {
        assertEquals(N, Signatures.P256_ORDER);
    }

    // --- raw <-> DER ---------------------------------------------------------------------------

    static Stream<Arguments> derCases() {
        String ones = "11".repeat(32);
        return Stream.of(
                // r with its top bit set: INTEGER gains a 0x00 sign byte (02 21 00 80..).
                Arguments.of("80" + "11".repeat(31) + ones, "3045" + "022100" + "80" + "11".repeat(31) + "0220" + ones),
                // r with one leading zero byte and the next byte below 0x80: 31 content bytes.
                Arguments.of("007f" + "11".repeat(30) + ones, "3043" + "021f" + "7f" + "11".repeat(30) + "0220" + ones),
                // r with a leading zero byte followed by a byte ≥ 0x80: the zero stays, as the sign byte.
                Arguments.of("0080" + "11".repeat(30) + ones, "3044" + "0220" + "0080" + "11".repeat(30) + "0220" + ones),
                // r = 1 and s = n − 1: shortest and longest scalars.
                Arguments.of("00".repeat(31) + "01" + N.subtract(BigInteger.ONE).toString(16),
                        "3026" + "020101" + "022100" + N.subtract(BigInteger.ONE).toString(16)),
                // s with three leading zero bytes.
                Arguments.of(ones + "000000" + "22".repeat(29), "3041" + "0220" + ones + "021d" + "22".repeat(29)));
    }

    @ParameterizedTest
    @MethodSource("derCases")
    void rawAndDerConvertBothWays(String rawHex, String derHex) {
        for (KeyAlgorithm algorithm : new KeyAlgorithm[] {KeyAlgorithm.ECDSA_P256_SHA256, KeyAlgorithm.SM2_SM3}) {
            assertEquals(derHex, HexFormat.of().formatHex(Signatures.rawToDer(algorithm, hex(rawHex))));
            assertEquals(rawHex, HexFormat.of().formatHex(Signatures.derToRaw(algorithm, hex(derHex))));
        }
    }

    @Test
    void rawDerRoundTripOverRandomScalarsWithLeadingZeros() {
        Random random = new Random(6979);
        for (int i = 0; i < 2000; i++) {
            byte[] raw = new byte[64];
            random.nextBytes(raw);
            // Zero a random-length prefix of r and of s so short INTEGERs are covered often.
            Arrays.fill(raw, 0, random.nextInt(4), (byte) 0);
            Arrays.fill(raw, 32, 32 + random.nextInt(4), (byte) 0);
            assertArrayEquals(raw, Signatures.derToRaw(KeyAlgorithm.ECDSA_P256_SHA256, Signatures.rawToDer(KeyAlgorithm.ECDSA_P256_SHA256, raw)), HexFormat.of().formatHex(raw));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "3006020101020101ff",          // trailing byte after the SEQUENCE
        "300702020001020101",          // r = 0x0001 is not minimal
        "30060201ff020101",            // r = -1
        "302702220100" + "0000000000000000000000000000000000000000000000000000000000000000" + "020101", // r = 2^256 needs 33 bytes
        "308106020101020101",          // long-form length for a short SEQUENCE (BER, not DER)
        "3009020101020101020101",      // three INTEGERs
        "020101",                      // an INTEGER, not a SEQUENCE
        "",
        "30"})
    void derToRawRefusesNonCanonicalOrMalformedDer(String derHex) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Signatures.derToRaw(KeyAlgorithm.ECDSA_P256_SHA256, hex(derHex)));
        assertTrue(e.getMessage().startsWith("ecdsa "), e.getMessage());
        IllegalArgumentException sm2 = assertThrows(IllegalArgumentException.class,
                () -> Signatures.derToRaw(KeyAlgorithm.SM2_SM3, hex(derHex)));
        assertEquals(e.getMessage().replaceFirst("^ecdsa ", "sm2 "), sm2.getMessage());
    }

    @Test
    void rawToDerRefusesWrongLength() {
        var e = assertThrows(IllegalArgumentException.class, () -> Signatures.rawToDer(KeyAlgorithm.ECDSA_P256_SHA256, new byte[63]));
        assertEquals("ecdsa raw signature length: expected 64 bytes, got 63", e.getMessage());
    }

    // --- SM2 inputs are named sm2 (GB/T 35276-2017 §7.3 uses the same DER as ECDSA) -------------

    static Stream<Arguments> sm2DerErrors() {
        String r = "11".repeat(32);
        return Stream.of(
                Arguments.of("not der at all", "30", "sm2 signature der: expected SEQUENCE { INTEGER, INTEGER }, got 1 bytes that do not parse ("),
                Arguments.of("three integers", "3009020101020101020101", "sm2 signature der: expected SEQUENCE { INTEGER, INTEGER }, got [1, 1, 1]"),
                Arguments.of("long-form length", "308106020101020101", "sm2 signature der: expected distinguished encoding, got 0x308106020101020101"),
                Arguments.of("negative r", "30060201ff020101", "sm2 r: expected 0 ≤ value < 2^256, got 0-bit value of sign -1"),
                Arguments.of("s = 2^256", "3045" + "0220" + r + "022101" + "00".repeat(32), "sm2 s: expected 0 ≤ value < 2^256, got 257-bit value of sign 1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sm2DerErrors")
    void sm2DerErrorsNameSm2(String name, String derHex, String expectedPrefix) {
        var e = assertThrows(IllegalArgumentException.class, () -> Signatures.derToRaw(KeyAlgorithm.SM2_SM3, hex(derHex)));
        assertTrue(e.getMessage().startsWith(expectedPrefix), e.getMessage());
    }

    @Test
    void sm2RawToDerOfWrongLengthNamesSm2() {
        var e = assertThrows(IllegalArgumentException.class, () -> Signatures.rawToDer(KeyAlgorithm.SM2_SM3, new byte[65]));
        assertEquals("sm2 raw signature length: expected 64 bytes, got 65", e.getMessage());
    }

    @Test
    void ed25519HasNoDerFormEitherWay() {
        String expected = "signature der: expected ECDSA_P256_SHA256 or SM2_SM3, got ED25519 (rfc 8032 §5.1.6 signatures are raw R||S only)";
        assertEquals(expected, assertThrows(IllegalArgumentException.class,
                () -> Signatures.rawToDer(KeyAlgorithm.ED25519, new byte[64])).getMessage());
        assertEquals(expected, assertThrows(IllegalArgumentException.class,
                () -> Signatures.derToRaw(KeyAlgorithm.ED25519, hex("3006020101020101"))).getMessage());
    }

    // --- low S -----------------------------------------------------------------------------------

    @Test
    void lowSBoundaryIsHalfTheOrder() {
        BigInteger half = N.shiftRight(1);
        assertTrue(Signatures.isLowS(raw(BigInteger.ONE, half)));
        assertFalse(Signatures.isLowS(raw(BigInteger.ONE, half.add(BigInteger.ONE))));
        assertFalse(Signatures.isLowS(new byte[63]));
    }

    @Test
    void normalizeLowSMapsHighSToNMinusSAndKeepsLowS() {
        byte[] published = hex(Rfc6979P256.SAMPLE_R + Rfc6979P256.SAMPLE_S);
        assertFalse(Signatures.isLowS(published));
        assertArrayEquals(SAMPLE_LOW_S, Signatures.normalizeLowS(published));
        assertArrayEquals(SAMPLE_LOW_S, Signatures.normalizeLowS(SAMPLE_LOW_S));
        assertThrows(IllegalArgumentException.class, () -> Signatures.normalizeLowS(raw(BigInteger.ONE, BigInteger.ZERO)));
    }

    // --- strict ECDSA verification -------------------------------------------------------------

    @Test
    void verifiesRfc6979SignaturesInLowSForm() {
        assertInstanceOf(SignatureCheck.Valid.class, checkSample(SAMPLE_LOW_S));
        byte[] test = hex(Rfc6979P256.TEST_R + Rfc6979P256.TEST_S);
        assertTrue(Signatures.verify(KeyAlgorithm.ECDSA_P256_SHA256, SPKI, "test".getBytes(StandardCharsets.US_ASCII), test));
    }

    @Test
    void rejectsHighSEvenThoughTheCurveEquationAcceptsIt() {
        // The RFC's own (r, s) is mathematically valid; (r, n − s) of our low-S form is the same signature.
        byte[] published = hex(Rfc6979P256.SAMPLE_R + Rfc6979P256.SAMPLE_S);
        SignatureCheck check = checkSample(published);
        var malformed = assertInstanceOf(SignatureCheck.Malformed.class, check);
        assertEquals("ecdsa s: expected low-s (s ≤ n/2), got 0x" + Rfc6979P256.SAMPLE_S.toLowerCase(), malformed.reason());
    }

    static Stream<Arguments> outOfRangeScalars() {
        BigInteger r = new BigInteger(Rfc6979P256.SAMPLE_R, 16);
        BigInteger s = Signatures.s(SAMPLE_LOW_S);
        return Stream.of(
                Arguments.of("r = 0", raw(BigInteger.ZERO, s), "ecdsa r: expected 1 ≤ r < n"),
                Arguments.of("s = 0", raw(r, BigInteger.ZERO), "ecdsa s: expected 1 ≤ s < n"),
                Arguments.of("r = n", raw(N, s), "ecdsa r: expected 1 ≤ r < n"),
                Arguments.of("r = n + 2", raw(N.add(BigInteger.TWO), s), "ecdsa r: expected 1 ≤ r < n"),
                Arguments.of("s = n", raw(r, N), "ecdsa s: expected 1 ≤ s < n"),
                Arguments.of("s = 2^256 - 1", raw(r, BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE)), "ecdsa s: expected 1 ≤ s < n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outOfRangeScalars")
    void rejectsScalarsOutsideOneToNMinusOne(String name, byte[] signature, String reasonPrefix) {
        var malformed = assertInstanceOf(SignatureCheck.Malformed.class, checkSample(signature));
        assertTrue(malformed.reason().startsWith(reasonPrefix), malformed.reason());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 63, 65, 72})
    void rejectsWrongLength(int length) {
        byte[] signature = Arrays.copyOf(SAMPLE_LOW_S, length);
        assertEquals(new SignatureCheck.Malformed("signature length: expected 64 bytes, got " + length), checkSample(signature));
        assertFalse(Signatures.verify(KeyAlgorithm.ED25519, TestVectors.ed25519SubjectPublicKeyInfo(TestVectors.RFC8032.get(0).publicKey()),
                new byte[0], signature));
    }

    @Test
    void rejectsEveryFlippedMessageBitAndSignatureBit() {
        for (int bit = 0; bit < SAMPLE.length * 8; bit++) {
            byte[] message = SAMPLE.clone();
            message[bit / 8] ^= (byte) (1 << (bit % 8));
            assertFalse(Signatures.verify(KeyAlgorithm.ECDSA_P256_SHA256, SPKI, message, SAMPLE_LOW_S), "message bit " + bit);
        }
        for (int bit = 0; bit < 512; bit++) {
            byte[] signature = SAMPLE_LOW_S.clone();
            signature[bit / 8] ^= (byte) (1 << (bit % 8));
            assertFalse(checkSample(signature).isValid(), "signature bit " + bit);
        }
        byte[] flipped = SAMPLE.clone();
        flipped[0] ^= 1;
        assertEquals(new SignatureCheck.Mismatch(), Signatures.check(KeyAlgorithm.ECDSA_P256_SHA256, SPKI, flipped, SAMPLE_LOW_S));
    }

    @Test
    void neverThrowsOnGarbageKeysOrSignatures() {
        Random random = new Random(8032);
        for (int i = 0; i < 500; i++) {
            byte[] key = new byte[random.nextInt(100)];
            byte[] signature = new byte[random.nextInt(3) == 0 ? 64 : random.nextInt(80)];
            random.nextBytes(key);
            random.nextBytes(signature);
            assertFalse(Signatures.verify(KeyAlgorithm.ECDSA_P256_SHA256, key, SAMPLE, signature));
            assertFalse(Signatures.verify(KeyAlgorithm.ECDSA_P256_SHA256, SPKI, SAMPLE, signature));
            assertFalse(Signatures.verify(KeyAlgorithm.ED25519, key, SAMPLE, signature));
        }
    }

    @Test
    void rejectsKeyOfAnotherAlgorithm() {
        var malformed = assertInstanceOf(SignatureCheck.Malformed.class,
                Signatures.check(KeyAlgorithm.ED25519, SPKI, SAMPLE, SAMPLE_LOW_S));
        assertEquals("public key algorithm: expected ED25519, got ECDSA_P256_SHA256", malformed.reason());
    }

    @Test
    void verifiesThroughAJcaPublicKey() {
        VerifyingKey key = PublicKeys.fromSubjectPublicKeyInfo(SPKI);
        assertTrue(Signatures.verify(KeyAlgorithm.ECDSA_P256_SHA256, key.publicKey(), SAMPLE, SAMPLE_LOW_S));
    }

    // --- Ed25519 ---------------------------------------------------------------------------------

    static final List<Ed25519Vector> RFC8032 = TestVectors.RFC8032;

    @ParameterizedTest
    @FieldSource("RFC8032")
    void verifiesRfc8032Vectors(Ed25519Vector v) {
        byte[] spki = TestVectors.ed25519SubjectPublicKeyInfo(v.publicKey());
        byte[] message = hex(v.message());
        assertEquals(new SignatureCheck.Valid(), Signatures.check(KeyAlgorithm.ED25519, spki, message, hex(v.signature())));
        byte[] longer = Arrays.copyOf(message, message.length + 1);
        assertEquals(new SignatureCheck.Mismatch(), Signatures.check(KeyAlgorithm.ED25519, spki, longer, hex(v.signature())));
    }

    @ParameterizedTest
    @FieldSource("RFC8032")
    void rejectsEd25519SPlusL(Ed25519Vector v) {
        // RFC 8032 §5.1.7: S + L satisfies the group equation too; only S < L is canonical.
        BigInteger l = BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));
        byte[] signature = hex(v.signature());
        byte[] sLittle = Arrays.copyOfRange(signature, 32, 64);
        byte[] sBig = reverse(sLittle);
        byte[] sPlusL = reverse(BigIntegers.asUnsignedByteArray(32, new BigInteger(1, sBig).add(l)));
        System.arraycopy(sPlusL, 0, signature, 32, 32);
        var malformed = assertInstanceOf(SignatureCheck.Malformed.class,
                Signatures.check(KeyAlgorithm.ED25519, TestVectors.ed25519SubjectPublicKeyInfo(v.publicKey()), hex(v.message()), signature));
        assertTrue(malformed.reason().startsWith("ed25519 s: expected < l"), malformed.reason());
    }

    private static byte[] reverse(byte[] in) {
        byte[] out = new byte[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = in[in.length - 1 - i];
        }
        return out;
    }
}
