package io.wattproof.lightclient.store;

/** The light store could not be opened, read or written. */
public class LightStoreException extends Exception {
    public LightStoreException(String message) {
        super(message);
    }

    public LightStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
