package io.wattproof.crypto.cert;

import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.VerifyingKey;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * What checking a certification request found. A request comes from outside (a device, a file an
 * operator copied), so a refusal is a value that says which check failed, with expected and actual
 * values, and the certificate authority turns it into {@link CertificateFailure.RequestRefused}.
 */
public sealed interface CsrCheck {
    /** The request's key is a device key, and the request is signed by it. */
    record Valid(VerifyingKey key, X500Name subject) implements CsrCheck {
        @Override
        public String reason() {
            return "valid request from device " + key.deviceId();
        }
    }

    /** The SubjectPublicKeyInfo is not a device key in its canonical encoding (see PublicKeys). */
    record UnsupportedKey(String detail) implements CsrCheck {
        @Override
        public String reason() {
            return "request public key: " + detail;
        }
    }

    /** The signature algorithm is not the one of the request's own key. */
    record SignatureAlgorithmMismatch(String expected, String actual) implements CsrCheck {
        @Override
        public String reason() {
            return "request signature algorithm: expected " + expected + ", got " + actual;
        }
    }

    /** The signature does not verify with the request's key: no proof that the requester holds it. */
    record BadSignature(String detail) implements CsrCheck {
        @Override
        public String reason() {
            return "request signature: expected a signature by the request's own key, got " + detail;
        }
    }

    /** The subject has no common name, or more than one. */
    record NoDeviceId(String subject) implements CsrCheck {
        @Override
        public String reason() {
            return "request subject: expected exactly one CN holding the device id, got '" + subject + "'";
        }
    }

    /** The common name is not the device id of the request's key. */
    record DeviceIdMismatch(String commonName, DeviceId computed) implements CsrCheck {
        @Override
        public String reason() {
            return "request subject CN: expected the device id of the request's public key " + computed + ", got '"
                    + commonName + "'";
        }
    }

    /** One lowercase sentence naming the check, expected and actual values. */
    String reason();

    default boolean isValid() {
        return this instanceof Valid;
    }
}
