package io.wattproof.lightclient;

import io.wattproof.lightclient.ChainGenerator.TestValidator;
import io.wattproof.lightclient.encoding.Hashes;
import io.wattproof.lightclient.encoding.SignBytes;
import io.wattproof.lightclient.json.ChainDump;
import io.wattproof.lightclient.json.CometJsonWriter;
import io.wattproof.lightclient.json.ConsensusParams;
import io.wattproof.lightclient.types.BlockId;
import io.wattproof.lightclient.types.BlockIdFlag;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.Commit;
import io.wattproof.lightclient.types.CommitSig;
import io.wattproof.lightclient.types.ConsensusVersion;
import io.wattproof.lightclient.types.GenesisDoc;
import io.wattproof.lightclient.types.Header;
import io.wattproof.lightclient.types.PartSetHeader;
import io.wattproof.lightclient.types.SignedHeader;
import io.wattproof.lightclient.types.Validator;
import io.wattproof.lightclient.types.ValidatorSet;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongFunction;

/**
 * A whole chain from genesis, as a node would have it: hash-linked headers whose first time is the
 * genesis time, validators on a schedule (Ed25519 and secp256k1 keys), and commits in which one
 * validator may be absent or vote nil while more than 2/3 of the power signs the block. Every
 * signature is real. {@link #writeDump} writes it as a {@link ChainDump} with {@link CometJsonWriter}.
 */
public final class LinkedChain {
    private final String chainId;
    private final Instant genesisTime;
    private final ConsensusParams params;
    private final List<SignedHeader> blocks = new ArrayList<>();
    private final List<ValidatorSet> sets = new ArrayList<>();
    private final ValidatorSet nextAfterLast;

    /**
     * @param validatorsAt the validators at a height (1 and up); return the same list object for the
     *     heights a set lasts
     * @param absentOrNil whether commits may leave one validator out (absent on even heights, nil
     *     vote on odd ones) when the others hold more than 2/3 of the power
     */
    public LinkedChain(long seed, String chainId, long heights, LongFunction<List<TestValidator>> validatorsAt,
            ConsensusParams params, boolean absentOrNil) {
        ChainGenerator gen = new ChainGenerator(seed);
        Random r = gen.random();
        this.chainId = chainId;
        this.params = params;
        this.genesisTime = Instant.parse("2026-11-01T08:00:00.123456789Z");
        Map<List<TestValidator>, ValidatorSet> cache = new HashMap<>();
        BlockId last = BlockId.EMPTY;
        Instant time = genesisTime;
        for (long h = 1; h <= heights; h++) {
            List<TestValidator> vals = validatorsAt.apply(h);
            ValidatorSet set = cache.computeIfAbsent(vals, ChainGenerator::set);
            ValidatorSet next = cache.computeIfAbsent(validatorsAt.apply(h + 1), ChainGenerator::set);
            Header header = new Header(new ConsensusVersion(11, 1), chainId, h, time, last, h == 1 ? Bytes.EMPTY : gen.hash(),
                    gen.hash(), Hashes.validatorSet(set), Hashes.validatorSet(next), params.hash(),
                    h == 1 ? Bytes.EMPTY : Bytes.of(gen.bytes(8)), gen.hash(), gen.hash(), set.validators().get(0).address());
            BlockId id = new BlockId(Hashes.header(header), new PartSetHeader(1, gen.hash()));
            blocks.add(new SignedHeader(header, commit(r, header, id, vals, set, absentOrNil)));
            sets.add(set);
            last = id;
            time = time.plus(Duration.ofMillis(900 + r.nextInt(200))).plusNanos(r.nextInt(1000));
        }
        nextAfterLast = cache.computeIfAbsent(validatorsAt.apply(heights + 1), ChainGenerator::set);
    }

    private Commit commit(Random r, Header header, BlockId id, List<TestValidator> vals, ValidatorSet set, boolean absentOrNil) {
        Map<Bytes, TestValidator> byAddress = new HashMap<>();
        for (TestValidator v : vals) {
            byAddress.put(v.address(), v);
        }
        int left = -1;
        if (absentOrNil) {
            int j = r.nextInt(set.size());
            long others = set.totalVotingPower() - set.validators().get(j).votingPower();
            if (others * 3 > set.totalVotingPower() * 2) {
                left = j;
            }
        }
        int round = r.nextInt(2);
        List<CommitSig> sigs = new ArrayList<>();
        for (int i = 0; i < set.size(); i++) {
            sigs.add(CommitSig.absent());
        }
        for (int i = 0; i < set.size(); i++) {
            Validator v = set.validators().get(i);
            BlockIdFlag flag = BlockIdFlag.COMMIT;
            if (i == left) {
                if (header.height() % 2 == 0) {
                    continue;
                }
                flag = BlockIdFlag.NIL;
            }
            Instant ts = header.time().plusMillis(1 + r.nextInt(800)).plusNanos(r.nextInt(1_000_000));
            sigs.set(i, new CommitSig(flag, v.address(), ts, Bytes.EMPTY));
            byte[] signBytes = SignBytes.precommit(chainId, new Commit(header.height(), round, id, sigs), i);
            sigs.set(i, new CommitSig(flag, v.address(), ts, byAddress.get(v.address()).sign(signBytes)));
        }
        return new Commit(header.height(), round, id, sigs);
    }

    public String chainId() {
        return chainId;
    }

    public Instant genesisTime() {
        return genesisTime;
    }

    public long height() {
        return blocks.size();
    }

    public SignedHeader signedHeader(long height) {
        return blocks.get((int) height - 1);
    }

    public ValidatorSet validators(long height) {
        return height == blocks.size() + 1 ? nextAfterLast : sets.get((int) height - 1);
    }

    public GenesisDoc genesis() {
        return new GenesisDoc(chainId, 1, sets.get(0));
    }

    /** genesis.json, commit_1..H.json and validators_1..H.json under {@code dump.chainDir()}. */
    public void writeDump(ChainDump dump) throws IOException {
        Files.createDirectories(dump.chainDir());
        Files.writeString(dump.genesis(), CometJsonWriter.genesis(genesis(), genesisTime, Bytes.EMPTY, params));
        for (long h = 1; h <= height(); h++) {
            Files.writeString(dump.commit(h), CometJsonWriter.commit(signedHeader(h), h < height()));
            Files.writeString(dump.validators(h), CometJsonWriter.validators(h, validators(h)));
        }
    }

    /** {@code n} validators on a schedule: every {@code every} heights one leaves and one joins; about one in four keys is secp256k1. */
    public static LongFunction<List<TestValidator>> changing(long seed, int n, long every, long heights) {
        ChainGenerator g = new ChainGenerator(seed);
        List<List<TestValidator>> epochs = new ArrayList<>();
        List<TestValidator> current = new ArrayList<>(g.validators(n, true));
        epochs.add(List.copyOf(current));
        for (long e = 1; e <= heights / every + 1; e++) {
            current.remove(0);
            current.add(g.random().nextInt(4) == 0 ? g.secp256k1Validator(1 + g.random().nextInt(1000))
                    : g.ed25519Validator(1 + g.random().nextInt(1000)));
            epochs.add(List.copyOf(current));
        }
        return h -> epochs.get((int) ((h - 1) / every));
    }
}
