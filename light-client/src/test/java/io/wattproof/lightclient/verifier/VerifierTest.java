package io.wattproof.lightclient.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.lightclient.ChainGenerator;
import io.wattproof.lightclient.ChainGenerator.TestValidator;
import io.wattproof.lightclient.encoding.SignBytes;
import io.wattproof.lightclient.types.BlockIdFlag;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.Commit;
import io.wattproof.lightclient.types.CommitSig;
import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.lightclient.types.SignedHeader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.junit.jupiter.api.Test;

/** Each verification rule on its own, with the reason and values it reports. */
class VerifierTest {
    private static final String CHAIN = "test-chain";
    private static final Duration PERIOD = Duration.ofHours(2);
    private static final VerificationOptions OPTIONS = VerificationOptions.builder(PERIOD)
            .maxClockDrift(Duration.ofSeconds(10)).build();
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00.123456789Z");

    private final ChainGenerator gen = new ChainGenerator(7);
    private final Verifier verifier = new Verifier();
    /** Three validators with power 1 each, so thresholds fall on exact thirds. */
    private final List<TestValidator> three = List.of(gen.ed25519Validator(1), gen.ed25519Validator(1), gen.ed25519Validator(1));
    private final LightBlock trusted = gen.block(CHAIN, 10, T0, three, three, v -> true);

    private Verdict verify(LightBlock untrusted, Instant now) {
        return verifier.verify(trusted, untrusted, OPTIONS, now);
    }

    private static Failure invalidReason(Verdict v) {
        return assertInstanceOf(Verdict.Invalid.class, v).reason();
    }

    @Test
    void adjacentAndSkippingBlocksSignedByAllVerify() {
        assertEquals(Verdict.SUCCESS, verify(gen.block(CHAIN, 11, T0.plusSeconds(5), three, three, v -> true), T0.plusSeconds(6)));
        assertEquals(Verdict.SUCCESS, verify(gen.block(CHAIN, 50, T0.plusSeconds(500), three, three, v -> true), T0.plusSeconds(501)));
    }

    @Test
    void exactlyTwoThirdsIsNotEnoughAndMoreIs() {
        LightBlock twoOfThree = gen.block(CHAIN, 11, T0.plusSeconds(5), three, three, v -> v != three.get(0));
        assertEquals(new Failure.InsufficientVotingPower(Failure.SignerSet.OWN_VALIDATORS, 11, 2, 3, TrustThreshold.TWO_THIRDS),
                invalidReason(verify(twoOfThree, T0.plusSeconds(6))));
        assertEquals("signatures for the block at height 11 carry 2 of 3 voting power of the block's own validators, need more than 2/3 of 3",
                verify(twoOfThree, T0.plusSeconds(6)).explanation());
    }

    @Test
    void skippingWithExactlyOneThirdOfTheTrustedPowerIsNotEnoughTrust() {
        // The new block's own set is the old one plus a heavy newcomer; only one old validator signs.
        TestValidator newcomer = gen.ed25519Validator(100);
        List<TestValidator> grown = List.of(three.get(0), three.get(1), three.get(2), newcomer);
        LightBlock untrusted = gen.block(CHAIN, 20, T0.plusSeconds(50), grown, grown, v -> v == newcomer || v == three.get(0));
        Verdict v = verify(untrusted, T0.plusSeconds(60));
        Verdict.NotEnoughTrust net = assertInstanceOf(Verdict.NotEnoughTrust.class, v);
        assertEquals(new Failure.InsufficientVotingPower(Failure.SignerSet.TRUSTED_NEXT_VALIDATORS, 20, 1, 3, TrustThreshold.ONE_THIRD), net.reason());
        // Two of the three old validators are more than a third: trusted.
        LightBlock enough = gen.block(CHAIN, 20, T0.plusSeconds(50), grown, grown, v2 -> v2 != three.get(2));
        assertEquals(Verdict.SUCCESS, verify(enough, T0.plusSeconds(60)));
    }

    @Test
    void aTrustedHeaderAtTheEndOfItsTrustingPeriodHasExpired() {
        LightBlock untrusted = gen.block(CHAIN, 11, T0.plusSeconds(5), three, three, v -> true);
        Instant expiry = T0.plus(PERIOD);
        assertEquals(new Failure.TrustedHeaderExpired(10, T0, PERIOD, expiry), invalidReason(verify(untrusted, expiry)));
        assertEquals(Verdict.SUCCESS, verify(untrusted, expiry.minusNanos(1)));
    }

