package io.wattproof.crypto.cert;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.util.IPAddress;

/**
 * A small certificate authority for the simulator, tests and a fleet operator's lab: a self-signed
 * P-256 root whose key is a PEM file only its owner may read ({@value #KEY_FILE}, mode 0600) next
 * to its certificate ({@value #CERTIFICATE_FILE}). It issues device certificates for TLS client
 * authentication and server certificates (for a broker), each only to a request that proves
 * possession of its key. A production fleet would keep such a key in an HSM; this one is meant
 * for places where a file is acceptable.
 */
public final class CertificateAuthority {
    public static final String KEY_FILE = "ca-key.pem";
    public static final String CERTIFICATE_FILE = "ca-cert.pem";
    private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
    /** RFC 1035 §2.3.1 labels, as RFC 5280 §4.2.1.6 asks of a dNSName. */
    private static final Pattern DNS_NAME =
            Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    private final PrivateKey key;
    private final X509Certificate certificate;
    private final X509CertificateHolder holder;
    private final SecureRandom random = new SecureRandom();

    private CertificateAuthority(PrivateKey key, X509Certificate certificate) {
        this.key = key;
        this.certificate = certificate;
        try {
            this.holder = new X509CertificateHolder(certificate.getEncoded());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("a parsed certificate re-encodes", e);
        }
    }

