package io.wattproof.crypto.cert;

import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.KeyStoreFailure;
import io.wattproof.crypto.OwnerOnlyFile;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Why a certificate could not be issued or used, or the certificate authority's files could not be
 * created or opened. Messages name the file or the value at fault, with expected and actual
 * values, and never contain key bytes.
 */
public abstract sealed class CertificateFailure extends KeyStoreFailure {
    private CertificateFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /** The authority refused a certification request; {@link #check()} says which check failed. */
    public static final class RequestRefused extends CertificateFailure {
        private final CsrCheck check;

        RequestRefused(CsrCheck check) {
            super("certificate refused: " + check.reason(), null);
            this.check = check;
        }

        public CsrCheck check() {
            return check;
        }
    }

    /** The requested validity ends after the authority's own certificate. */
    public static final class ValidityBeyondAuthority extends CertificateFailure {
        ValidityBeyondAuthority(Validity requested, Validity authority) {
            super("certificate validity: expected within the ca's " + authority.notBefore() + " .. " + authority.notAfter()
                    + ", got " + requested.notBefore() + " .. " + requested.notAfter(), null);
        }
    }

    /** {@code create} found an authority there already: its key is never replaced. */
    public static final class AuthorityExists extends CertificateFailure {
        AuthorityExists(Path file) {
            super("ca file " + file + ": expected none, found one; refusing to replace a certificate authority", null);
        }
    }

    /** A file of the authority is missing. */
    public static final class MissingFile extends CertificateFailure {
        MissingFile(Path file, String role) {
            super("ca " + role + " file missing: expected a file at " + file + ", found none", null);
        }
    }

    /** A file exists but does not hold what the authority writes. */
    public static final class CorruptFile extends CertificateFailure {
        CorruptFile(Path file, String expected, String found, Throwable cause) {
            super("ca file " + file + ": expected " + expected + ", found " + found, cause);
        }
    }

    /** The private key file is open to group or others; refused as OpenSSH refuses such a key. */
    public static final class InsecureKeyFile extends CertificateFailure {
        InsecureKeyFile(Path file, Set<PosixFilePermission> actual) {
            super("ca private key file " + file + " is accessible by group or others: expected mode 0600 or 0400, found "
                    + OwnerOnlyFile.octal(actual), null);
        }
    }

    /** The authority's certificate is not that of its private key. */
    public static final class KeyMismatch extends CertificateFailure {
        KeyMismatch(Path keyFile, Path certificateFile) {
            super("ca key " + keyFile + " and certificate " + certificateFile
                    + ": expected the certificate of this key, found a certificate of another key", null);
        }
    }

    /** The file system failed. */
    public static final class IoFailure extends CertificateFailure {
        IoFailure(Path file, Exception cause) {
            super("i/o failure on " + file + ": " + cause, cause);
        }
    }

    /** A device key that the JDK's TLS stack cannot sign with. */
    public static final class NotUsableForTls extends CertificateFailure {
        NotUsableForTls(KeyAlgorithm algorithm, String why) {
            super("tls client key: expected " + KeyAlgorithm.ECDSA_P256_SHA256 + " or " + KeyAlgorithm.ED25519 + ", got "
                    + algorithm + "; " + why, null);
        }
    }

    /** The certificate given for a device key holds another public key. */
    public static final class CertificateKeyMismatch extends CertificateFailure {
        CertificateKeyMismatch(DeviceId key, DeviceId certificate) {
            super("device certificate: expected the public key of device " + key + ", found that of device " + certificate, null);
        }
    }
}
