package io.wattproof.lightclient.verifier;

import io.wattproof.lightclient.encoding.Hashes;
import io.wattproof.lightclient.encoding.SignBytes;
import io.wattproof.lightclient.types.BlockId;
import io.wattproof.lightclient.types.BlockIdFlag;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.Commit;
import io.wattproof.lightclient.types.CommitSig;
import io.wattproof.lightclient.types.Header;
import io.wattproof.lightclient.types.PublicKey;
import io.wattproof.lightclient.types.SignedHeader;
import io.wattproof.lightclient.types.Validator;
import io.wattproof.lightclient.types.ValidatorSet;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The single checks light-client verification is made of (CometBFT light/verifier.go,
 * tendermint-rs light-client-verifier predicates). Each is pure: values and {@code now} in, an empty
 * result or the failure with its values out. {@link Verifier} combines them in order.
 */
public final class Predicates {
    /** CometBFT types/block.go {@code MaxChainIDLen}. */
    public static final int MAX_CHAIN_ID_LENGTH = 50;
    /** SHA-256 output; every hash in a header is this long or empty (types/validation.go {@code ValidateHash}). */
    public static final int HASH_LENGTH = 32;
    /** crypto.AddressSize. */
    public static final int ADDRESS_LENGTH = 20;
    /** types/signable.go {@code MaxSignatureSize}. */
    public static final int MAX_SIGNATURE_LENGTH = 64;

    private Predicates() {}

    /** The first failure among {@code checks}, run in order until one fails; empty when all pass. */
    @SafeVarargs
    public static Optional<Failure> firstFailure(java.util.function.Supplier<Optional<Failure>>... checks) {
        for (var check : checks) {
            Optional<Failure> f = check.get();
            if (f.isPresent()) {
                return f;
            }
        }
        return Optional.empty();
    }

    /** light/verifier.go {@code HeaderExpired}: trusted while {@code time + trustingPeriod} is after {@code now}. */
    public static Optional<Failure> isWithinTrustingPeriod(Header trusted, Duration trustingPeriod, Instant now) {
        if (plus(trusted.time(), trustingPeriod).isAfter(now)) {
            return Optional.empty();
        }
        return Optional.of(new Failure.TrustedHeaderExpired(trusted.height(), trusted.time(), trustingPeriod, now));
    }

    /** The header's time must be strictly before {@code now + maxClockDrift}. */
    public static Optional<Failure> isHeaderFromPast(Header untrusted, Duration maxClockDrift, Instant now) {
        if (untrusted.time().isBefore(plus(now, maxClockDrift))) {
            return Optional.empty();
        }
        return Optional.of(new Failure.HeaderFromFuture(untrusted.height(), untrusted.time(), now, maxClockDrift));
    }

    /**
     * types/block.go {@code SignedHeader.ValidateBasic} and the checks it calls: the chain id is the
     * trusted one, header and commit fields are in range, the commit is for this header's height and
     * hash.
     */
    public static Optional<Failure> isWellFormed(SignedHeader sh, String trustedChainId) {
        Header h = sh.header();
        if (!h.chainId().equals(trustedChainId)) {
            return Optional.of(new Failure.ChainIdMismatch(trustedChainId, h.chainId()));
        }
        Optional<Failure> header = headerFields(h);
        if (header.isPresent()) {
            return header;
        }
        Commit c = sh.commit();
        if (c.height() != h.height()) {
            return Optional.of(new Failure.CommitHeightMismatch(h.height(), c.height()));
        }
        Optional<Failure> commit = commitFields(c);
        if (commit.isPresent()) {
            return commit;
        }
        Bytes headerHash = Hashes.header(h);
        if (!c.blockId().hash().equals(headerHash)) {
            return Optional.of(new Failure.CommitBlockHashMismatch(h.height(), headerHash, c.blockId().hash()));
        }
        return Optional.empty();
    }