    /**
     * Creates a new authority in {@code dir} (made 0700 if absent): a P-256 key and a self-signed
     * certificate for {@code subject} (RFC 4514 text, e.g. {@code CN=wattproof lab ca,O=Example}).
     *
     * @throws CertificateFailure.AuthorityExists if either file exists: an authority is never replaced
     * @throws IllegalArgumentException if {@code subject} does not parse
     */
    public static CertificateAuthority create(Path dir, String subject, Validity validity) throws CertificateFailure {
        X500Name name = parseName(subject);
        Path keyFile = dir.resolve(KEY_FILE);
        Path certificateFile = dir.resolve(CERTIFICATE_FILE);
        for (Path file : List.of(keyFile, certificateFile)) {
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new CertificateFailure.AuthorityExists(file);
            }
        }
        KeyPair pair;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            pair = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every jdk generates p-256 keys", e);
        }
        SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded());
        SecureRandom random = new SecureRandom();
        X509v3CertificateBuilder builder = new X509v3CertificateBuilder(name, serial(random), Date.from(validity.notBefore()),
                Date.from(validity.notAfter()), name, info);
        // RFC 5280 §4.2.1.9 and §4.2.1.3: a CA certificate has cA TRUE and keyCertSign, both critical.
        add(builder, Extension.basicConstraints, true, new BasicConstraints(true));
        add(builder, Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        SubjectKeyIdentifier ski = new BcX509ExtensionUtils().createSubjectKeyIdentifier(info);
        add(builder, Extension.subjectKeyIdentifier, false, ski);
        add(builder, Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(ski.getKeyIdentifier()));
        X509Certificate certificate = sign(builder, pair.getPrivate());

        AuthorityFiles.createDirectory(dir);
        byte[] pkcs8 = pair.getPrivate().getEncoded();
        try {
            AuthorityFiles.writeNew(keyFile, Pem.write("PRIVATE KEY", pkcs8), "rw-------");
        } finally {
            java.util.Arrays.fill(pkcs8, (byte) 0);
        }
        try {
            AuthorityFiles.writeNew(certificateFile, Certificates.toPem(certificate), "rw-r--r--");
        } catch (CertificateFailure e) {
            AuthorityFiles.deleteQuietly(keyFile);
            throw e;
        }
        return new CertificateAuthority(pair.getPrivate(), certificate);
    }

    /** Opens the authority in {@code dir}, checking that the certificate belongs to the key. */
    public static CertificateAuthority open(Path dir) throws CertificateFailure {
        Path keyFile = dir.resolve(KEY_FILE);
        Path certificateFile = dir.resolve(CERTIFICATE_FILE);
        PrivateKey key = AuthorityFiles.readPrivateKey(keyFile);
        X509Certificate certificate;
        try {
            certificate = Certificates.fromPem(AuthorityFiles.readText(certificateFile, "certificate"));
        } catch (IllegalArgumentException e) {
            throw new CertificateFailure.CorruptFile(certificateFile, "one CERTIFICATE pem block", e.getMessage(), e);
        }
        if (!ClientTls.certifies(certificate, key)) {
            throw new CertificateFailure.KeyMismatch(keyFile, certificateFile);
        }
        return new CertificateAuthority(key, certificate);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public Validity validity() {
        return new Validity(certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant());
    }

    /**
     * A device certificate for TLS client authentication: issued only if the request proves
     * possession of a device key and its subject's CN is that key's device id ({@link
     * CertificationRequests#checkDevice}). Subject and key are the request's; extensions the
     * request asks for are ignored. basicConstraints cA FALSE, keyUsage digitalSignature (both
     * critical), extendedKeyUsage id-kp-clientAuth (RFC 5280 §4.2.1.12), key identifiers.
     */
    public X509Certificate issueDevice(PKCS10CertificationRequest request, Validity validity) throws CertificateFailure {
        CsrCheck.Valid valid = require(CertificationRequests.checkDevice(request));
        return issue(valid, validity, KeyPurposeId.id_kp_clientAuth, null);
    }

    /**
     * A server certificate (e.g. for an MQTT broker) for the request's key and subject, with the
     * given host names and IP addresses as subjectAltName (RFC 5280 §4.2.1.6: TLS clients match the
     * host against these, not the CN) and extendedKeyUsage id-kp-serverAuth.
     *
     * @throws IllegalArgumentException if {@code hosts} is empty or holds something that is neither
     *     an IP address nor a DNS name
     */
    public X509Certificate issueServer(PKCS10CertificationRequest request, List<String> hosts, Validity validity)
            throws CertificateFailure {
        GeneralNames names = subjectAltNames(hosts);
        CsrCheck.Valid valid = require(CertificationRequests.check(request));
        return issue(valid, validity, KeyPurposeId.id_kp_serverAuth, names);
    }

    private static CsrCheck.Valid require(CsrCheck check) throws CertificateFailure {
        if (check instanceof CsrCheck.Valid valid) {
            return valid;
        }
        throw new CertificateFailure.RequestRefused(check);
    }

    private X509Certificate issue(CsrCheck.Valid request, Validity validity, KeyPurposeId purpose, GeneralNames altNames)
            throws CertificateFailure {
        if (!validity().contains(validity)) {
            throw new CertificateFailure.ValidityBeyondAuthority(validity, validity());
        }
        SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(request.key().subjectPublicKeyInfo());
        // The issuer is the CA certificate's subject as encoded there: chain building compares bytes (RFC 5280 §7.1).
        X509v3CertificateBuilder builder = new X509v3CertificateBuilder(holder.getSubject(), serial(random),
                Date.from(validity.notBefore()), Date.from(validity.notAfter()), request.subject(), info);
        add(builder, Extension.basicConstraints, true, new BasicConstraints(false));
        add(builder, Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        add(builder, Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
        if (altNames != null) {
            add(builder, Extension.subjectAlternativeName, false, altNames);
        }
        add(builder, Extension.subjectKeyIdentifier, false, new BcX509ExtensionUtils().createSubjectKeyIdentifier(info));
        SubjectKeyIdentifier authority = SubjectKeyIdentifier.fromExtensions(holder.getExtensions());
        add(builder, Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(authority.getKeyIdentifier()));
        return sign(builder, key);
    }

    /**
     * RFC 5280 §4.1.2.2: a positive integer of at most 20 octets, unique per issuer; 128 random
     * bits make a collision negligible without keeping a counter file.
     */
    private static BigInteger serial(SecureRandom random) {
        BigInteger serial;
        do {
            serial = new BigInteger(128, random);
        } while (serial.signum() == 0);
        return serial;
    }

    private static GeneralNames subjectAltNames(List<String> hosts) {
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("server hosts: expected at least one host name or ip address, got none");
        }
        List<GeneralName> names = new ArrayList<>();
        for (String host : hosts) {
            if (IPAddress.isValid(host)) {
                names.add(new GeneralName(GeneralName.iPAddress, host));
            } else if (host.length() <= 253 && DNS_NAME.matcher(host).matches()) {
                names.add(new GeneralName(GeneralName.dNSName, host));
            } else {
                throw new IllegalArgumentException("server host: expected an ip address or a dns name, got '" + host + "'");
            }
        }
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    /**
     * RFC 4514 text in its usual order, most specific first ("CN=...,O=..."), as OpenSSL prints it
     * with {@code -nameopt RFC2253}; the JDK's parser stores it reversed, most significant first,
     * as X.501 wants. (Bouncy Castle's would keep the text's order.)
     */
    private static X500Name parseName(String subject) {
        try {
            X500Name name = X500Name.getInstance(new X500Principal(subject).getEncoded());
            if (name.getRDNs().length == 0) {
                throw new IllegalArgumentException("no attributes");
            }
            return name;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ca subject: expected a distinguished name such as 'CN=wattproof lab ca,O=Example', got '"
                    + subject + "' (" + e.getMessage() + ")", e);
        }
    }

    private static void add(X509v3CertificateBuilder builder, ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {
        try {
            builder.addExtension(oid, critical, value);
        } catch (CertIOException e) {
            throw new IllegalStateException("encoding extension " + oid + " failed", e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) {
        try {
            return Certificates.fromDer(builder.build(new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(key)).getEncoded());
        } catch (OperatorCreationException | IOException e) {
            throw new IllegalStateException("signing a certificate with the ca's p-256 key failed", e);
        }
    }
}
