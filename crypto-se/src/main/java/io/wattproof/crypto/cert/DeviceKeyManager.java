package io.wattproof.crypto.cert;

import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A TLS client key manager whose one identity is a device key and its certificate chain. The key
 * manager hands the JDK's TLS stack a {@link DeviceKeyHandle}; the CertificateVerify signature
 * (RFC 8446 §4.4.3, RFC 5246 §7.4.8) is then made by {@link DeviceKey#sign} through {@link
 * DeviceKeyProvider}, which {@link #of} registers. The key is never exported, so it works for any
 * store, including a secure element with no JCA provider of its own.
 *
 * <p>Limits: client side only (a server would need the handle in its key exchange, which it does
 * not use, but no server alias is offered); ECDSA P-256 (scheme ecdsa_secp256r1_sha256) and
 * Ed25519 (scheme ed25519) only, because the JDK has no SM2 signature scheme for TLS (RFC 8998); the
 * one certificate is offered whatever certificate authorities the server names, and the server
 * decides. Each handshake signs once; concurrent handshakes take turns on the {@link DeviceKey}
 * object (its one-caller-at-a-time rule), so other code that signs with the same key concurrently
 * must lock the same object.
 */
public final class DeviceKeyManager extends X509ExtendedKeyManager {
    public static final String ALIAS = "device";

    private final DeviceKeyHandle handle;
    private final X509Certificate[] chain;

    private DeviceKeyManager(DeviceKeyHandle handle, X509Certificate[] chain) {
        this.handle = handle;
        this.chain = chain;
    }

    /**
     * A key manager for {@code key} with {@code chain}: the device certificate first, then any
     * intermediate certificates (the root may be left out, RFC 8446 §4.4.2).
     *
     * @throws CertificateFailure.NotUsableForTls for an SM2 key
     * @throws CertificateFailure.CertificateKeyMismatch if the first certificate holds another key
     */
    public static DeviceKeyManager of(DeviceKey key, List<X509Certificate> chain) throws CertificateFailure {
        if (key.algorithm() == KeyAlgorithm.SM2_SM3) {
            throw new CertificateFailure.NotUsableForTls(key.algorithm(), "the jdk's tls has no sm2 signature scheme "
                    + "(rfc 8998 sm2sig_sm3 is not implemented), so an sm2 key cannot authenticate a tls connection");
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("certificate chain: expected the device certificate first, got no certificate");
        }
        byte[] certified = chain.get(0).getPublicKey().getEncoded();
        if (!Arrays.equals(certified, key.publicKeyInfo())) {
            throw new CertificateFailure.CertificateKeyMismatch(key.deviceId(), DeviceId.fromPublicKeyInfo(certified));
        }
        DeviceKeyProvider.install();
        return new DeviceKeyManager(new DeviceKeyHandle(key), chain.toArray(X509Certificate[]::new));
    }

    private boolean fits(String keyType) {
        return handle.getAlgorithm().equals(keyType);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return fits(keyType) ? new String[] {ALIAS} : null;
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return keyTypes != null && Arrays.stream(keyTypes).anyMatch(this::fits) ? ALIAS : null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return chooseClientAlias(keyTypes, issuers, null);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? handle : null;
    }
}