    @Test
    void aHeaderAtNowPlusDriftIsFromTheFuture() {
        Instant now = T0.plusSeconds(100);
        LightBlock atLimit = gen.block(CHAIN, 11, now.plusSeconds(10), three, three, v -> true);
        assertEquals(new Failure.HeaderFromFuture(11, now.plusSeconds(10), now, Duration.ofSeconds(10)),
                invalidReason(verify(atLimit, now)));
        LightBlock justBefore = gen.block(CHAIN, 11, now.plusSeconds(10).minusNanos(1), three, three, v -> true);
        assertEquals(Verdict.SUCCESS, verify(justBefore, now));
    }

    @Test
    void timeMustIncrease() {
        LightBlock sameTime = gen.block(CHAIN, 12, T0, three, three, v -> true);
        assertEquals(new Failure.NonIncreasingTime(10, T0, 12, T0), invalidReason(verify(sameTime, T0.plusSeconds(1))));
    }

    @Test
    void heightMustIncrease() {
        LightBlock lower = gen.block(CHAIN, 9, T0.plusSeconds(1), three, three, v -> true);
        assertEquals(new Failure.NonIncreasingHeight(10, 9), invalidReason(verify(lower, T0.plusSeconds(2))));
    }

    @Test
    void adjacentBlockMustBeSignedByTheAnnouncedValidators() {
        List<TestValidator> others = gen.validators(3, false);
        LightBlock untrusted = gen.block(CHAIN, 11, T0.plusSeconds(5), others, others, v -> true);
        Failure f = invalidReason(verify(untrusted, T0.plusSeconds(6)));
        assertEquals(new Failure.AdjacentValidatorsMismatch(10, trusted.header().nextValidatorsHash(), 11,
                untrusted.header().validatorsHash()), f);
    }

    @Test
    void anotherChainIsRefused() {
        LightBlock untrusted = gen.block("other-chain", 11, T0.plusSeconds(5), three, three, v -> true);
        assertEquals(new Failure.ChainIdMismatch(CHAIN, "other-chain"), invalidReason(verify(untrusted, T0.plusSeconds(6))));
    }

    @Test
    void oneSignatureSlotPerValidator() {
        LightBlock b = gen.block(CHAIN, 11, T0.plusSeconds(5), three, three, v -> true);
        Commit c = b.commit();
        Commit shorter = new Commit(c.height(), c.round(), c.blockId(), c.signatures().subList(0, 2));
        LightBlock changed = new LightBlock(new SignedHeader(b.header(), shorter), b.validators(), b.nextValidators());
        assertEquals(new Failure.SignatureCountMismatch(11, 3, 2), invalidReason(verify(changed, T0.plusSeconds(6))));
    }

    @Test
    void aValidatorThatSignsTwiceIsRefusedNotCountedTwice() {
        LightBlock b = gen.block(CHAIN, 11, T0.plusSeconds(5), three, three, v -> true);
        List<CommitSig> sigs = new ArrayList<>(b.commit().signatures());
        sigs.set(1, sigs.get(0));
        LightBlock changed = withSigs(b, sigs);
        assertEquals(new Failure.DuplicateSignature(11, 0, 1, sigs.get(0).validatorAddress()),
                invalidReason(verify(changed, T0.plusSeconds(6))));
    }

    @Test
    void aSignerOutsideTheBlocksValidatorSetIsRefused() {
        TestValidator stranger = gen.ed25519Validator(5);
        LightBlock b = gen.block(CHAIN, 11, T0.plusSeconds(5), three, three, v -> true);
        List<CommitSig> sigs = new ArrayList<>(b.commit().signatures());
        CommitSig s = sigs.get(2);
        sigs.set(2, new CommitSig(BlockIdFlag.COMMIT, stranger.address(), s.timestamp(), Bytes.EMPTY));
        sigs.set(2, new CommitSig(BlockIdFlag.COMMIT, stranger.address(), s.timestamp(),
                stranger.sign(SignBytes.precommit(CHAIN, new Commit(11, b.commit().round(), b.commit().blockId(), sigs), 2))));
        assertEquals(new Failure.UnknownSigner(11, 2, stranger.address()), invalidReason(verify(withSigs(b, sigs), T0.plusSeconds(6))));
    }

