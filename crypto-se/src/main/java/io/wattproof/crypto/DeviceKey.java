package io.wattproof.crypto;

import java.security.PublicKey;

/**
 * The device's own signing key. The private half lives in a key store or secure element and never
 * leaves it; this interface only exposes signing and the public half.
 *
 * <p>Implementations must be safe to call from one thread at a time; callers serialise access.
 * {@code toString()} never prints key material.
 *
 * <p>A key may hold a resource: a key on a PKCS#11 token holds a share of the token's login.
 * Whoever opens a key closes it when done; a closed key refuses to sign. A key that holds nothing
 * (the software store's) closes as a no-op and keeps signing.
 */
public interface DeviceKey extends AutoCloseable {

    /** The public half, as a verifier; everything else public about the key follows from it. */
    VerifyingKey verifyingKey();

    default KeyAlgorithm algorithm() {
        return verifyingKey().algorithm();
    }

    default PublicKey publicKey() {
        return verifyingKey().publicKey();
    }

    /** DER-encoded SubjectPublicKeyInfo of {@link #publicKey()}. */
    default byte[] publicKeyInfo() {
        return verifyingKey().subjectPublicKeyInfo();
    }

    /** Device id: the first 20 bytes of SHA-256 over {@link #publicKeyInfo()}. */
    default DeviceId deviceId() {
        return verifyingKey().deviceId();
    }

    /**
     * Signs {@code message} (the full sign-bytes; hashing is part of the algorithm) and returns the
     * raw signature: r||s with low s for ECDSA P-256, R||S for Ed25519.
     */
    byte[] sign(byte[] message) throws KeyStoreFailure;

    /** Releases what the key holds (a token login, a session); closing twice does nothing. */
    @Override
    default void close() throws KeyStoreFailure {}
}
