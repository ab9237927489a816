package io.wattproof.agent.provision;

/**
 * Provisioning stopped. {@link Kind#BAD_INPUT}: an option or input file is wrong, nothing was
 * written. {@link Kind#REFUSED}: the inputs are fine but provisioning would replace an identity or
 * cannot reach the key store; the message says what exists and how to proceed.
 */
public final class ProvisionException extends Exception {
    public enum Kind { BAD_INPUT, REFUSED }

    private final Kind kind;

    public ProvisionException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ProvisionException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public static ProvisionException badInput(String message) {
        return new ProvisionException(Kind.BAD_INPUT, message);
    }

    public static ProvisionException refused(String message) {
        return new ProvisionException(Kind.REFUSED, message);
    }

    public Kind kind() {
        return kind;
    }
}
