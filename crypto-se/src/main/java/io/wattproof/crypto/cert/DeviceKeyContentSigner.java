package io.wattproof.crypto.cert;

import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyStoreFailure;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.ContentSigner;

/**
 * Bouncy Castle's signing hook, answered by a {@link DeviceKey}: the builder writes the
 * to-be-signed bytes (a CertificationRequestInfo) and the key signs them where it lives. The
 * bytes are kept until {@link #getSignature}, because {@code DeviceKey.sign} takes the whole
 * message (the key hashes it itself). Use once.
 *
 * <p>{@link ContentSigner#getSignature} cannot throw a checked exception, so a failure of the key
 * travels as {@link SigningFailed} and is unwrapped by {@link CertificationRequests#create}.
 */
final class DeviceKeyContentSigner implements ContentSigner {
    private final DeviceKey key;
    private final ByteArrayOutputStream toBeSigned = new ByteArrayOutputStream();

    DeviceKeyContentSigner(DeviceKey key) {
        this.key = key;
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
        return SignatureAlgorithms.of(key.algorithm());
    }

    @Override
    public OutputStream getOutputStream() {
        return toBeSigned;
    }

    @Override
    public byte[] getSignature() {
        try {
            return SignatureAlgorithms.encode(key.algorithm(), key.sign(toBeSigned.toByteArray()));
        } catch (KeyStoreFailure e) {
            throw new SigningFailed(e);
        }
    }

    /** Carries the key's checked failure through Bouncy Castle's builder. */
    static final class SigningFailed extends RuntimeException {
        SigningFailed(KeyStoreFailure cause) {
            super(cause);
        }

        KeyStoreFailure failure() {
            return (KeyStoreFailure) getCause();
        }
    }
}
