package io.wattproof.lightclient.types;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import org.bouncycastle.crypto.digests.RIPEMD160Digest;

/**
 * A validator's consensus key ({@code tendermint.crypto.PublicKey}, a oneof): Ed25519 (32 bytes) or
 * secp256k1 (33-byte compressed point).
 */
public record PublicKey(Type type, Bytes bytes) {
    public enum Type {
        /** Proto oneof field 1; JSON type {@code tendermint/PubKeyEd25519}. */
        ED25519(1, 32, "tendermint/PubKeyEd25519"),
        /** Proto oneof field 2; JSON type {@code tendermint/PubKeySecp256k1}. */
        SECP256K1(2, 33, "tendermint/PubKeySecp256k1");

        private final int protoField;
        private final int keyLength;
        private final String jsonType;

        Type(int protoField, int keyLength, String jsonType) {
            this.protoField = protoField;
            this.keyLength = keyLength;
            this.jsonType = jsonType;
        }

        public int protoField() {
            return protoField;
        }

        public int keyLength() {
            return keyLength;
        }

        public String jsonType() {
            return jsonType;
        }
    }

    public PublicKey {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length() != type.keyLength) {
            throw new IllegalArgumentException(
                    type + " public key must be " + type.keyLength + " bytes, got " + bytes.length() + ": " + bytes.hex());
        }
    }

    public static PublicKey ed25519(Bytes key) {
        return new PublicKey(Type.ED25519, key);
    }

    public static PublicKey secp256k1(Bytes key) {
        return new PublicKey(Type.SECP256K1, key);
    }

    /**
     * The 20-byte validator address: the first 20 bytes of SHA-256 of the key for Ed25519
     * (CometBFT crypto/ed25519 {@code PubKey.Address}), RIPEMD-160 of SHA-256 for secp256k1
     * (Bitcoin style, crypto/secp256k1 {@code PubKey.Address}).
     */
    public Bytes address() {
        byte[] sha = sha256(bytes.toArray());
        if (type == Type.ED25519) {
            return Bytes.of(sha, 0, 20);
        }
        RIPEMD160Digest ripemd = new RIPEMD160Digest();
        ripemd.update(sha, 0, sha.length);
        byte[] out = new byte[20];
        ripemd.doFinal(out, 0);
        return Bytes.of(out);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
