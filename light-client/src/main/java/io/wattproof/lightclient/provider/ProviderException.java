package io.wattproof.lightclient.provider;

import io.wattproof.lightclient.LightClientException;

/** A provider could not deliver a light block. */
public sealed class ProviderException extends LightClientException
        permits ProviderException.NotFound, ProviderException.Unavailable, ProviderException.BadResponse {

    private final String provider;

    ProviderException(String provider, String message, Throwable cause) {
        super(provider + ": " + message, cause);
        this.provider = provider;
    }

    public String provider() {
        return provider;
    }

    /** No block at the height asked for: below the provider's pruned history, or not produced yet. */
    public static final class NotFound extends ProviderException {
        private final long height;

        public NotFound(String provider, long height, String detail) {
            super(provider, "no light block at height " + height + (detail.isEmpty() ? "" : ": " + detail), null);
            this.height = height;
        }

        public long height() {
            return height;
        }
    }

    /** The provider did not answer, or answered with a transport-level error; trying again may help. */
    public static final class Unavailable extends ProviderException {
        public Unavailable(String provider, String message, Throwable cause) {
            super(provider, message, cause);
        }
    }

    /** The provider answered with something that is not a light block (malformed, or for another chain). */
    public static final class BadResponse extends ProviderException {
        public BadResponse(String provider, String message, Throwable cause) {
            super(provider, message, cause);
        }
    }
}
