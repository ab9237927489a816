package io.wattproof.agent.charging;

import com.google.protobuf.InvalidProtocolBufferException;
import io.wattproof.crypto.SignatureCheck;
import io.wattproof.crypto.VerifyingKey;
import io.wattproof.protocol.SignBytes;
import io.wattproof.protocol.v1.BodyType;
import io.wattproof.protocol.v1.SignedTx;
import java.util.Arrays;

/** Parsing a SignedTx from outside and checking its signature; every failure a reason string. */
final class SignedBodies {
    private SignedBodies() {}

    /** Either the parsed envelope or why not. */
    sealed interface Parsed {
        record Ok(SignedTx tx) implements Parsed {}

        record Bad(String reason) implements Parsed {}
    }

    static Parsed parse(byte[] bytes, BodyType expected) {
        SignedTx tx;
        try {
            tx = SignedTx.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            return new Parsed.Bad("signed tx: expected a wattproof.v1.SignedTx, got " + bytes.length + " bytes that do not parse: "
                    + e.getMessage());
        }
        if (tx.getBodyType() != expected) {
            return new Parsed.Bad("signed tx body_type: expected " + expected + ", got " + tx.getBodyType());
        }
        return new Parsed.Ok(tx);
    }

    /**
     * Null when {@code tx} is signed by {@code key} under the sign-bytes of its body type and this
     * chain (docs/protocol.md), else the reason. A public key in the envelope must be this key.
     */
    static String checkSignature(SignedTx tx, VerifyingKey key, String chainId) {
        if (tx.getKeyAlgorithmValue() != key.algorithm().wireNumber()) {
            return "signed tx key_algorithm: expected " + key.algorithm() + " (" + key.algorithm().wireNumber() + "), got "
                    + tx.getKeyAlgorithm() + " (" + tx.getKeyAlgorithmValue() + ")";
        }
        if (!tx.getPublicKey().isEmpty() && !Arrays.equals(tx.getPublicKey().toByteArray(), key.subjectPublicKeyInfo())) {
            return "signed tx public_key: expected the key of " + key.deviceId() + ", got another key";
        }
        byte[] signBytes = SignBytes.of(tx.getBodyType(), chainId, tx.getBody().toByteArray());
        return switch (key.check(signBytes, tx.getSignature().toByteArray())) {
            case SignatureCheck.Valid v -> null;
            case SignatureCheck.Malformed m -> "signed tx signature: " + m.reason();
            case SignatureCheck.Mismatch m -> "signed tx signature: expected one by " + key.deviceId() + " over the "
                    + SignBytes.messageType(tx.getBodyType()) + " sign-bytes of chain " + chainId + ", got one that does not verify";
        };
    }

}
