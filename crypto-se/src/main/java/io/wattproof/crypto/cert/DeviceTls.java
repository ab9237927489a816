package io.wattproof.crypto.cert;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A TLS client context that authenticates with a device key and trusts the given authorities only. */
public final class DeviceTls {
    private DeviceTls() {}

    /**
     * TLS 1.2 and 1.3 (the JDK's defaults) with {@code keyManager} as the client identity and
     * PKIX validation of the server against {@code trustAnchors} alone, not the JDK's cacerts.
     */
    public static SSLContext clientContext(DeviceKeyManager keyManager, List<X509Certificate> trustAnchors) {
        if (trustAnchors.isEmpty()) {
            throw new IllegalArgumentException("trust anchors: expected at least one ca certificate, got none");
        }
        try {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            for (int i = 0; i < trustAnchors.size(); i++) {
                trusted.setCertificateEntry("ca-" + i, trustAnchors.get(i));
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {keyManager}, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("the jdk's tls context and pkix trust manager are always available", e);
        }
    }
}
