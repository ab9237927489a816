package io.wattproof.crypto.cert;

import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.KeyStoreFailure;
import io.wattproof.crypto.PublicKeys;
import io.wattproof.crypto.SignatureCheck;
import io.wattproof.crypto.Signatures;
import io.wattproof.crypto.VerifyingKey;
import java.io.IOException;
import java.util.Arrays;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;

/**
 * PKCS#10 certification requests (RFC 2986) for device keys: made by signing through {@link
 * DeviceKey#sign}, written and read as PEM ({@code CERTIFICATE REQUEST}, RFC 7468 §7), and checked
 * before a certificate authority trusts them.
 */
public final class CertificationRequests {
    static final String PEM_TYPE = "CERTIFICATE REQUEST";

    private CertificationRequests() {}

    /**
     * A request for {@code key} with subject O/OU from {@code subject} and CN = the device id in
     * hex, with no attributes (the authority decides the extensions), signed by the key where it
     * lives.
     *
     * @throws KeyStoreFailure if the key's store refuses to sign
     */
    public static PKCS10CertificationRequest create(DeviceKey key, CsrSubject subject) throws KeyStoreFailure {
        SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(key.publicKeyInfo());
        try {
            return new PKCS10CertificationRequestBuilder(subject.name(key.deviceId()), info)
                    .build(new DeviceKeyContentSigner(key));
        } catch (DeviceKeyContentSigner.SigningFailed e) {
            throw e.failure();
        }
    }

    /** The request's subject as RFC 4514 text, most specific first: "CN=<device id>,OU=...,O=...". */
    public static String subject(PKCS10CertificationRequest request) {
        return text(request.getSubject());
    }

    static String text(X500Name name) {
        try {
            return new X500Principal(name.getEncoded(ASN1Encoding.DER)).getName(X500Principal.RFC2253);
        } catch (IOException | IllegalArgumentException e) {
            return name.toString();
        }
    }

    public static String toPem(PKCS10CertificationRequest request) {
        return Pem.write(PEM_TYPE, encoded(request));
    }

    /**
     * Parses the single {@code CERTIFICATE REQUEST} block of {@code pem}. Only the structure is
     * checked here; {@link #check} says whether to trust it.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static PKCS10CertificationRequest fromPem(String pem) {
        byte[] der = Pem.read(pem, PEM_TYPE, "certification request");
        try {
            PKCS10CertificationRequest request = new PKCS10CertificationRequest(der);
            if (!Arrays.equals(encoded(request), der)) {
                throw new IllegalArgumentException("not in distinguished encoding");
            }
            return request;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("certification request: expected a der CertificationRequest (rfc 2986 §4.2), got "
                    + der.length + " bytes that do not parse (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Proof of possession: the request's key is a device key (P-256, Ed25519 or SM2 in the
     * canonical encoding {@link PublicKeys} accepts), the signature algorithm is the one of that
     * key, and the signature over the CertificationRequestInfo verifies with it. The subject is
     * not looked at; see {@link #checkDevice}.
     */
    public static CsrCheck check(PKCS10CertificationRequest request) {
        VerifyingKey key;
        try {
            key = PublicKeys.fromSubjectPublicKeyInfo(request.getSubjectPublicKeyInfo().getEncoded(ASN1Encoding.DER));
        } catch (IOException | IllegalArgumentException e) {
            return new CsrCheck.UnsupportedKey(e.getMessage());
        }
        var expected = SignatureAlgorithms.of(key.algorithm());
        var actual = request.getSignatureAlgorithm();
        if (!expected.equals(actual)) {
            return new CsrCheck.SignatureAlgorithmMismatch(expected.getAlgorithm() + " for a " + key.algorithm() + " key",
                    actual.getAlgorithm() + (actual.getParameters() == null ? "" : " with parameters " + actual.getParameters()));
        }
        byte[] message;
        try {
            message = request.toASN1Structure().getCertificationRequestInfo().getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            return new CsrCheck.BadSignature("a request info that does not re-encode (" + e.getMessage() + ")");
        }
        SignatureCheck verdict = verify(key, message, request.getSignature());
        return switch (verdict) {
            case SignatureCheck.Valid v -> new CsrCheck.Valid(key, request.getSubject());
            case SignatureCheck.Mismatch m -> new CsrCheck.BadSignature("one that does not verify");
            case SignatureCheck.Malformed(String reason) -> new CsrCheck.BadSignature("a malformed one (" + reason + ")");
        };
    }

    /**
     * {@link #check}, and the subject has exactly one CN, equal to the device id computed from the
     * request's own key: a device cannot ask for another device's name.
     */
    public static CsrCheck checkDevice(PKCS10CertificationRequest request) {
        CsrCheck check = check(request);
        if (!(check instanceof CsrCheck.Valid valid)) {
            return check;
        }
        RDN[] commonNames = valid.subject().getRDNs(BCStyle.CN);
        if (commonNames.length != 1 || commonNames[0].isMultiValued()) {
            return new CsrCheck.NoDeviceId(text(valid.subject()));
        }
        String cn = IETFUtils.valueToString(commonNames[0].getFirst().getValue());
        if (!cn.equals(valid.key().deviceId().hex())) {
            return new CsrCheck.DeviceIdMismatch(cn, valid.key().deviceId());
        }
        return check;
    }

    /**
     * Checks the signature with our strict verifier. ECDSA signatures are first brought to low S:
     * other signers (OpenSSL) pick either half, and for a proof of possession the second valid
     * form of a signature (SEC 1 §4.1.4) proves as much as the first.
     */
    private static SignatureCheck verify(VerifyingKey key, byte[] message, byte[] signature) {
        if (key.algorithm() == KeyAlgorithm.ED25519) {
            return key.check(message, signature);
        }
        if (key.algorithm() == KeyAlgorithm.ECDSA_P256_SHA256) {
            try {
                return key.check(message, Signatures.normalizeLowS(Signatures.derToRaw(KeyAlgorithm.ECDSA_P256_SHA256, signature)));
            } catch (IllegalArgumentException e) {
                return new SignatureCheck.Malformed(e.getMessage());
            }
        }
        return key.checkDer(message, signature);
    }

    static byte[] encoded(PKCS10CertificationRequest request) {
        try {
            return request.toASN1Structure().getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("der encoding of a parsed request cannot fail", e);
        }
    }
}
