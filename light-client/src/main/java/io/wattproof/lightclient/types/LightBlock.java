package io.wattproof.lightclient.types;

import java.util.Objects;
import java.util.Optional;

/**
 * A signed header with the validator set that signed it and, when known, the next validator set
 * (the set of height + 1, which the header commits to in {@code next_validators_hash}). A trusted
 * light block needs its next set for skipping verification; the protobuf form
 * ({@code tendermint.types.LightBlock}) has no field for it.
 */
public record LightBlock(SignedHeader signedHeader, ValidatorSet validators, Optional<ValidatorSet> nextValidators) {
    public LightBlock {
        Objects.requireNonNull(signedHeader, "signedHeader");
        Objects.requireNonNull(validators, "validators");
        nextValidators = Objects.requireNonNullElse(nextValidators, Optional.empty());
    }

    public LightBlock(SignedHeader signedHeader, ValidatorSet validators) {
        this(signedHeader, validators, Optional.empty());
    }

    public Header header() {
        return signedHeader.header();
    }

    public Commit commit() {
        return signedHeader.commit();
    }

    public long height() {
        return signedHeader.header().height();
    }

    public LightBlock withNextValidators(ValidatorSet next) {
        return new LightBlock(signedHeader, validators, Optional.of(next));
    }
}
