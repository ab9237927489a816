package io.wattproof.agent.ocmf;

/** A session that cannot be exported as OCMF, e.g. because the pile's key is not P-256. */
public final class OcmfException extends Exception {
    public OcmfException(String message) {
        super(message);
    }

    public OcmfException(String message, Throwable cause) {
        super(message, cause);
    }
}
