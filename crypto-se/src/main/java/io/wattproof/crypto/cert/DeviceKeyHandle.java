package io.wattproof.crypto.cert;

import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import java.security.PrivateKey;

/**
 * A {@link PrivateKey} that is only a name for a {@link DeviceKey}: it has no encoding and no key
 * material ({@link #getEncoded()} is null, as for a PKCS#11 key the token keeps sensitive), and
 * only {@link DeviceKeyProvider}'s signatures accept it. It exists because the JDK's TLS stack
 * asks its key manager for a {@code PrivateKey} and passes it to {@code Signature.initSign}.
 */
public final class DeviceKeyHandle implements PrivateKey {
    private static final long serialVersionUID = 1L;

    /** Not serialisable: a handle means something only in the process that holds the key. */
    private final transient DeviceKey key;

    DeviceKeyHandle(DeviceKey key) {
        if (key.algorithm() == KeyAlgorithm.SM2_SM3) {
            throw new IllegalArgumentException("device key handle: expected an ecdsa p-256 or ed25519 key, got " + key.algorithm());
        }
        this.key = key;
    }

    DeviceKey key() {
        return key;
    }

    KeyAlgorithm keyAlgorithm() {
        return key.algorithm();
    }

    /**
     * The JCA key algorithm name, which the JDK's TLS stack compares with the certificate's public
     * key: "EC" for P-256 and "EdDSA" for Ed25519 (what SunEC's keys report).
     */
    @Override
    public String getAlgorithm() {
        return key.algorithm() == KeyAlgorithm.ED25519 ? "EdDSA" : "EC";
    }

    @Override
    public String getFormat() {
        return null;
    }

    @Override
    public byte[] getEncoded() {
        return null;
    }

    @Override
    public String toString() {
        return "DeviceKeyHandle[algorithm=" + key.algorithm() + ", deviceId=" + key.deviceId() + "]";
    }
}
