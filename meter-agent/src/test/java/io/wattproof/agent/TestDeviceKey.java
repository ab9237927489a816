package io.wattproof.agent;

import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.PublicKeys;
import io.wattproof.crypto.VerifyingKey;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;

/** An in-memory Ed25519 device key from the JDK, for tests that do not exercise the key store. */
public final class TestDeviceKey implements DeviceKey {
    private final KeyPair pair;
    private final VerifyingKey verifyingKey;

    public TestDeviceKey() {
        try {
            pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            verifyingKey = PublicKeys.fromSubjectPublicKeyInfo(pair.getPublic().getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public VerifyingKey verifyingKey() {
        return verifyingKey;
    }

    @Override
    public byte[] sign(byte[] message) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(pair.getPrivate());
            s.update(message);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean verify(byte[] message, byte[] signature) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(pair.getPublic());
            s.update(message);
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
