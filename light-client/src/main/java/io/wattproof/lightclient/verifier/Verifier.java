package io.wattproof.lightclient.verifier;

import io.wattproof.lightclient.encoding.Hashes;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.Header;
import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.lightclient.types.PublicKey;
import io.wattproof.lightclient.types.ValidatorSet;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether an untrusted light block can be trusted given a trusted one (CometBFT
 * light/verifier.go {@code VerifyAdjacent}/{@code VerifyNonAdjacent}; tendermint-rs
 * {@code PredicateVerifier}). Pure: no clock, no I/O; {@code now} is an argument. A bisection
 * scheduler calls {@link #verify} for a target and, on {@link Verdict.NotEnoughTrust}, again for a
 * block between trusted and target.
 *
 * <p>The checks run in this order, and the first that fails decides the verdict:
 * <ol>
 *   <li>the trusted header is within the trusting period;
 *   <li>the untrusted header is not from the future ({@code time < now + maxClockDrift});
 *   <li>the signed header is well formed: chain id, field ranges, commit height and block hash;
 *   <li>the validator set is well formed, has one commit signature per validator and hashes to the
 *       header's {@code validators_hash}; a supplied next set hashes to {@code next_validators_hash};
 *   <li>adjacent: {@code validators_hash} equals the trusted header's {@code next_validators_hash};
 *   <li>height and time increase;
 *   <li>skipping: more than the trust threshold of the trusted next validators' power signed —
 *       otherwise {@link Verdict.NotEnoughTrust};
 *   <li>more than 2/3 of the block's own validators' power signed.
 * </ol>
 * Every failure except step 7's is {@link Verdict.Invalid}; a bad signature found while tallying is
 * Invalid in either step.
 */
public final class Verifier {
    private final ConsensusSignatures signatures;

    public Verifier() {
        this(new ConsensusSignatures());
    }

    public Verifier(ConsensusSignatures signatures) {
        this.signatures = Objects.requireNonNull(signatures, "signatures");
    }

    /**
     * Adjacent verification when {@code untrusted} is at the trusted height + 1, skipping
     * verification otherwise (lower or equal heights are then refused as non-monotonic).
     *
     * @param trusted a block already trusted; for skipping it must carry its next validator set
     * @throws IllegalArgumentException when skipping and {@code trusted} has no next validator set, or
     *     one that does not match its header: the trusted state itself is wrong, not the new block
     */
    public Verdict verify(LightBlock trusted, LightBlock untrusted, VerificationOptions options, Instant now) {
        if (untrusted.height() == trusted.height() + 1) {
            return verifyAdjacent(trusted, untrusted, options, now);
        }
        return verifyNonAdjacent(trusted, untrusted, options, now);
    }

    /** Verification of the block right after the trusted one. */
    public Verdict verifyAdjacent(LightBlock trusted, LightBlock untrusted, VerificationOptions options, Instant now) {
        if (untrusted.height() != trusted.height() + 1) {
            throw new IllegalArgumentException("adjacent verification needs height " + (trusted.height() + 1)
                    + ", got " + untrusted.height());
        }
        Map<Integer, PublicKey> verified = new HashMap<>();
        return Predicates.firstFailure(
                () -> common(trusted, untrusted, options, now),
                () -> Predicates.isValidNextValidatorSet(trusted.header(), untrusted.header()),
                () -> Predicates.isMonotonicHeight(trusted.header(), untrusted.header()),
                () -> Predicates.isMonotonicTime(trusted.header(), untrusted.header()),
                () -> Predicates.hasEnoughSignedPower(Failure.SignerSet.OWN_VALIDATORS, untrusted.signedHeader(), untrusted.validators(),
                        TrustThreshold.TWO_THIRDS, true, signatures, verified))
                .map(f -> (Verdict) new Verdict.Invalid(f))
                .orElse(Verdict.SUCCESS);
    }

    /** Verification across a gap in heights (skipping), trusting the trusted block's next validators. */
    public Verdict verifyNonAdjacent(LightBlock trusted, LightBlock untrusted, VerificationOptions options, Instant now) {
        if (untrusted.height() == trusted.height() + 1) {
            throw new IllegalArgumentException("height " + untrusted.height() + " is adjacent to trusted height "
                    + trusted.height() + "; use adjacent verification");
        }
        ValidatorSet trustedNext = trustedNextValidators(trusted);
        Map<Integer, PublicKey> verified = new HashMap<>();
        Optional<Failure> failure = Predicates.firstFailure(
                () -> common(trusted, untrusted, options, now),
                () -> Predicates.isMonotonicHeight(trusted.header(), untrusted.header()),
                () -> Predicates.isMonotonicTime(trusted.header(), untrusted.header()));
        if (failure.isPresent()) {
            return new Verdict.Invalid(failure.get());
        }
        Optional<Failure> trust = Predicates.hasEnoughSignedPower(Failure.SignerSet.TRUSTED_NEXT_VALIDATORS, untrusted.signedHeader(),
                trustedNext, options.trustThreshold(), false, signatures, verified);
        if (trust.isPresent()) {
            return trust.get() instanceof Failure.InsufficientVotingPower p
                    ? new Verdict.NotEnoughTrust(p)
                    : new Verdict.Invalid(trust.get());
        }
        return Predicates.hasEnoughSignedPower(Failure.SignerSet.OWN_VALIDATORS, untrusted.signedHeader(), untrusted.validators(),
                        TrustThreshold.TWO_THIRDS, true, signatures, verified)
                .map(f -> (Verdict) new Verdict.Invalid(f))
                .orElse(Verdict.SUCCESS);
    }

    private static ValidatorSet trustedNextValidators(LightBlock trusted) {
        ValidatorSet next = trusted.nextValidators().orElseThrow(() -> new IllegalArgumentException(
                "trusted block at height " + trusted.height() + " has no next validator set; skipping verification needs it"));
        Bytes hash = Hashes.validatorSet(next);
        if (!hash.equals(trusted.header().nextValidatorsHash())) {
            throw new IllegalArgumentException("trusted block at height " + trusted.height() + " commits to next validators "
                    + trusted.header().nextValidatorsHash().hex() + " but carries a set hashing to " + hash.hex());
        }
        return next;
    }

    /** Steps 1 to 4: the checks adjacent and skipping verification share. */
    private static Optional<Failure> common(LightBlock trusted, LightBlock untrusted, VerificationOptions options, Instant now) {
        Header h = untrusted.header();
        return Predicates.firstFailure(
                () -> Predicates.isWithinTrustingPeriod(trusted.header(), options.trustingPeriod(), now),
                () -> Predicates.isHeaderFromPast(h, options.maxClockDrift(), now),
                () -> Predicates.isWellFormed(untrusted.signedHeader(), trusted.header().chainId()),
                () -> Predicates.isWellFormed(untrusted.validators(), "validator_set"),
                () -> Predicates.hasOneSignaturePerValidator(untrusted.commit(), untrusted.validators()),
                () -> Predicates.validatorSetMatches(h, untrusted.validators()),
                () -> untrusted.nextValidators().flatMap(next -> Predicates.nextValidatorSetMatches(h, next)));
    }
}
