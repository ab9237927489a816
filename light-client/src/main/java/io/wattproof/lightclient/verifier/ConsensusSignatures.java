package io.wattproof.lightclient.verifier;

import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.PublicKey;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Checks validators' vote signatures. Ed25519 follows RFC 8032 (Bouncy Castle); secp256k1 is ECDSA
 * over SHA-256 of the sign bytes with a 64-byte {@code r || s} signature whose {@code s} must be in
 * the lower half of the group order, as CometBFT's crypto/secp256k1 {@code VerifySignature} demands
 * (a high-S twin of a valid signature would otherwise also verify).
 *
 * <p>Parsed keys are kept in a small bounded cache: one validator set signs many blocks, and
 * decoding an Ed25519 point costs about as much as a verification.
 */
public final class ConsensusSignatures {
    private static final int CACHE_SIZE = 1024;
    private static final X9ECParameters SECP256K1 = CustomNamedCurves.getByName("secp256k1");
    private static final ECDomainParameters SECP256K1_DOMAIN = new ECDomainParameters(SECP256K1);
    private static final BigInteger HALF_ORDER = SECP256K1.getN().shiftRight(1);

    private final Map<PublicKey, Object> parsedKeys = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<PublicKey, Object> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    /** True when {@code signature} is a valid signature by {@code key} over {@code message}; never throws. */
    public boolean isValid(PublicKey key, byte[] message, Bytes signature) {
        Object parsed = parsed(key);
        if (parsed == null) {
            return false;
        }
        byte[] sig = signature.toArray();
        return switch (key.type()) {
            case ED25519 -> sig.length == Ed25519.SIGNATURE_SIZE
                    && ((Ed25519PublicKeyParameters) parsed).verify(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, sig, 0);
            case SECP256K1 -> isValidSecp256k1((ECPublicKeyParameters) parsed, message, sig);
        };
    }

    private static boolean isValidSecp256k1(ECPublicKeyParameters key, byte[] message, byte[] sig) {
        if (sig.length != 64) {
            return false;
        }
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(sig, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
        if (s.compareTo(HALF_ORDER) > 0) {
            return false;
        }
        ECDSASigner signer = new ECDSASigner();
        signer.init(false, key);
        return signer.verifySignature(sha256(message), r, s);
    }

    /** The decoded key, or null when the bytes are not a point on the curve. */
    private synchronized Object parsed(PublicKey key) {
        Object cached = parsedKeys.get(key);
        if (cached != null) {
            return cached;
        }
        Object parsed;
        try {
            parsed = switch (key.type()) {
                case ED25519 -> new Ed25519PublicKeyParameters(key.bytes().toArray());
                case SECP256K1 -> new ECPublicKeyParameters(
                        SECP256K1.getCurve().decodePoint(key.bytes().toArray()), SECP256K1_DOMAIN);
            };
        } catch (IllegalArgumentException e) {
            return null;
        }
        parsedKeys.put(key, parsed);
        return parsed;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
