package io.wattproof.lightclient.verifier;

import io.wattproof.lightclient.types.Bytes;
import java.time.Duration;
import java.time.Instant;

/** Why a light block was not accepted, with the values that failed. Hashes print as upper-case hex. */
public sealed interface Failure {
    /** Whose voting power a tally counted. */
    enum SignerSet {
        /** The trusted block's next validators (skipping verification; too little gives NOT_ENOUGH_TRUST). */
        TRUSTED_NEXT_VALIDATORS("trusted next validators"),
        /** The block's own validators (more than 2/3 must sign; too little is INVALID). */
        OWN_VALIDATORS("block's own validators");

        private final String description;

        SignerSet(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /** The reason in words, lower case, naming the values. */
    String describe();

    /** The trusted header is older than the trusting period: its validators may no longer be bonded. */
    record TrustedHeaderExpired(long trustedHeight, Instant trustedTime, Duration trustingPeriod, Instant now)
            implements Failure {
        public String describe() {
            return "trusted header at height " + trustedHeight + " (time " + trustedTime + ") expired at "
                    + trustedTime.plus(trustingPeriod) + " (trusting period " + trustingPeriod + "); now is " + now;
        }
    }

    /** The header's time is not before {@code now + maxClockDrift}. */
    record HeaderFromFuture(long height, Instant headerTime, Instant now, Duration maxClockDrift) implements Failure {
        public String describe() {
            return "header at height " + height + " has time " + headerTime + ", not before now " + now
                    + " plus max clock drift " + maxClockDrift;
        }
    }

    record ChainIdMismatch(String trustedChainId, String untrustedChainId) implements Failure {
        public String describe() {
            return "chain id: expected \"" + trustedChainId + "\", got \"" + untrustedChainId + "\"";
        }
    }

    /** A header field out of its allowed range (types/block.go {@code Header.ValidateBasic}). */
    record MalformedHeader(String field, String problem) implements Failure {
        public String describe() {
            return "header." + field + ": " + problem;
        }
    }

    /** A commit field out of its allowed range (types/block.go {@code Commit.ValidateBasic}, {@code CommitSig.ValidateBasic}). */
    record MalformedCommit(String field, String problem) implements Failure {
        public String describe() {
            return "commit." + field + ": " + problem;
        }
    }

    /** A validator set that CometBFT would not build ({@code ValidatorSet.ValidateBasic}). */
    record MalformedValidatorSet(String field, String problem) implements Failure {
        public String describe() {
            return field + ": " + problem;
        }
    }

    record CommitHeightMismatch(long headerHeight, long commitHeight) implements Failure {
        public String describe() {
            return "commit is for height " + commitHeight + ", header is at height " + headerHeight;
        }
    }

    record CommitBlockHashMismatch(long height, Bytes headerHash, Bytes commitBlockHash) implements Failure {
        public String describe() {
            return "commit at height " + height + " signs block " + commitBlockHash.hex() + ", header hashes to " + headerHash.hex();
        }
    }

    record SignatureCountMismatch(long height, int validators, int signatures) implements Failure {
        public String describe() {
            return "commit at height " + height + " has " + signatures + " signatures for " + validators + " validators";
        }
    }

    /** The supplied validator set is not the one the header names in {@code validators_hash}. */
    record ValidatorsHashMismatch(long height, Bytes headerValidatorsHash, Bytes suppliedSetHash) implements Failure {
        public String describe() {
            return "header at height " + height + " has validators_hash " + headerValidatorsHash.hex()
                    + ", supplied validator set hashes to " + suppliedSetHash.hex();
        }
    }

    /** The supplied next validator set is not the one the header names in {@code next_validators_hash}. */
    record NextValidatorsHashMismatch(long height, Bytes headerNextValidatorsHash, Bytes suppliedSetHash)
            implements Failure {
        public String describe() {
            return "header at height " + height + " has next_validators_hash " + headerNextValidatorsHash.hex()
                    + ", supplied next validator set hashes to " + suppliedSetHash.hex();
        }
    }

    /** Adjacent headers: the new header's validators are not the ones the trusted header announced. */
    record AdjacentValidatorsMismatch(long trustedHeight, Bytes trustedNextValidatorsHash, long height,
            Bytes validatorsHash) implements Failure {
        public String describe() {
            return "header at height " + height + " has validators_hash " + validatorsHash.hex()
                    + ", trusted header at height " + trustedHeight + " announced next_validators_hash "
                    + trustedNextValidatorsHash.hex();
        }
    }

    /**
     * Backwards verification: the trusted header's {@code last_block_id.hash} is not the hash of the
     * header one height below it, so that header is not the trusted chain's.
     */
    record BrokenHashLink(long trustedHeight, Bytes lastBlockIdHash, long height, Bytes headerHash) implements Failure {
        public String describe() {
            return "header at height " + height + " hashes to " + headerHash.hex() + ", trusted header at height "
                    + trustedHeight + " names " + lastBlockIdHash.hex() + " as its last_block_id.hash";
        }
    }

    /** A provider sent, for a height the client already trusts, a different header than the trusted one. */
    record ConflictsWithTrusted(long height, Bytes trustedHash, Bytes headerHash) implements Failure {
        public String describe() {
            return "header at height " + height + " hashes to " + headerHash.hex() + ", the trusted header there to "
                    + trustedHash.hex();
        }
    }

    record NonIncreasingHeight(long trustedHeight, long height) implements Failure {
        public String describe() {
            return "header height " + height + " is not greater than trusted height " + trustedHeight;
        }
    }

    record NonIncreasingTime(long trustedHeight, Instant trustedTime, long height, Instant time) implements Failure {
        public String describe() {
            return "header at height " + height + " has time " + time + ", not after trusted header's time "
                    + trustedTime + " at height " + trustedHeight;
        }
    }

    /**
     * Too little voting power signed. {@code set} says which set was tallied: the trusted next
     * validators (skipping; gives NOT_ENOUGH_TRUST) or the block's own validators (gives INVALID).
     */
    record InsufficientVotingPower(SignerSet set, long height, long tallied, long total, TrustThreshold threshold)
            implements Failure {
        public String describe() {
            return "signatures for the block at height " + height + " carry " + tallied + " of " + total + " voting power of the "
                    + set.description() + ", need more than " + threshold + " of " + total;
        }
    }

    record InvalidSignature(long height, int index, Bytes validatorAddress, Bytes signature) implements Failure {
        public String describe() {
            return "signature " + index + " of commit at height " + height + " by validator " + validatorAddress.hex()
                    + " does not verify: " + signature.hex();
        }
    }

    /** One validator signed twice; its power must not be counted twice. */
    record DuplicateSignature(long height, int firstIndex, int index, Bytes validatorAddress) implements Failure {
        public String describe() {
            return "validator " + validatorAddress.hex() + " signed the commit at height " + height + " twice (signatures "
                    + firstIndex + " and " + index + ")";
        }
    }

    /** A signature from an address that is not in the block's own validator set. */
    record UnknownSigner(long height, int index, Bytes validatorAddress) implements Failure {
        public String describe() {
            return "signature " + index + " of commit at height " + height + " is by " + validatorAddress.hex()
                    + ", which is not in the block's validator set";
        }
    }
}
