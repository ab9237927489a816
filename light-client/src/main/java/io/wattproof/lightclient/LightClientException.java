package io.wattproof.lightclient;

/** Base of the light client's checked exceptions. */
public class LightClientException extends Exception {
    public LightClientException(String message) {
        super(message);
    }

    public LightClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
