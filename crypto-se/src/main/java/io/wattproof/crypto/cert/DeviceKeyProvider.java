package io.wattproof.crypto.cert;

import io.wattproof.crypto.KeyAlgorithm;
import java.security.Provider;
import java.security.Security;
import java.util.List;
import java.util.Map;

/**
 * The JCA provider of {@link DeviceKeySignature}: SHA256withECDSA and Ed25519 for {@link
 * DeviceKeyHandle}s, and for nothing else.
 *
 * <p>The JDK's TLS stack asks for a signature by name ({@code Signature.getInstance
 * ("SHA256withECDSA")}) and the provider is chosen only at {@code initSign}, as the first
 * registered one whose service accepts the key ("delayed provider selection", JCA Reference
 * Guide). So this provider must be registered, and each service declares {@code
 * SupportedKeyClasses} and accepts only a handle of its own algorithm: it never claims an ordinary
 * key, and providers before it never claim a handle (SunEC's services accept only {@code ECKey}
 * and {@code EdECKey} classes). It is added last, so it changes no other lookup.
 */
public final class DeviceKeyProvider extends Provider {
    public static final String NAME = "WattproofDeviceKey";
    private static final long serialVersionUID = 1L;
    private static final DeviceKeyProvider INSTANCE = new DeviceKeyProvider();

    private DeviceKeyProvider() {
        super(NAME, "1.0", "Signatures by device keys that stay in their store (TLS client authentication)");
        // OIDs as aliases, as SunEC registers them: ecdsa-with-SHA256 (RFC 5758 §3.2), id-Ed25519 (RFC 8410 §3).
        putService(new SignatureService(this, "SHA256withECDSA", List.of("1.2.840.10045.4.3.2", "OID.1.2.840.10045.4.3.2"),
                KeyAlgorithm.ECDSA_P256_SHA256));
        putService(new SignatureService(this, "Ed25519", List.of("1.3.101.112", "OID.1.3.101.112"), KeyAlgorithm.ED25519));
    }

    /** Registers the provider (last in the list) unless it is registered; idempotent. */
    public static synchronized void install() {
        if (Security.getProvider(NAME) == null) {
            Security.addProvider(INSTANCE);
        }
    }

    private static final class SignatureService extends Provider.Service {
        private final KeyAlgorithm algorithm;

        SignatureService(Provider provider, String name, List<String> aliases, KeyAlgorithm algorithm) {
            super(provider, "Signature", name, DeviceKeySignature.class.getName(), aliases,
                    Map.of("SupportedKeyClasses", DeviceKeyHandle.class.getName()));
            this.algorithm = algorithm;
        }

        @Override
        public boolean supportsParameter(Object parameter) {
            return parameter instanceof DeviceKeyHandle handle && handle.keyAlgorithm() == algorithm;
        }

        @Override
        public Object newInstance(Object constructorParameter) {
            return new DeviceKeySignature(algorithm);
        }
    }
}
