package io.wattproof.agent.provision;

import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.cert.Certificates;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;

/**
 * The checks a device certificate must pass before it is installed and whenever the installation
 * is checked: it certifies this device's key, is valid now, and was signed by the authority the
 * broker trusts. Pure, apart from the JDK's signature check.
 */
public final class DeviceCertificates {
    private DeviceCertificates() {}

    /** Parses PEM text, naming the file in the message. */
    public static X509Certificate read(String origin, String pem) {
        try {
            return Certificates.fromPem(pem);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(origin + ": expected a PEM certificate, " + e.getMessage(), e);
        }
    }

    /** Empty when {@code certificate} holds the public key of {@code device}, otherwise why not. */
    public static Optional<String> holdsKeyOf(X509Certificate certificate, DeviceId device) {
        DeviceId certified = DeviceId.fromPublicKeyInfo(certificate.getPublicKey().getEncoded());
        return certified.equals(device)
                ? Optional.empty()
                : Optional.of("expected the public key of device " + device.hex() + ", found that of device " + certified.hex());
    }

    /** Empty when {@code now} is within the certificate's validity (RFC 5280 section 4.1.2.5). */
    public static Optional<String> isValidAt(X509Certificate certificate, Instant now) {
        Instant notBefore = certificate.getNotBefore().toInstant();
        Instant notAfter = certificate.getNotAfter().toInstant();
        if (now.isBefore(notBefore)) {
            return Optional.of("not valid before " + notBefore + " (now " + now + "; is the clock right?)");
        }
        if (now.isAfter(notAfter)) {
            return Optional.of("expired at " + notAfter + " (now " + now + ")");
        }
        return Optional.empty();
    }

    /**
     * Empty when {@code authority} issued {@code certificate}: the issuer name is the authority's
     * subject and the authority's key verifies the signature (RFC 5280 section 6.1.3 (a)(1) and
     * (a)(4)). The device certificates of the lab authority are issued directly by its root, so one
     * step is the whole chain.
     */
    public static Optional<String> isIssuedBy(X509Certificate certificate, X509Certificate authority) {
        if (!certificate.getIssuerX500Principal().equals(authority.getSubjectX500Principal())) {
            return Optional.of("expected issuer '" + authority.getSubjectX500Principal().getName() + "', found '"
                    + certificate.getIssuerX500Principal().getName() + "'");
        }
        try {
            certificate.verify(authority.getPublicKey());
            return Optional.empty();
        } catch (GeneralSecurityException e) {
            return Optional.of("the signature does not verify with the key of '" + authority.getSubjectX500Principal().getName()
                    + "': " + e.getMessage());
        }
    }
}
