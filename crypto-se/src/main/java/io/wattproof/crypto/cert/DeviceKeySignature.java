package io.wattproof.crypto.cert;

import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.KeyStoreFailure;
import java.io.ByteArrayOutputStream;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.security.spec.AlgorithmParameterSpec;

/**
 * A JCA signature that signs through {@link io.wattproof.crypto.DeviceKey#sign}: the data is kept
 * until {@link #engineSign} because the key takes the whole message and hashes it itself, and the
 * raw signature is returned in the JCA form, DER {@code Ecdsa-Sig-Value} for SHA256withECDSA
 * (RFC 3279 §2.2.3, what TLS carries, RFC 8446 §4.2.3) and the raw 64 bytes for Ed25519 (RFC 8032
 * §5.1.6). Signing only: verification is left to the JDK's own providers.
 */
final class DeviceKeySignature extends SignatureSpi {
    private final KeyAlgorithm algorithm;
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();
    private DeviceKeyHandle handle;

    DeviceKeySignature(KeyAlgorithm algorithm) {
        this.algorithm = algorithm;
    }

    @Override
    protected void engineInitSign(PrivateKey privateKey) throws InvalidKeyException {
        if (!(privateKey instanceof DeviceKeyHandle h) || h.keyAlgorithm() != algorithm) {
            throw new InvalidKeyException("device key signature " + algorithm + ": expected a DeviceKeyHandle of that algorithm, got "
                    + (privateKey == null ? "null" : privateKey.getClass().getName() + " " + privateKey.getAlgorithm()));
        }
        handle = h;
        data.reset();
    }

    @Override
    protected void engineInitVerify(PublicKey publicKey) throws InvalidKeyException {
        throw new InvalidKeyException("device key signature: signs only; verify with the jdk's providers");
    }

    @Override
    protected void engineUpdate(byte b) throws SignatureException {
        requireSigning();
        data.write(b);
    }

    @Override
    protected void engineUpdate(byte[] b, int off, int len) throws SignatureException {
        requireSigning();
        data.write(b, off, len);
    }

    @Override
    protected byte[] engineSign() throws SignatureException {
        requireSigning();
        byte[] message = data.toByteArray();
        data.reset();
        // DeviceKey is for one caller at a time, and JSSE may run handshakes on several threads:
        // signatures through handles of one key take turns on the key object.
        try {
            byte[] raw;
            synchronized (handle.key()) {
                raw = handle.key().sign(message);
            }
            return SignatureAlgorithms.encode(algorithm, raw);
        } catch (KeyStoreFailure e) {
            throw new SignatureException("device key " + handle.key().deviceId() + " refused to sign: " + e.getMessage(), e);
        }
    }

    @Override
    protected boolean engineVerify(byte[] sigBytes) throws SignatureException {
        throw new SignatureException("device key signature: signs only");
    }

    @Override
    protected void engineSetParameter(AlgorithmParameterSpec params) throws InvalidAlgorithmParameterException {
        if (params != null) {
            throw new InvalidAlgorithmParameterException("device key signature " + algorithm + ": expected no parameters, got " + params);
        }
    }

    @Override
    @Deprecated
    protected void engineSetParameter(String param, Object value) {
        throw new InvalidParameterException("device key signature: no parameters");
    }

    @Override
    @Deprecated
    protected Object engineGetParameter(String param) {
        throw new InvalidParameterException("device key signature: no parameters");
    }

    private void requireSigning() throws SignatureException {
        if (handle == null) {
            throw new SignatureException("device key signature: not initialised for signing");
        }
    }
}