    @Test
    void nilVotesAreCheckedButDoNotCount() {
        LightBlock b = gen.block(CHAIN, 11, T0.plusSeconds(5), three, three, v -> true);
        List<CommitSig> sigs = new ArrayList<>(b.commit().signatures());
        CommitSig s = sigs.get(0);
        TestValidator signer = three.stream().filter(v -> v.address().equals(s.validatorAddress())).findFirst().orElseThrow();
        sigs.set(0, new CommitSig(BlockIdFlag.NIL, s.validatorAddress(), s.timestamp(), Bytes.EMPTY));
        Commit c = new Commit(11, b.commit().round(), b.commit().blockId(), sigs);
        Bytes nilSignature = signer.sign(SignBytes.precommit(CHAIN, c, 0));
        sigs.set(0, new CommitSig(BlockIdFlag.NIL, s.validatorAddress(), s.timestamp(), nilSignature));
        // A valid nil vote: two of three for the block is not more than 2/3.
        assertEquals(new Failure.InsufficientVotingPower(Failure.SignerSet.OWN_VALIDATORS, 11, 2, 3, TrustThreshold.TWO_THIRDS),
                invalidReason(verify(withSigs(b, sigs), T0.plusSeconds(6))));
        // A nil vote whose signature is for the block instead: refused as a bad signature.
        sigs.set(0, new CommitSig(BlockIdFlag.NIL, s.validatorAddress(), s.timestamp(), s.signature()));
        assertInstanceOf(Failure.InvalidSignature.class, invalidReason(verify(withSigs(b, sigs), T0.plusSeconds(6))));
    }

    @Test
    void secp256k1ValidatorsVerifyAndHighSSignaturesAreRefused() {
        TestValidator k1 = gen.secp256k1Validator(10);
        List<TestValidator> mixed = List.of(k1, three.get(0));
        LightBlock start = gen.block(CHAIN, 10, T0, mixed, mixed, v -> true);
        LightBlock next = gen.block(CHAIN, 11, T0.plusSeconds(5), mixed, mixed, v -> true);
        assertEquals(Verdict.SUCCESS, verifier.verify(start, next, OPTIONS, T0.plusSeconds(6)));

        int slot = next.validators().validators().get(0).address().equals(k1.address()) ? 0 : 1;
        List<CommitSig> sigs = new ArrayList<>(next.commit().signatures());
        CommitSig s = sigs.get(slot);
        Bytes highS = ChainGenerator.signSecp256k1((ECPrivateKeyParameters) k1.privateKey(),
                SignBytes.precommit(CHAIN, next.commit(), slot), true);
        sigs.set(slot, new CommitSig(s.blockIdFlag(), s.validatorAddress(), s.timestamp(), highS));
        Failure f = invalidReason(verifier.verify(start, withSigs(next, sigs), OPTIONS, T0.plusSeconds(6)));
        assertEquals(new Failure.InvalidSignature(11, slot, k1.address(), highS), f);
    }

    @Test
    void aSuppliedNextValidatorSetMustMatchTheHeader() {
        LightBlock b = gen.block(CHAIN, 11, T0.plusSeconds(5), three, three, v -> true);
        var other = ChainGenerator.set(gen.validators(2, false));
        LightBlock changed = new LightBlock(b.signedHeader(), b.validators(), Optional.of(other));
        assertInstanceOf(Failure.NextValidatorsHashMismatch.class, invalidReason(verify(changed, T0.plusSeconds(6))));
    }

    @Test
    void skippingNeedsTheTrustedNextValidatorSet() {
        LightBlock noNext = new LightBlock(trusted.signedHeader(), trusted.validators());
        LightBlock untrusted = gen.block(CHAIN, 20, T0.plusSeconds(50), three, three, v -> true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> verifier.verify(noNext, untrusted, OPTIONS, T0.plusSeconds(60)));
        assertTrue(e.getMessage().contains("has no next validator set"), e.getMessage());
        // Adjacent verification only needs the trusted header's next_validators_hash.
        LightBlock adjacent = gen.block(CHAIN, 11, T0.plusSeconds(5), three, three, v -> true);
        assertEquals(Verdict.SUCCESS, verifier.verify(noNext, adjacent, OPTIONS, T0.plusSeconds(6)));
    }

    @Test
    void trustThresholdsBelowOneThirdAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TrustThreshold(1, 4));
        assertThrows(IllegalArgumentException.class, () -> new TrustThreshold(4, 3));
        assertTrue(new TrustThreshold(1, 3).isExceededBy(Long.MAX_VALUE / 8, Long.MAX_VALUE / 8));
        assertTrue(!TrustThreshold.TWO_THIRDS.isExceededBy(2, 3));
    }

    private static LightBlock withSigs(LightBlock b, List<CommitSig> sigs) {
        Commit c = b.commit();
        return new LightBlock(new SignedHeader(b.header(), new Commit(c.height(), c.round(), c.blockId(), sigs)),
                b.validators(), b.nextValidators());
    }
}
