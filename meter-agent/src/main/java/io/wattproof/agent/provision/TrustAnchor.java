package io.wattproof.agent.provision;

import io.wattproof.lightclient.types.LightBlock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A checked {@code wattproof-trust-anchor/1} (docs/provisioning.md): the light block the agent's
 * light client starts to trust the ledger from, and how long it may be trusted. CometBFT's light
 * client trusts a header for its trusting period after the header's time (light/verifier.go
 * {@code HeaderExpired}); past that, validators that signed it may have unbonded and the anchor
 * proves nothing, so a new one must be installed.
 *
 * @param origin how messages name the file
 * @param chainId the chain the block belongs to (equals the header's chain id)
 * @param trustingPeriod positive; below the chain's unbonding period
 * @param block the block, with its validator set and next validator set
 */
public record TrustAnchor(String origin, String chainId, Duration trustingPeriod, LightBlock block) {
    public static final String SCHEMA = "wattproof-trust-anchor/1";

    public TrustAnchor {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(chainId, "chain id");
        Objects.requireNonNull(trustingPeriod, "trusting period");
        Objects.requireNonNull(block, "block");
    }

    public long height() {
        return block.height();
    }

    /** The first instant at which the anchor is no longer trusted: header time + trusting period. */
    public Instant expiresAt() {
        return block.header().time().plus(trustingPeriod);
    }

    /** How long the anchor is still trusted at {@code now}; zero or negative once expired. */
    public Duration remaining(Instant now) {
        return Duration.between(now, expiresAt());
    }
}
