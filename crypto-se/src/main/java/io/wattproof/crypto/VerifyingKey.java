package io.wattproof.crypto;

import java.math.BigInteger;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithID;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * A parsed, validated public key that checks signatures. Parsing a point costs about as much as a
 * verification, so callers keep one per device rather than re-parsing (DEPENDENCIES.md: ~11k
 * verifies/s with a cached key, ~4.7k without). Immutable and safe to share between threads.
 */
public final class VerifyingKey {
    /** L, the order of the Ed25519 base point (RFC 8032 §5.1). */
    private static final BigInteger ED25519_ORDER =
            BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));
    /** p = 2^255 − 19, the Ed25519 field prime (RFC 8032 §5.1). */
    private static final BigInteger ED25519_P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
    private static final SignatureCheck VALID = new SignatureCheck.Valid();
    private static final SignatureCheck MISMATCH = new SignatureCheck.Mismatch();

    private final KeyAlgorithm algorithm;
    private final byte[] subjectPublicKeyInfo;
    private final AsymmetricKeyParameter parameters;
    private final PublicKey publicKey;
    private final DeviceId deviceId;

    VerifyingKey(KeyAlgorithm algorithm, byte[] subjectPublicKeyInfo, AsymmetricKeyParameter parameters, PublicKey publicKey) {
        this.algorithm = algorithm;
        this.subjectPublicKeyInfo = subjectPublicKeyInfo.clone();
        this.parameters = parameters;
        this.publicKey = publicKey;
        this.deviceId = DeviceId.fromPublicKeyInfo(subjectPublicKeyInfo);
    }

    public KeyAlgorithm algorithm() {
        return algorithm;
    }

    /** The DER SubjectPublicKeyInfo this key was parsed from (RFC 5280 §4.1.2.7). */
    public byte[] subjectPublicKeyInfo() {
        return subjectPublicKeyInfo.clone();
    }

    /**
     * The same key as a JCA object, for TLS and certificate code: SunEC for P-256 and Ed25519,
     * Bouncy Castle's for SM2 (the JDK has no sm2p256v1).
     */
    public PublicKey publicKey() {
        return publicKey;
    }

    public DeviceId deviceId() {
        return deviceId;
    }

    public boolean verify(byte[] message, byte[] rawSignature) {
        return check(message, rawSignature).isValid();
    }

    /**
     * Checks a DER {@code SEQUENCE { r INTEGER, s INTEGER }} signature (what OpenSSL writes for
     * ECDSA and SM2) by the same rules as {@link #check}, after a strict parse: BER forms,
     * non-minimal lengths or integers, negative integers and trailing bytes are malformed. Ed25519
     * has no DER form (RFC 8032 signatures are always raw), so any input is malformed for it.
     */
    public SignatureCheck checkDer(byte[] message, byte[] derSignature) {
        if (algorithm == KeyAlgorithm.ED25519) {
            return new SignatureCheck.Malformed("signature encoding: expected raw R||S for ed25519 (rfc 8032 §5.1.6), got a der request");
        }
        byte[] raw;
        try {
            raw = Signatures.derToRaw(algorithm, derSignature);
        } catch (IllegalArgumentException e) {
            return new SignatureCheck.Malformed(e.getMessage());
        }
        return check(message, raw);
    }

    /**
     * Checks a raw signature (r||s low-S for ECDSA, R||S for Ed25519, r||s for SM2); never throws
     * on its bytes.
     */
    public SignatureCheck check(byte[] message, byte[] rawSignature) {
        int expected = algorithm.rawSignatureLength();
        if (rawSignature.length != expected) {
            return new SignatureCheck.Malformed(
                    "signature length: expected " + expected + " bytes, got " + rawSignature.length);
        }
        return switch (algorithm) {
            case ECDSA_P256_SHA256 -> checkEcdsa(message, rawSignature);
            case ED25519 -> checkEd25519(message, rawSignature);
            case SM2_SM3 -> checkSm2((ECPublicKeyParameters) parameters, Signatures.SM2_USER_ID_BYTES, message, rawSignature);
        };
    }

    /**
     * GB/T 32918.2-2016 §7.1 with SM3: steps B1, B2 and B5 (r and s in [1, n − 1], t = (r + s)
     * mod n ≠ 0) here, so a refusal says which; the rest (Z, e, the point s·G + t·P, R = e + x1)
     * by Bouncy Castle's {@link SM2Signer}. Package-private with the curve taken from the key so
     * the standard's own example, on its test curve, runs through the same code.
     */
    static SignatureCheck checkSm2(ECPublicKeyParameters key, byte[] userId, byte[] message, byte[] raw) {
        BigInteger n = key.getParameters().getN();
        BigInteger r = Signatures.r(raw);
        BigInteger s = Signatures.s(raw);
        if (r.signum() <= 0 || r.compareTo(n) >= 0) {
            return new SignatureCheck.Malformed("sm2 r: expected 1 ≤ r < n (gb/t 32918.2 §7.1 b1), got " + Signatures.hex32(r));
        }
        if (s.signum() <= 0 || s.compareTo(n) >= 0) {
            return new SignatureCheck.Malformed("sm2 s: expected 1 ≤ s < n (gb/t 32918.2 §7.1 b2), got " + Signatures.hex32(s));
        }
        if (r.add(s).equals(n)) {
            return new SignatureCheck.Malformed("sm2 r + s: expected ≠ n (gb/t 32918.2 §7.1 b5), got r = " + Signatures.hex32(r)
                    + ", s = " + Signatures.hex32(s));
        }
        SM2Signer verifier = new SM2Signer(PlainDSAEncoding.INSTANCE, new SM3Digest());
        verifier.init(false, new ParametersWithID(key, userId));
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(raw) ? VALID : MISMATCH;
    }

    private SignatureCheck checkEcdsa(byte[] message, byte[] raw) {
        BigInteger r = Signatures.r(raw);
        BigInteger s = Signatures.s(raw);
        if (!Signatures.isScalar(r)) {
            return new SignatureCheck.Malformed("ecdsa r: expected 1 ≤ r < n, got " + Signatures.hex32(r));
        }
        if (!Signatures.isScalar(s)) {
            return new SignatureCheck.Malformed("ecdsa s: expected 1 ≤ s < n, got " + Signatures.hex32(s));
        }
        if (s.compareTo(Signatures.P256_HALF_ORDER) > 0) {
            return new SignatureCheck.Malformed("ecdsa s: expected low-s (s ≤ n/2), got " + Signatures.hex32(s));
        }
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, parameters);
        return verifier.verifySignature(sha256(message), r, s) ? VALID : MISMATCH;
    }

    private SignatureCheck checkEd25519(byte[] message, byte[] raw) {
        // RFC 8032 §5.1.7 step 1: S is a little-endian integer that must be below L; S + L would
        // otherwise verify too. Bouncy Castle checks this as well; we check first to say why.
        byte[] sBigEndian = new byte[32];
        for (int i = 0; i < 32; i++) {
            sBigEndian[i] = raw[63 - i];
        }
        if (new BigInteger(1, sBigEndian).compareTo(ED25519_ORDER) >= 0) {
            return new SignatureCheck.Malformed("ed25519 s: expected < l (rfc 8032 §5.1), got little-endian 0x"
                    + HexFormat.of().formatHex(raw, 32, 64));
        }
        // RFC 8032 §5.1.3 step 1: y of R must be below p = 2^255 − 19. Bouncy Castle would refuse
        // it too, but only as a plain mismatch.
        byte[] yBigEndian = new byte[32];
        for (int i = 0; i < 32; i++) {
            yBigEndian[i] = raw[31 - i];
        }
        yBigEndian[0] &= 0x7f;
        if (new BigInteger(1, yBigEndian).compareTo(ED25519_P) >= 0) {
            return new SignatureCheck.Malformed("ed25519 r: expected y < p = 2^255 − 19 (rfc 8032 §5.1.3), got little-endian 0x"
                    + HexFormat.of().formatHex(raw, 0, 32));
        }
        boolean ok = ((Ed25519PublicKeyParameters) parameters)
                .verify(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, raw, 0);
        return ok ? VALID : MISMATCH;
    }

    static byte[] sha256(byte[] message) {
        SHA256Digest digest = new SHA256Digest();
        digest.update(message, 0, message.length);
        byte[] out = new byte[digest.getDigestSize()];
        digest.doFinal(out, 0);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VerifyingKey other && Arrays.equals(subjectPublicKeyInfo, other.subjectPublicKeyInfo);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(subjectPublicKeyInfo);
    }

    @Override
    public String toString() {
        return "VerifyingKey[algorithm=" + algorithm + ", deviceId=" + deviceId + "]";
    }
}
