package io.wattproof.simulator.ledger.chain;

import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.PublicKey;
import io.wattproof.lightclient.types.Validator;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * A validator's Ed25519 consensus key (RFC 8032, pure Ed25519 as CometBFT crypto/ed25519 signs).
 * The address is the first 20 bytes of SHA-256 of the 32-byte public key (crypto/ed25519
 * {@code PubKey.Address}). {@link #toString()} names the address only, never the private key.
 */
public final class ValidatorKey {
    private static final byte[] DERIVATION_DOMAIN = "wattproof/v1/reference-ledger/validator-key".getBytes(StandardCharsets.US_ASCII);

    private final Ed25519PrivateKeyParameters privateKey;
    private final PublicKey publicKey;
    private final Bytes address;

    private ValidatorKey(Ed25519PrivateKeyParameters privateKey) {
        this.privateKey = privateKey;
        this.publicKey = PublicKey.ed25519(Bytes.of(privateKey.generatePublicKey().getEncoded()));
        this.address = publicKey.address();
    }

    /** The key whose RFC 8032 private seed is {@code seed} (32 bytes). */
    public static ValidatorKey fromSeed(byte[] seed) {
        if (seed.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
            throw new IllegalArgumentException("seed: expected " + Ed25519PrivateKeyParameters.KEY_SIZE + " bytes, got " + seed.length);
        }
        return new ValidatorKey(new Ed25519PrivateKeyParameters(seed, 0));
    }

    /**
     * The {@code index}-th key of a run started with {@code runSeed}: the private seed is
     * SHA-256(domain || runSeed || index), so the same run seed gives the same validators, addresses
     * and signatures (Ed25519 signatures are deterministic) on every run.
     */
    public static ValidatorKey derived(long runSeed, long index) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(DERIVATION_DOMAIN);
            sha.update(ByteBuffer.allocate(16).putLong(runSeed).putLong(index).array());
            return fromSeed(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** A fresh key from {@code random}. */
    public static ValidatorKey random(SecureRandom random) {
        return new ValidatorKey(new Ed25519PrivateKeyParameters(random));
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    public Bytes address() {
        return address;
    }

    /** This key as a validator of {@code power}; proposer priority 0 (the reference ledger does not rotate by priority). */
    public Validator validator(long power) {
        return new Validator(address, publicKey, power, 0);
    }

    /** A 64-byte Ed25519 signature over {@code message}. */
    public Bytes sign(byte[] message) {
        byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
        privateKey.sign(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, sig, 0);
        return Bytes.of(sig);
    }

    @Override
    public String toString() {
        return "ValidatorKey[address=" + address.hex() + "]";
    }
}
