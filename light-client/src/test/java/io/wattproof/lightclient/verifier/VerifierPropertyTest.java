package io.wattproof.lightclient.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.wattproof.lightclient.ChainGenerator;
import io.wattproof.lightclient.ChainGenerator.TestValidator;
import io.wattproof.lightclient.types.BlockId;
import io.wattproof.lightclient.types.BlockIdFlag;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.Commit;
import io.wattproof.lightclient.types.CommitSig;
import io.wattproof.lightclient.types.ConsensusVersion;
import io.wattproof.lightclient.types.Header;
import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.lightclient.types.PartSetHeader;
import io.wattproof.lightclient.types.PublicKey;
import io.wattproof.lightclient.types.SignedHeader;
import io.wattproof.lightclient.types.Validator;
import io.wattproof.lightclient.types.ValidatorSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property tests over generated chains (random validator sets, powers and keys, real Ed25519 and
 * secp256k1 signatures): an honest block verifies, and any one changed byte in the header, a
 * signature, or a validator's key or power makes it INVALID.
 */
class VerifierPropertyTest {
    private static final String CHAIN = "prop-chain";
    private static final VerificationOptions OPTIONS = VerificationOptions.builder(Duration.ofDays(14)).build();
    private final Verifier verifier = new Verifier();

    static LongStream seeds() {
        return LongStream.range(0, 40);
    }

    /** A trusted block and an honest untrusted one, adjacent for even seeds and skipping for odd ones. */
    private record Case(LightBlock trusted, LightBlock untrusted, Instant now, ChainGenerator gen) {}

    private static Case honestCase(long seed) {
        ChainGenerator gen = new ChainGenerator(seed);
        Random r = gen.random();
        List<TestValidator> vals = gen.validators(1 + r.nextInt(8), true);
        // The next set keeps most of the current validators so that skipping finds enough trust.
        List<TestValidator> next = new ArrayList<>(vals);
        if (r.nextBoolean()) {
            next.add(gen.ed25519Validator(1 + r.nextInt(10)));
        }
        long height = 1 + r.nextInt(1000);
        Instant t0 = gen.time();
        LightBlock trusted = gen.block(CHAIN, height, t0, vals, next, v -> true);
        long gap = seed % 2 == 0 ? 1 : 2 + r.nextInt(100);
        Instant t1 = t0.plusSeconds(1 + r.nextInt(100_000)).plusNanos(r.nextInt(1_000_000_000));
        LightBlock untrusted = gen.block(CHAIN, height + gap, t1, gap == 1 ? next : vals, next, v -> true);
        return new Case(trusted, untrusted, t1.plusSeconds(1 + r.nextInt(1000)), gen);
    }

    private Verdict verify(Case c, LightBlock untrusted) {
        return verifier.verify(c.trusted, untrusted, OPTIONS, c.now);
    }