    private static Optional<Failure> headerFields(Header h) {
        if (h.chainId().length() > MAX_CHAIN_ID_LENGTH) {
            return malformedHeader("chain_id", "longer than " + MAX_CHAIN_ID_LENGTH + " characters: " + h.chainId().length());
        }
        if (h.height() <= 0) {
            return malformedHeader("height", "must be positive, got " + h.height());
        }
        Optional<String> lastBlockId = blockIdProblem(h.lastBlockId());
        if (lastBlockId.isPresent()) {
            return malformedHeader("last_block_id", lastBlockId.get());
        }
        Map<String, Bytes> hashes = new LinkedHashMap<>();
        hashes.put("last_commit_hash", h.lastCommitHash());
        hashes.put("data_hash", h.dataHash());
        hashes.put("evidence_hash", h.evidenceHash());
        hashes.put("last_results_hash", h.lastResultsHash());
        hashes.put("validators_hash", h.validatorsHash());
        hashes.put("next_validators_hash", h.nextValidatorsHash());
        hashes.put("consensus_hash", h.consensusHash());
        for (Map.Entry<String, Bytes> e : hashes.entrySet()) {
            if (!e.getValue().isEmpty() && e.getValue().length() != HASH_LENGTH) {
                return malformedHeader(e.getKey(), "expected " + HASH_LENGTH + " bytes or none, got " + e.getValue().length()
                        + ": " + e.getValue().hex());
            }
        }
        if (h.proposerAddress().length() != ADDRESS_LENGTH) {
            return malformedHeader("proposer_address", "expected " + ADDRESS_LENGTH + " bytes, got "
                    + h.proposerAddress().length() + ": " + h.proposerAddress().hex());
        }
        return Optional.empty();
    }

    private static Optional<String> blockIdProblem(BlockId id) {
        if (!id.hash().isEmpty() && id.hash().length() != HASH_LENGTH) {
            return Optional.of("hash: expected " + HASH_LENGTH + " bytes or none, got " + id.hash().length() + ": " + id.hash().hex());
        }
        Bytes partsHash = id.partSetHeader().hash();
        if (!partsHash.isEmpty() && partsHash.length() != HASH_LENGTH) {
            return Optional.of("part_set_header.hash: expected " + HASH_LENGTH + " bytes or none, got " + partsHash.length()
                    + ": " + partsHash.hex());
        }
        return Optional.empty();
    }

