package io.wattproof.crypto.pkcs11;

import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.Signatures;
import io.wattproof.crypto.VerifyingKey;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;

/**
 * A P-256 device key whose private half is a handle to a token object: {@link PrivateKey} here is
 * SunPKCS11's reference to a CKA_SENSITIVE, non-extractable object, so nothing in this process
 * ever holds the scalar.
 *
 * <p>Signing asks the provider for {@code SHA256withECDSAinP1363Format}: the token computes the
 * signature (CKM_ECDSA_SHA256, or CKM_ECDSA over a digest the provider computed) and the provider
 * returns r||s as the token gave it (PKCS#11 v2.40 Current Mechanisms, "ECDSA": CKM_ECDSA's output is r||s,
 * each the length of the order), so no DER parsing is involved. Tokens pick s without regard to
 * its half, hence the low-S normalisation.
 *
 * <p>The key holds one share of its token's {@link TokenSession}: {@link #close} gives it back,
 * and the last key of a token to close logs the token out. A closed key refuses to sign.
 */
final class Pkcs11DeviceKey implements DeviceKey {
    static final String SIGNATURE_ALGORITHM = "SHA256withECDSAinP1363Format";

    private final TokenSession session;
    private final String tokenLabel;
    private final String keyLabel;
    private final VerifyingKey verifyingKey;
    /** The token object's handle; null once closed. Guarded by {@code this}. */
    private PrivateKey privateKey;

    Pkcs11DeviceKey(TokenSession session, String keyLabel, PrivateKey privateKey, VerifyingKey verifyingKey) {
        this.session = session;
        this.tokenLabel = session.tokenLabel();
        this.keyLabel = keyLabel;
        this.privateKey = privateKey;
        this.verifyingKey = verifyingKey;
    }

    /** The provider this key signs through, shared with every key of its token. */
    Provider provider() {
        return session.provider();
    }

    TokenSession session() {
        return session;
    }

    /** The token object's handle, null once closed. */
    synchronized PrivateKey handle() {
        return privateKey;
    }

    @Override
    public VerifyingKey verifyingKey() {
        return verifyingKey;
    }

    @Override
    public byte[] sign(byte[] message) throws Pkcs11Failure {
        PrivateKey key;
        synchronized (this) {
            key = privateKey;
        }
        if (key == null) {
            throw new Pkcs11Failure.KeyClosed(tokenLabel, keyLabel);
        }
        byte[] raw;
        try {
            Signature signature = Signature.getInstance(SIGNATURE_ALGORITHM, session.provider());
            signature.initSign(key);
            signature.update(message);
            raw = signature.sign();
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new Pkcs11Failure.TokenError("sign with key '" + keyLabel + "'", tokenLabel, e);
        }
        try {
            return Signatures.normalizeLowS(raw);
        } catch (IllegalArgumentException e) {
            throw new Pkcs11Failure.TokenError("sign with key '" + keyLabel + "' (the token returned a malformed signature)",
                    tokenLabel, e);
        }
    }

    /**
     * Drops the key handle and releases this key's share of the token session; closing again does
     * nothing. The token's handle is not destroyed: the key stays on the token.
     *
     * @throws Pkcs11Failure.TokenError if this was the token's last open key and the logout failed
     */
    @Override
    public void close() throws Pkcs11Failure {
        synchronized (this) {
            if (privateKey == null) {
                return;
            }
            privateKey = null;
        }
        session.release();
    }

    @Override
    public String toString() {
        return "Pkcs11DeviceKey[token=" + tokenLabel + ", key=" + keyLabel + ", deviceId=" + deviceId() + "]";
    }
}
