package io.wattproof.crypto;

/** Base of the checked failures of key stores and secure elements in this module. */
public class KeyStoreFailure extends Exception {
    public KeyStoreFailure(String message) {
        super(message);
    }

    public KeyStoreFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
