package io.wattproof.lightclient.verifier;

/**
 * The outcome of verifying one light block against a trusted one (tendermint-rs
 * light-client-verifier {@code Verdict}).
 */
public sealed interface Verdict {
    /** The untrusted block can now be trusted. */
    record Success() implements Verdict {}

    /**
     * Nothing provably wrong, but the trusted validators did not sign enough of it to trust it across
     * the gap: a bisection should verify a block between the two first.
     */
    record NotEnoughTrust(Failure.InsufficientVotingPower reason) implements Verdict {}

    /** The block is provably wrong, or cannot be checked from the trusted block at all (expired trust). */
    record Invalid(Failure reason) implements Verdict {}

    Verdict SUCCESS = new Success();

    default boolean isSuccess() {
        return this instanceof Success;
    }

    /** The verdict's name as in the conformance data: SUCCESS, NOT_ENOUGH_TRUST or INVALID. */
    default String code() {
        return switch (this) {
            case Success s -> "SUCCESS";
            case NotEnoughTrust n -> "NOT_ENOUGH_TRUST";
            case Invalid i -> "INVALID";
        };
    }

    /** Why the block was not accepted, in words with the failing values; empty for success. */
    default String explanation() {
        return switch (this) {
            case Success s -> "";
            case NotEnoughTrust n -> n.reason().describe();
            case Invalid i -> i.reason().describe();
        };
    }
}
