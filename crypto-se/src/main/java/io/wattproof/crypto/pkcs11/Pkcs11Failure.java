package io.wattproof.crypto.pkcs11;

import io.wattproof.crypto.KeyStoreFailure;
import java.nio.file.Path;
import java.util.List;

/**
 * Why a device key on a PKCS#11 token could not be created, opened or used. Messages name the
 * library, token or key at fault and never contain the PIN.
 */
public abstract sealed class Pkcs11Failure extends KeyStoreFailure {
    private Pkcs11Failure(String message, Throwable cause) {
        super(message, cause);
    }

    /** The PKCS#11 module is not there or does not load. */
    public static final class LibraryUnavailable extends Pkcs11Failure {
        LibraryUnavailable(Path library, String found, Throwable cause) {
            super("pkcs#11 library " + library + ": expected a loadable pkcs#11 module, found " + found, cause);
        }
    }

    /** No slot of the module holds a token with the configured label. */
    public static final class UnknownToken extends Pkcs11Failure {
        private final List<String> present;

        UnknownToken(String label, Path library, List<String> present) {
            super("pkcs#11 token label: expected a token labelled '" + label + "' in " + library + ", found "
                    + (present.isEmpty() ? "no initialised token" : "tokens " + present), null);
            this.present = List.copyOf(present);
        }

        /** Labels of the tokens that are present. */
        public List<String> present() {
            return present;
        }
    }

    /** Two slots hold tokens with the same label, so the label does not say which one is meant. */
    public static final class AmbiguousToken extends Pkcs11Failure {
        AmbiguousToken(String label, long slot, long otherSlot) {
            super("pkcs#11 token label '" + label + "': expected one token with it, found two, in slots "
                    + slot + " and " + otherSlot, null);
        }
    }

    /**
     * The label lookup needs the JDK's PKCS#11 wrapper, which the JDK does not export by default:
     * the JVM must run with {@value Pkcs11Slots#ADD_EXPORTS}.
     */
    public static final class SlotLookupUnavailable extends Pkcs11Failure {
        SlotLookupUnavailable(Throwable cause) {
            super("pkcs#11 slot lookup: expected the jvm to run with " + Pkcs11Slots.ADD_EXPORTS
                    + " (needed to read token labels), found the package not exported: " + cause, cause);
        }
    }

    /** The PIN file is missing, unreadable, empty, or open to group or others. */
    public static final class BadPinFile extends Pkcs11Failure {
        BadPinFile(Path file, String expected, String found, Throwable cause) {
            super("pin file " + file + ": expected " + expected + ", found " + found, cause);
        }
    }

    /** The token refused the PIN (CKR_PIN_INCORRECT, or the PIN is locked). */
    public static final class LoginRefused extends Pkcs11Failure {
        LoginRefused(String tokenLabel, Path pinFile, Throwable cause) {
            super("pkcs#11 login to token '" + tokenLabel + "': expected the user pin in " + pinFile
                    + " to be accepted, the token refused it (" + rootMessage(cause) + ")", cause);
        }
    }

    /**
     * The token is logged in for this process with another PIN, by a key that is still open: a
     * PKCS#11 login is shared by the whole process, so a second PIN cannot be checked without
     * logging the first key out.
     */
    public static final class PinDiffers extends Pkcs11Failure {
        PinDiffers(String tokenLabel, Path pinFile) {
            super("pkcs#11 login to token '" + tokenLabel + "': expected the pin in " + pinFile
                    + " to be the one the open keys logged in with, found another; close those keys first", null);
        }
    }

    /** The key was closed: the token session it used was released, and logged out if it was the last. */
    public static final class KeyClosed extends Pkcs11Failure {
        KeyClosed(String tokenLabel, String keyLabel) {
            super("pkcs#11 key '" + keyLabel + "' on token '" + tokenLabel
                    + "': expected an open key, found it closed; open it again with Pkcs11KeyStore.open", null);
        }
    }

    /** {@code create} found a key under the label: a device identity is never replaced silently. */
    public static final class KeyExists extends Pkcs11Failure {
        KeyExists(String tokenLabel, String keyLabel) {
            super("pkcs#11 key label '" + keyLabel + "' on token '" + tokenLabel
                    + "': expected no key, found one; refusing to replace a device identity", null);
        }
    }

    /** {@code open} found no key under the label. */
    public static final class KeyNotFound extends Pkcs11Failure {
        KeyNotFound(String tokenLabel, String keyLabel, List<String> present) {
            super("pkcs#11 key label '" + keyLabel + "' on token '" + tokenLabel + "': expected a private key entry, found "
                    + (present.isEmpty() ? "no entries" : "only entries " + present), null);
        }
    }

    /** An algorithm the token (or the JDK's provider for it) cannot hold as a device key. */
    public static final class UnsupportedAlgorithm extends Pkcs11Failure {
        UnsupportedAlgorithm(String message) {
            super(message, null);
        }
    }

    /** Any other refusal by the token or the provider, with the operation that failed. */
    public static final class TokenError extends Pkcs11Failure {
        TokenError(String operation, String tokenLabel, Throwable cause) {
            super("pkcs#11 " + operation + " on token '" + tokenLabel + "' failed: " + rootMessage(cause), cause);
        }
    }

    static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == t ? String.valueOf(t) : t + " caused by " + root;
    }
}