    private static LightBlock withSignedHeader(LightBlock b, SignedHeader sh) {
        return new LightBlock(sh, b.validators(), b.nextValidators());
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void anHonestBlockVerifies(long seed) {
        Case c = honestCase(seed);
        assertEquals(Verdict.SUCCESS, verify(c, c.untrusted));
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void everyHeaderFieldChangedByOneByteIsInvalid(long seed) {
        Case c = honestCase(seed);
        for (int field = 0; field < 14; field++) {
            Header changed = changeOneByte(c.untrusted.header(), field, c.gen.random());
            LightBlock b = withSignedHeader(c.untrusted, new SignedHeader(changed, c.untrusted.commit()));
            Verdict v = verify(c, b);
            assertInstanceOf(Verdict.Invalid.class, v, "field " + field + ": " + v);
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void everySignatureChangedByOneByteIsInvalid(long seed) {
        Case c = honestCase(seed);
        Commit commit = c.untrusted.commit();
        Random r = c.gen.random();
        for (int i = 0; i < commit.signatures().size(); i++) {
            CommitSig s = commit.signatures().get(i);
            List<CommitSig> sigs = new ArrayList<>(commit.signatures());
            sigs.set(i, new CommitSig(s.blockIdFlag(), s.validatorAddress(), s.timestamp(),
                    s.signature().withFlipped(r.nextInt(s.signature().length()), 1 << r.nextInt(8))));
            Commit changed = new Commit(commit.height(), commit.round(), commit.blockId(), sigs);
            Verdict v = verify(c, withSignedHeader(c.untrusted, new SignedHeader(c.untrusted.header(), changed)));
            Verdict.Invalid invalid = assertInstanceOf(Verdict.Invalid.class, v, "signature " + i);
            assertInstanceOf(Failure.InvalidSignature.class, invalid.reason());
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void everyValidatorKeyOrPowerChangedIsInvalid(long seed) {
        Case c = honestCase(seed);
        Random r = c.gen.random();
        List<Validator> vals = c.untrusted.validators().validators();
        for (int i = 0; i < vals.size(); i++) {
            Validator v = vals.get(i);
            PublicKey key = v.publicKey();
            PublicKey changedKey = new PublicKey(key.type(), key.bytes().withFlipped(r.nextInt(key.bytes().length()), 1 << r.nextInt(8)));
            // The key alone: the address no longer derives from it.
            assertInvalid(c, replace(vals, i, new Validator(v.address(), changedKey, v.votingPower(), v.proposerPriority())),
                    "key of validator " + i);
            // Key and address together: only the set's hash can tell.
            Verdict.Invalid hashMismatch = assertInvalid(c,
                    replace(vals, i, new Validator(changedKey.address(), changedKey, v.votingPower(), v.proposerPriority())),
                    "key and address of validator " + i);
            assertInstanceOf(Failure.ValidatorsHashMismatch.class, hashMismatch.reason());
            long power = v.votingPower() ^ (1L << r.nextInt(10));
            assertInvalid(c, replace(vals, i, v.withVotingPower(power)), "power of validator " + i);
        }
    }

    private Verdict.Invalid assertInvalid(Case c, ValidatorSet vals, String what) {
        LightBlock b = new LightBlock(c.untrusted.signedHeader(), vals, c.untrusted.nextValidators());
        return assertInstanceOf(Verdict.Invalid.class, verify(c, b), what);
    }

    private static ValidatorSet replace(List<Validator> vals, int index, Validator v) {
        List<Validator> copy = new ArrayList<>(vals);
        copy.set(index, v);
        return new ValidatorSet(copy);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void removingSignaturesBelowTwoThirdsIsInvalidAndAboveIsSuccess(long seed) {
        ChainGenerator gen = new ChainGenerator(seed);
        List<TestValidator> vals = gen.validators(2 + gen.random().nextInt(7), true);
        Instant t0 = gen.time();
        LightBlock trusted = gen.block(CHAIN, 10, t0, vals, vals, v -> true);
        long total = ChainGenerator.set(vals).totalVotingPower();
        // Sign with a random subset; the verdict must follow the power that signed.
        Random r = gen.random();
        List<TestValidator> signers = vals.stream().filter(v -> r.nextBoolean()).toList();
        long signed = signers.stream().mapToLong(v -> v.validator().votingPower()).sum();
        LightBlock untrusted = gen.block(CHAIN, 11, t0.plusSeconds(5), vals, vals, signers::contains);
        Verdict v = verifier.verify(trusted, untrusted, OPTIONS, t0.plusSeconds(6));
        if (signed * 3 > total * 2) {
            assertEquals(Verdict.SUCCESS, v);
        } else {
            Verdict.Invalid invalid = assertInstanceOf(Verdict.Invalid.class, v);
            assertEquals(new Failure.InsufficientVotingPower(Failure.SignerSet.OWN_VALIDATORS, 11, signed, total, TrustThreshold.TWO_THIRDS),
                    invalid.reason());
        }
    }

    /** The header with one byte (or the smallest unit) of field {@code index} (0..13, proto order) changed. */
    static Header changeOneByte(Header h, int index, Random r) {
        return switch (index) {
            case 0 -> new Header(new ConsensusVersion(h.version().block(), h.version().app() ^ (1L << r.nextInt(8))),
                    h.chainId(), h.height(), h.time(), h.lastBlockId(), h.lastCommitHash(), h.dataHash(), h.validatorsHash(),
                    h.nextValidatorsHash(), h.consensusHash(), h.appHash(), h.lastResultsHash(), h.evidenceHash(), h.proposerAddress());
            case 1 -> new Header(h.version(), flipChar(h.chainId(), r), h.height(), h.time(), h.lastBlockId(), h.lastCommitHash(),
                    h.dataHash(), h.validatorsHash(), h.nextValidatorsHash(), h.consensusHash(), h.appHash(), h.lastResultsHash(),
                    h.evidenceHash(), h.proposerAddress());
            case 2 -> new Header(h.version(), h.chainId(), h.height() ^ (1L << r.nextInt(8)), h.time(), h.lastBlockId(),
                    h.lastCommitHash(), h.dataHash(), h.validatorsHash(), h.nextValidatorsHash(), h.consensusHash(), h.appHash(),
                    h.lastResultsHash(), h.evidenceHash(), h.proposerAddress());
            case 3 -> new Header(h.version(), h.chainId(), h.height(), h.time().plusNanos(1 + r.nextInt(255)), h.lastBlockId(),
                    h.lastCommitHash(), h.dataHash(), h.validatorsHash(), h.nextValidatorsHash(), h.consensusHash(), h.appHash(),
                    h.lastResultsHash(), h.evidenceHash(), h.proposerAddress());
            case 4 -> new Header(h.version(), h.chainId(), h.height(), h.time(), changeBlockId(h.lastBlockId(), r),
                    h.lastCommitHash(), h.dataHash(), h.validatorsHash(), h.nextValidatorsHash(), h.consensusHash(), h.appHash(),
                    h.lastResultsHash(), h.evidenceHash(), h.proposerAddress());
            case 5 -> new Header(h.version(), h.chainId(), h.height(), h.time(), h.lastBlockId(), flip(h.lastCommitHash(), r),
                    h.dataHash(), h.validatorsHash(), h.nextValidatorsHash(), h.consensusHash(), h.appHash(), h.lastResultsHash(),
                    h.evidenceHash(), h.proposerAddress());
            case 6 -> new Header(h.version(), h.chainId(), h.height(), h.time(), h.lastBlockId(), h.lastCommitHash(),
                    flip(h.dataHash(), r), h.validatorsHash(), h.nextValidatorsHash(), h.consensusHash(), h.appHash(),
                    h.lastResultsHash(), h.evidenceHash(), h.proposerAddress());
            case 7 -> new Header(h.version(), h.chainId(), h.height(), h.time(), h.lastBlockId(), h.lastCommitHash(), h.dataHash(),
                    flip(h.validatorsHash(), r), h.nextValidatorsHash(), h.consensusHash(), h.appHash(), h.lastResultsHash(),
                    h.evidenceHash(), h.proposerAddress());
            case 8 -> new Header(h.version(), h.chainId(), h.height(), h.time(), h.lastBlockId(), h.lastCommitHash(), h.dataHash(),
                    h.validatorsHash(), flip(h.nextValidatorsHash(), r), h.consensusHash(), h.appHash(), h.lastResultsHash(),
                    h.evidenceHash(), h.proposerAddress());
            case 9 -> new Header(h.version(), h.chainId(), h.height(), h.time(), h.lastBlockId(), h.lastCommitHash(), h.dataHash(),
                    h.validatorsHash(), h.nextValidatorsHash(), flip(h.consensusHash(), r), h.appHash(), h.lastResultsHash(),
                    h.evidenceHash(), h.proposerAddress());
            case 10 -> new Header(h.version(), h.chainId(), h.height(), h.time(), h.lastBlockId(), h.lastCommitHash(), h.dataHash(),
                    h.validatorsHash(), h.nextValidatorsHash(), h.consensusHash(),
                    h.appHash().isEmpty() ? Bytes.of(new byte[] {(byte) r.nextInt()}) : flip(h.appHash(), r),
                    h.lastResultsHash(), h.evidenceHash(), h.proposerAddress());
            case 11 -> new Header(h.version(), h.chainId(), h.height(), h.time(), h.lastBlockId(), h.lastCommitHash(), h.dataHash(),
                    h.validatorsHash(), h.nextValidatorsHash(), h.consensusHash(), h.appHash(), flip(h.lastResultsHash(), r),
                    h.evidenceHash(), h.proposerAddress());
            case 12 -> new Header(h.version(), h.chainId(), h.height(), h.time(), h.lastBlockId(), h.lastCommitHash(), h.dataHash(),
                    h.validatorsHash(), h.nextValidatorsHash(), h.consensusHash(), h.appHash(), h.lastResultsHash(),
                    flip(h.evidenceHash(), r), h.proposerAddress());
            case 13 -> new Header(h.version(), h.chainId(), h.height(), h.time(), h.lastBlockId(), h.lastCommitHash(), h.dataHash(),
                    h.validatorsHash(), h.nextValidatorsHash(), h.consensusHash(), h.appHash(), h.lastResultsHash(), h.evidenceHash(),
                    flip(h.proposerAddress(), r));
            default -> throw new IllegalArgumentException("no header field " + index);
        };
    }

    private static BlockId changeBlockId(BlockId id, Random r) {
        if (id.hash().isEmpty()) {
            return new BlockId(Bytes.of(new byte[32]), id.partSetHeader());
        }
        return switch (r.nextInt(3)) {
            case 0 -> new BlockId(flip(id.hash(), r), id.partSetHeader());
            case 1 -> new BlockId(id.hash(), new PartSetHeader(id.partSetHeader().total() ^ 1, id.partSetHeader().hash()));
            default -> new BlockId(id.hash(), new PartSetHeader(id.partSetHeader().total(), flip(id.partSetHeader().hash(), r)));
        };
    }

    private static Bytes flip(Bytes b, Random r) {
        return b.withFlipped(r.nextInt(b.length()), 1 << r.nextInt(8));
    }

    private static String flipChar(String s, Random r) {
        char[] c = s.toCharArray();
        int i = r.nextInt(c.length);
        c[i] = (char) (c[i] ^ 1);
        return new String(c);
    }

}
