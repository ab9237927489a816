package io.wattproof.lightclient.verifier;

import java.time.Duration;
import java.util.Objects;

/**
 * Verification parameters. {@code trustingPeriod} must be shorter than the chain's unbonding
 * period (a validator that signed a trusted header stays slashable for that long); {@code maxClockDrift}
 * is how far a header's time may run ahead of our clock (CometBFT default 10 s).
 */
public record VerificationOptions(TrustThreshold trustThreshold, Duration trustingPeriod, Duration maxClockDrift) {
    public static final Duration DEFAULT_MAX_CLOCK_DRIFT = Duration.ofSeconds(10);

    public VerificationOptions {
        Objects.requireNonNull(trustThreshold, "trustThreshold");
        Objects.requireNonNull(trustingPeriod, "trustingPeriod");
        Objects.requireNonNull(maxClockDrift, "maxClockDrift");
        if (trustingPeriod.isNegative() || trustingPeriod.isZero()) {
            throw new IllegalArgumentException("trusting period must be positive, got " + trustingPeriod);
        }
        if (maxClockDrift.isNegative()) {
            throw new IllegalArgumentException("max clock drift must not be negative, got " + maxClockDrift);
        }
    }

    /** Options with trust threshold 1/3 and a 10 s clock drift; the trusting period has no safe default. */
    public static Builder builder(Duration trustingPeriod) {
        return new Builder(trustingPeriod);
    }

    public static final class Builder {
        private TrustThreshold trustThreshold = TrustThreshold.ONE_THIRD;
        private Duration trustingPeriod;
        private Duration maxClockDrift = DEFAULT_MAX_CLOCK_DRIFT;

        private Builder(Duration trustingPeriod) {
            this.trustingPeriod = trustingPeriod;
        }

        public Builder trustThreshold(TrustThreshold value) {
            this.trustThreshold = value;
            return this;
        }

        public Builder maxClockDrift(Duration value) {
            this.maxClockDrift = value;
            return this;
        }

        public VerificationOptions build() {
            return new VerificationOptions(trustThreshold, trustingPeriod, maxClockDrift);
        }
    }
}
