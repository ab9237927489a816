package io.wattproof.crypto.cert;

import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;

/** A TLS client context that authenticates with a device key and trusts the given authorities only. */
public final class DeviceTls {
    private DeviceTls() {}

    /**
     * TLS 1.2 and 1.3 (the JDK's defaults) with {@code keyManager} as the client identity and
     * PKIX validation of the server against {@code trustAnchors} alone, not the JDK's cacerts.
     */
    public static SSLContext clientContext(DeviceKeyManager keyManager, List<X509Certificate> trustAnchors) {
        return ClientTls.context(keyManager, trustAnchors);
    }
}
