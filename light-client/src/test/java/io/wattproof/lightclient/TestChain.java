package io.wattproof.lightclient;

import io.wattproof.lightclient.ChainGenerator.TestValidator;
import io.wattproof.lightclient.encoding.Hashes;
import io.wattproof.lightclient.types.BlockId;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.ConsensusVersion;
import io.wattproof.lightclient.types.Header;
import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.lightclient.types.PartSetHeader;
import io.wattproof.lightclient.types.SignedHeader;
import io.wattproof.lightclient.types.ValidatorSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.LongFunction;

/**
 * A hash-linked chain of light blocks: every header names its predecessor in
 * {@code last_block_id}, validators follow a schedule, and every validator signs. Headers are built
 * up front (cheap); commits are signed when a block is first asked for, so a chain of 10,000
 * heights costs only the blocks a test fetches.
 *
 * <p>{@link #fork} gives a chain that shares the headers below a height and differs from there on,
 * signed by the same validators: what a light-client attack by a primary looks like.
 */
public final class TestChain {
    private final ChainGenerator gen;
    private final String chainId;
    private final LongFunction<List<TestValidator>> validatorsAt;
    private final List<Header> headers = new ArrayList<>();
    private final List<BlockId> blockIds = new ArrayList<>();
    private final Map<Long, LightBlock> signed = new HashMap<>();
    private final Map<List<TestValidator>, ValidatorSet> sets = new IdentityHashMap<>();

    /**
     * @param validatorsAt the validators at a height; return the same list object for the heights
     *     a set lasts, so its hash is computed once
     */
    public TestChain(long seed, String chainId, Instant genesis, Duration interval, long heights,
            LongFunction<List<TestValidator>> validatorsAt) {
        this(new ChainGenerator(seed), chainId, validatorsAt);
        extend(genesis, interval, heights);
    }

    private TestChain(ChainGenerator gen, String chainId, LongFunction<List<TestValidator>> validatorsAt) {
        this.gen = gen;
        this.chainId = chainId;
        this.validatorsAt = validatorsAt;
    }

    private void extend(Instant firstTime, Duration interval, long upTo) {
        Random r = gen.random();
        for (long h = headers.size() + 1; h <= upTo; h++) {
            BlockId last = h == 1 ? BlockId.EMPTY : blockIds.get((int) h - 2);
            Instant time = h == 1 ? firstTime : headers.get((int) h - 2).time().plus(interval);
            ValidatorSet vals = set(validatorsAt.apply(h));
            ValidatorSet next = set(validatorsAt.apply(h + 1));
            Header header = new Header(new ConsensusVersion(11, 1), chainId, h, time, last, gen.hash(), gen.hash(),
                    Hashes.validatorSet(vals), Hashes.validatorSet(next), gen.hash(), gen.hash(), gen.hash(), gen.hash(),
                    vals.validators().get(0).address());
            headers.add(header);
            blockIds.add(new BlockId(Hashes.header(header), new PartSetHeader(1 + r.nextInt(4), gen.hash())));
        }
    }

    /** Same headers below {@code height}, different ones (other app hashes) from there, same validators. */
    public TestChain fork(long height, long seed) {
        TestChain f = new TestChain(new ChainGenerator(seed), chainId, validatorsAt);
        for (int i = 0; i < height - 1; i++) {
            f.headers.add(headers.get(i));
            f.blockIds.add(blockIds.get(i));
        }
        Header at = headers.get((int) height - 1);
        Duration interval = Duration.between(headers.get(0).time(), headers.get(1).time());
        f.extend(at.time(), interval, headers.size());
        return f;
    }

    public long height() {
        return headers.size();
    }

    public String chainId() {
        return chainId;
    }

    public Header header(long height) {
        return headers.get((int) height - 1);
    }

    /** The signed block at {@code height} with its validators and next validators. */
    public synchronized LightBlock block(long height) {
        if (height < 1 || height > headers.size()) {
            throw new IllegalArgumentException("chain has heights 1.." + headers.size() + ", asked for " + height);
        }
        return signed.computeIfAbsent(height, h -> {
            Header header = header(h);
            List<TestValidator> vals = validatorsAt.apply(h);
            ValidatorSet set = set(vals);
            return new LightBlock(new SignedHeader(header, gen.commit(chainId, header, blockIds.get(h.intValue() - 1), vals, set, v -> true)),
                    set, Optional.of(set(validatorsAt.apply(h + 1))));
        });
    }

    private ValidatorSet set(List<TestValidator> vals) {
        return sets.computeIfAbsent(vals, ChainGenerator::set);
    }

    /**
     * {@code n} validators of equal power; every {@code every} heights the {@code replaced} longest
     * serving ones leave and as many new ones join. Height 1 starts epoch 0.
     */
    public static LongFunction<List<TestValidator>> rotating(long seed, int n, int replaced, long every, long heights) {
        ChainGenerator g = new ChainGenerator(seed);
        List<List<TestValidator>> epochs = new ArrayList<>();
        List<TestValidator> current = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            current.add(g.ed25519Validator(100));
        }
        epochs.add(List.copyOf(current));
        for (long e = 1; e <= heights / every + 1; e++) {
            for (int i = 0; i < replaced; i++) {
                current.remove(0);
                current.add(g.ed25519Validator(100));
            }
            epochs.add(List.copyOf(current));
        }
        return h -> epochs.get((int) ((h - 1) / every));
    }

    /** The same {@code n} validators (power 100) at every height. */
    public static LongFunction<List<TestValidator>> fixed(long seed, int n) {
        ChainGenerator g = new ChainGenerator(seed);
        List<TestValidator> vals = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            vals.add(g.ed25519Validator(100));
        }
        List<TestValidator> frozen = List.copyOf(vals);
        return h -> frozen;
    }

    /** The header hash of {@code height}. */
    public Bytes hash(long height) {
        return blockIds.get((int) height - 1).hash();
    }
}
