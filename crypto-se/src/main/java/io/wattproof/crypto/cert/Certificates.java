package io.wattproof.crypto.cert;

import java.io.ByteArrayInputStream;
import java.security.Provider;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** X.509 certificates as PEM ({@code CERTIFICATE}, RFC 7468 §5), the form OpenSSL and Mosquitto read. */
public final class Certificates {
    static final String PEM_TYPE = "CERTIFICATE";

    private Certificates() {}

    public static String toPem(X509Certificate certificate) {
        try {
            return Pem.write(PEM_TYPE, certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("a parsed certificate re-encodes", e);
        }
    }

    /**
     * Parses the single {@code CERTIFICATE} block of {@code pem}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static X509Certificate fromPem(String pem) {
        return fromDer(Pem.read(pem, PEM_TYPE, "certificate"));
    }

    /**
     * Parses every {@code CERTIFICATE} block of {@code pem}, in order: a chain (the certificate
     * first, then its issuers) or a bundle of authorities.
     *
     * @throws IllegalArgumentException naming the block that is wrong
     */
    public static java.util.List<X509Certificate> allFromPem(String pem) {
        return Pem.readAll(pem, PEM_TYPE, "certificate").stream().map(Certificates::fromDer).toList();
    }

    /**
     * The JDK's parser first: its key objects are what the JDK's TLS stack expects (an Ed25519 key
     * named "EdDSA", an EC key with its curve). The JDK has no sm2p256v1 and refuses such a
     * certificate whole, so those are parsed by Bouncy Castle, held unregistered.
     */
    static X509Certificate fromDer(byte[] der) {
        try {
            return parse(CertificateFactory.getInstance("X.509"), der);
        } catch (CertificateException | RuntimeException jdkRefusal) {
            try {
                return parse(CertificateFactory.getInstance("X.509", Bc.PROVIDER), der);
            } catch (CertificateException | RuntimeException e) {
                throw new IllegalArgumentException("certificate: expected a der X.509 certificate (rfc 5280 §4.1), got "
                        + der.length + " bytes that do not parse (" + jdkRefusal.getMessage() + ")", e);
            }
        }
    }

    private static X509Certificate parse(CertificateFactory factory, byte[] der) throws CertificateException {
        if (factory.generateCertificate(new ByteArrayInputStream(der)) instanceof X509Certificate certificate) {
            return certificate;
        }
        throw new CertificateException("not an X.509 certificate");
    }

    private static final class Bc {
        static final Provider PROVIDER = new BouncyCastleProvider();
    }
}
