package io.wattproof.lightclient.types;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A validator set in CometBFT order: voting power descending, then address ascending
 * (types/validator_set.go {@code ValidatorsByVotingPower}). The set's hash and the index of each
 * commit signature depend on that order, so it is imposed here whatever order the input had.
 * {@code totalVotingPower} is computed, never taken from input.
 */
public record ValidatorSet(List<Validator> validators, Optional<Validator> proposer) {
    /** CometBFT {@code MaxTotalVotingPower}: int64 max / 8, so that priorities cannot overflow. */
    public static final long MAX_TOTAL_VOTING_POWER = Long.MAX_VALUE / 8;

    public static final Comparator<Validator> COMETBFT_ORDER =
            Comparator.comparingLong(Validator::votingPower).reversed().thenComparing(Validator::address);

    public ValidatorSet {
        List<Validator> sorted = new ArrayList<>(validators);
        sorted.sort(COMETBFT_ORDER);
        validators = List.copyOf(sorted);
        proposer = Objects.requireNonNullElse(proposer, Optional.empty());
    }

    public ValidatorSet(List<Validator> validators) {
        this(validators, Optional.empty());
    }

    /**
     * Sum of the voting powers, saturating at {@link Long#MAX_VALUE}; a set whose sum exceeds
     * {@link #MAX_TOTAL_VOTING_POWER} is refused by the verifier.
     */
    public long totalVotingPower() {
        long sum = 0;
        for (Validator v : validators) {
            if (v.votingPower() < 0) {
                continue;
            }
            sum += v.votingPower();
            if (sum < 0) {
                return Long.MAX_VALUE;
            }
        }
        return sum;
    }

    public Optional<Validator> byAddress(Bytes address) {
        for (Validator v : validators) {
            if (v.address().equals(address)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    public int size() {
        return validators.size();
    }
}
