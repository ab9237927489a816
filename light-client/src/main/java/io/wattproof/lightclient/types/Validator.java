package io.wattproof.lightclient.types;

import java.util.Objects;

/**
 * A member of a validator set. {@code votingPower} is a proto {@code int64}; CometBFT never lets it
 * be negative. {@code proposerPriority} only rotates proposers and takes no part in any hash.
 */
public record Validator(Bytes address, PublicKey publicKey, long votingPower, long proposerPriority) {
    public Validator {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(publicKey, "publicKey");
    }

    public Validator withVotingPower(long power) {
        return new Validator(address, publicKey, power, proposerPriority);
    }
}
