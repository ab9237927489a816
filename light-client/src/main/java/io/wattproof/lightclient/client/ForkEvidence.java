package io.wattproof.lightclient.client;

import io.wattproof.lightclient.encoding.Hashes;
import io.wattproof.lightclient.types.SignedHeader;
import io.wattproof.lightclient.verifier.Failure;
import java.util.Objects;
import java.util.Optional;

/**
 * Two signed headers for the same height that differ: what the primary sent and what a witness
 * sent. Both are kept whole (header and commit), since the commits are what proves which validators
 * signed both sides (CometBFT light/detector.go, {@code LightClientAttackEvidence}).
 *
 * <p>{@code primaryVerified}: the primary's header passed verification from the trusted block.
 * {@code witnessVerified}: so did the witness's, from the same trusted block; then the chain has
 * forked (or the primary attacks) and the client refuses to advance. When the witness's header did
 * not verify, {@code witnessFailure} says why, and the witness, not the chain, is at fault.
 */
public record ForkEvidence(
        long height,
        String primary,
        SignedHeader primaryHeader,
        boolean primaryVerified,
        String witness,
        SignedHeader witnessHeader,
        boolean witnessVerified,
        Optional<Failure> witnessFailure) {
    public ForkEvidence {
        Objects.requireNonNull(primary, "primary");
        Objects.requireNonNull(primaryHeader, "primaryHeader");
        Objects.requireNonNull(witness, "witness");
        Objects.requireNonNull(witnessHeader, "witnessHeader");
        witnessFailure = Objects.requireNonNullElse(witnessFailure, Optional.empty());
    }

    public String describe() {
        return "at height " + height + " primary " + primary + " sent header " + Hashes.header(primaryHeader.header()).hex()
                + (primaryVerified ? " (verified)" : " (not verified)") + ", witness " + witness + " sent "
                + Hashes.header(witnessHeader.header()).hex()
                + (witnessVerified ? " (verified)" : witnessFailure.map(f -> " (not verified: " + f.describe() + ")").orElse(" (not verified)"));
    }
}
