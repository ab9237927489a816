package io.wattproof.crypto.cert;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS client contexts for the tools around a fleet: an operator publishing an update, a car owner
 * booking a pile, a service reading the broker. Their key is a PEM file made with OpenSSL, as
 * docs/mosquitto.md shows, not a device key store ({@link DeviceTls} is the device's side).
 */
public final class ClientTls {
    private static final String KEY_PEM_TYPE = "PRIVATE KEY";
    private static final char[] IN_MEMORY = "client".toCharArray();

    private ClientTls() {}

    /**
     * TLS 1.2 and 1.3 (the JDK's defaults), PKIX validation of the server against {@code
     * trustAnchors} alone, not the JDK's cacerts, and {@code identity} (null: none) as the client.
     */
    public static SSLContext context(KeyManager identity, List<X509Certificate> trustAnchors) {
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
            context.init(identity == null ? null : new KeyManager[] {identity}, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("the jdk's tls context and pkix trust manager are always available", e);
        }
    }

    /**
     * A key manager whose one identity is {@code key} with {@code chain} (its certificate first).
     *
     * @throws IllegalArgumentException when the first certificate does not certify {@code key}
     */
    public static KeyManager identity(PrivateKey key, List<X509Certificate> chain) {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("client certificate: expected the certificate first, got no certificate");
        }
        if (!certifies(chain.get(0), key)) {
            throw new IllegalArgumentException("client key: expected the private key of the client certificate ("
                    + chain.get(0).getSubjectX500Principal().getName() + "), got another key");
        }
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("client", key, IN_MEMORY, chain.toArray(X509Certificate[]::new));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keys, IN_MEMORY);
            return factory.getKeyManagers()[0];
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException("client key: the jdk's key store refuses it (" + e.getMessage() + ")", e);
        }
    }

    /**
     * The key of a {@code PRIVATE KEY} PEM block (PKCS#8, unencrypted, as {@code openssl genpkey}
     * writes it): EC, Ed25519 or RSA.
     *
     * @throws IllegalArgumentException saying what was found and how to convert it
     */
    public static PrivateKey privateKeyFromPem(String pem) {
        String first = pem.strip().lines().findFirst().orElse("");
        if (first.equals("-----BEGIN EC PRIVATE KEY-----") || first.equals("-----BEGIN RSA PRIVATE KEY-----")) {
            throw new IllegalArgumentException("client key pem: expected PKCS#8 ('-----BEGIN PRIVATE KEY-----'), got a "
                    + "traditional OpenSSL key; convert it with 'openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8'");
        }
        if (first.equals("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
            throw new IllegalArgumentException("client key pem: expected an unencrypted PKCS#8 key, got an encrypted one; "
                    + "keep it unencrypted in a file only its owner can read (mode 0600)");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Pem.read(pem, KEY_PEM_TYPE, "client key"));
        for (String algorithm : List.of("EC", "Ed25519", "RSA")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // Not this algorithm; the next one may fit.
            }
        }
        throw new IllegalArgumentException("client key pem: expected a PKCS#8 EC, Ed25519 or RSA private key, got one "
                + "that none of them reads");
    }

    /** Whether {@code certificate} holds the public half of {@code key}: a fresh challenge signed and verified. */
    static boolean certifies(X509Certificate certificate, PrivateKey key) {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519" -> "Ed25519";
            case "RSA" -> "SHA256withRSA";
            default -> null;
        };
        if (algorithm == null) {
            return false;
        }
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
