package io.wattproof.lightclient.client;

import io.wattproof.lightclient.verifier.VerificationOptions;
import java.util.Objects;

/**
 * How the light client verifies and how much it keeps. {@code keepBlocks} is how many light blocks
 * the store holds after each sync (the latest trusted one is always kept); at ~35 KB for 150
 * validators, the default 100 is a few megabytes.
 */
public record LightClientOptions(VerificationOptions verification, int keepBlocks) {
    public static final int DEFAULT_KEEP_BLOCKS = 100;

    public LightClientOptions {
        Objects.requireNonNull(verification, "verification");
        if (keepBlocks < 1) {
            throw new IllegalArgumentException("keepBlocks: expected ≥ 1, got " + keepBlocks);
        }
    }

    public static Builder builder(VerificationOptions verification) {
        return new Builder(verification);
    }

    public static final class Builder {
        private final VerificationOptions verification;
        private int keepBlocks = DEFAULT_KEEP_BLOCKS;

        private Builder(VerificationOptions verification) {
            this.verification = verification;
        }

        public Builder keepBlocks(int value) {
            this.keepBlocks = value;
            return this;
        }

        public LightClientOptions build() {
            return new LightClientOptions(verification, keepBlocks);
        }
    }
}