    private static Optional<Failure> commitFields(Commit c) {
        if (c.round() < 0) {
            return malformedCommit("round", "must not be negative, got " + c.round());
        }
        if (c.blockId().isZero()) {
            return malformedCommit("block_id", "a commit cannot be for the nil block");
        }
        Optional<String> blockId = blockIdProblem(c.blockId());
        if (blockId.isPresent()) {
            return malformedCommit("block_id", blockId.get());
        }
        if (c.signatures().isEmpty()) {
            return malformedCommit("signatures", "no signatures");
        }
        for (int i = 0; i < c.signatures().size(); i++) {
            CommitSig s = c.signatures().get(i);
            String field = "signatures[" + i + "]";
            if (s.blockIdFlag() == BlockIdFlag.ABSENT) {
                if (!s.validatorAddress().isEmpty()) {
                    return malformedCommit(field, "absent signature has validator address " + s.validatorAddress().hex());
                }
                // CometBFT also wants Go's zero time here; tendermint-rs writes the Unix epoch instead and
                // accepts any. An absent slot's time is signed by no one and does not enter the header
                // hash, so both are accepted.
                if (!s.signature().isEmpty()) {
                    return malformedCommit(field, "absent signature has signature " + s.signature().hex());
                }
            } else {
                if (s.validatorAddress().length() != ADDRESS_LENGTH) {
                    return malformedCommit(field + ".validator_address", "expected " + ADDRESS_LENGTH + " bytes, got "
                            + s.validatorAddress().length() + ": " + s.validatorAddress().hex());
                }
                if (s.signature().isEmpty()) {
                    return malformedCommit(field + ".signature", "missing");
                }
                if (s.signature().length() > MAX_SIGNATURE_LENGTH) {
                    return malformedCommit(field + ".signature", "longer than " + MAX_SIGNATURE_LENGTH + " bytes: "
                            + s.signature().length());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * types/validator_set.go {@code ValidatorSet.ValidateBasic} and {@code Validator.ValidateBasic}:
     * not empty, no negative power, each address derived from its key, no address twice, total power
     * at most {@link ValidatorSet#MAX_TOTAL_VOTING_POWER}.
     */
    public static Optional<Failure> isWellFormed(ValidatorSet set, String name) {
        if (set.validators().isEmpty()) {
            return Optional.of(new Failure.MalformedValidatorSet(name, "empty validator set"));
        }
        Map<Bytes, Integer> seen = new HashMap<>();
        long total = 0;
        for (int i = 0; i < set.size(); i++) {
            Validator v = set.validators().get(i);
            String field = name + ".validators[" + i + "]";
            if (v.votingPower() < 0) {
                return Optional.of(new Failure.MalformedValidatorSet(field + ".voting_power", "negative: " + v.votingPower()));
            }
            Bytes derived = v.publicKey().address();
            if (!v.address().equals(derived)) {
                return Optional.of(new Failure.MalformedValidatorSet(field + ".address",
                        "expected " + derived.hex() + " (derived from the public key), got " + v.address().hex()));
            }
            Integer first = seen.putIfAbsent(v.address(), i);
            if (first != null) {
                return Optional.of(new Failure.MalformedValidatorSet(field + ".address",
                        "validator " + v.address().hex() + " appears twice (also at " + first + ")"));
            }
            total += v.votingPower();
            if (total > ValidatorSet.MAX_TOTAL_VOTING_POWER || total < 0) {
                return Optional.of(new Failure.MalformedValidatorSet(name, "total voting power exceeds "
                        + ValidatorSet.MAX_TOTAL_VOTING_POWER));
            }
        }
        return Optional.empty();
    }

    /** The header's {@code validators_hash} names exactly the supplied set. */
    public static Optional<Failure> validatorSetMatches(Header h, ValidatorSet vals) {
        Bytes hash = Hashes.validatorSet(vals);
        return hash.equals(h.validatorsHash())
                ? Optional.empty()
                : Optional.of(new Failure.ValidatorsHashMismatch(h.height(), h.validatorsHash(), hash));
    }

    /** The header's {@code next_validators_hash} names exactly the supplied next set. */
    public static Optional<Failure> nextValidatorSetMatches(Header h, ValidatorSet next) {
        Bytes hash = Hashes.validatorSet(next);
        return hash.equals(h.nextValidatorsHash())
                ? Optional.empty()
                : Optional.of(new Failure.NextValidatorsHashMismatch(h.height(), h.nextValidatorsHash(), hash));
    }

    /** types/block.go: one commit signature per validator of the block's set, absent ones included. */
    public static Optional<Failure> hasOneSignaturePerValidator(Commit c, ValidatorSet vals) {
        return c.signatures().size() == vals.size()
                ? Optional.empty()
                : Optional.of(new Failure.SignatureCountMismatch(c.height(), vals.size(), c.signatures().size()));
    }

    /** Adjacent headers: the new header's validators are the trusted header's next validators. */
    public static Optional<Failure> isValidNextValidatorSet(Header trusted, Header untrusted) {
        return untrusted.validatorsHash().equals(trusted.nextValidatorsHash())
                ? Optional.empty()
                : Optional.of(new Failure.AdjacentValidatorsMismatch(trusted.height(), trusted.nextValidatorsHash(),
                        untrusted.height(), untrusted.validatorsHash()));
    }

    public static Optional<Failure> isMonotonicHeight(Header trusted, Header untrusted) {
        return untrusted.height() > trusted.height()
                ? Optional.empty()
                : Optional.of(new Failure.NonIncreasingHeight(trusted.height(), untrusted.height()));
    }

    /**
     * Backwards verification (CometBFT light/client.go {@code backwards}, light/verifier.go
     * {@code VerifyBackwards}): {@code lower} sits one height below the trusted {@code higher}, has
     * the same chain id, an earlier time, and is the header whose hash {@code higher} names in its
     * {@code last_block_id}. The hash chains the two, so no signature is needed.
     */
    public static Optional<Failure> isHashLinked(Header lower, Header higher) {
        if (lower.height() != higher.height() - 1) {
            throw new IllegalArgumentException("backwards verification needs height " + (higher.height() - 1)
                    + ", got " + lower.height());
        }
        if (!lower.chainId().equals(higher.chainId())) {
            return Optional.of(new Failure.ChainIdMismatch(higher.chainId(), lower.chainId()));
        }
        if (!lower.time().isBefore(higher.time())) {
            return Optional.of(new Failure.NonIncreasingTime(lower.height(), lower.time(), higher.height(), higher.time()));
        }
        Bytes hash = Hashes.header(lower);
        if (!hash.equals(higher.lastBlockId().hash())) {
            return Optional.of(new Failure.BrokenHashLink(higher.height(), higher.lastBlockId().hash(), lower.height(), hash));
        }
        return Optional.empty();
    }

    /** BFT time strictly increases from block to block. */
    public static Optional<Failure> isMonotonicTime(Header trusted, Header untrusted) {
        return untrusted.time().isAfter(trusted.time())
                ? Optional.empty()
                : Optional.of(new Failure.NonIncreasingTime(trusted.height(), trusted.time(), untrusted.height(), untrusted.time()));
    }

    /**
     * Tallies the voting power of {@code set} that signed the commit for the header's block and
     * checks it exceeds {@code threshold} of the set's total (types/validator_set.go
     * {@code VerifyCommitLight}, {@code VerifyCommitLightTrusting}). Signers are looked up by address.
     * Every signature by a member of the set is verified, nil votes included, so that no invalid
     * signature passes unnoticed; only votes for the block count. A member that signed twice is
     * refused rather than counted twice. When {@code signersMustBeMembers} (the block's own set) a
     * signature by a non-member is refused; against a trusted older set non-members are skipped.
     *
     * @param verified signatures already found valid in this verification, by index, with the key
     *     that verified them; filled in here so a second tally does not verify them again
     */
    public static Optional<Failure> hasEnoughSignedPower(
            Failure.SignerSet setName,
            SignedHeader sh,
            ValidatorSet set,
            TrustThreshold threshold,
            boolean signersMustBeMembers,
            ConsensusSignatures signatures,
            Map<Integer, PublicKey> verified) {
        Commit c = sh.commit();
        Map<Bytes, Validator> members = new HashMap<>();
        for (Validator v : set.validators()) {
            members.put(v.address(), v);
        }
        Map<Bytes, Integer> seen = new HashMap<>();
        long tallied = 0;
        for (int i = 0; i < c.signatures().size(); i++) {
            CommitSig s = c.signatures().get(i);
            if (s.blockIdFlag() == BlockIdFlag.ABSENT) {
                continue;
            }
            Validator v = members.get(s.validatorAddress());
            if (v == null) {
                if (signersMustBeMembers) {
                    return Optional.of(new Failure.UnknownSigner(c.height(), i, s.validatorAddress()));
                }
                continue;
            }
            Integer first = seen.putIfAbsent(s.validatorAddress(), i);
            if (first != null) {
                return Optional.of(new Failure.DuplicateSignature(c.height(), first, i, s.validatorAddress()));
            }
            if (!v.publicKey().equals(verified.get(i))) {
                byte[] signBytes = SignBytes.precommit(sh.header().chainId(), c, i);
                if (!signatures.isValid(v.publicKey(), signBytes, s.signature())) {
                    return Optional.of(new Failure.InvalidSignature(c.height(), i, s.validatorAddress(), s.signature()));
                }
                verified.put(i, v.publicKey());
            }
            if (s.blockIdFlag() == BlockIdFlag.COMMIT) {
                tallied += v.votingPower();
            }
        }
        long total = set.totalVotingPower();
        if (threshold.isExceededBy(tallied, total)) {
            return Optional.empty();
        }
        return Optional.of(new Failure.InsufficientVotingPower(setName, sh.header().height(), tallied, total, threshold));
    }

    private static Optional<Failure> malformedHeader(String field, String problem) {
        return Optional.of(new Failure.MalformedHeader(field, problem));
    }

    private static Optional<Failure> malformedCommit(String field, String problem) {
        return Optional.of(new Failure.MalformedCommit(field, problem));
    }

    /** {@code t + d}, saturating at the ends of {@link Instant}'s range instead of throwing. */
    static Instant plus(Instant t, Duration d) {
        try {
            return t.plus(d);
        } catch (DateTimeException | ArithmeticException e) {
            return d.isNegative() ? Instant.MIN : Instant.MAX;
        }
    }
}
