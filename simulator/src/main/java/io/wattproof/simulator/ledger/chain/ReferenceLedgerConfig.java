package io.wattproof.simulator.ledger.chain;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * How the reference ledger runs.
 *
 * @param chainId the header's chain id, 1..50 characters (CometBFT {@code MaxChainIDLen})
 * @param validators validators at genesis, 1..{@value #MAX_VALIDATORS}
 * @param blockInterval time between blocks on the producer thread, &gt; 0
 * @param valsetChangeEvery H: the validator set changes at heights H, 2H, ... ({@link ValidatorSchedule}); 0 = never
 * @param seed derives every validator key, so a run can be repeated; empty = fresh random keys
 * @param maxTxsPerBlock the most transactions one block takes from the mempool, ≥ 1
 * @param mempoolCapacity the most transactions waiting in the mempool, ≥ 1 (CometBFT
 *     {@code mempool.size}, default 5000); beyond it {@code submit} fails as CometBFT's
 *     {@code broadcast_tx_sync} does with "mempool is full"
 * @param clock block times; a stopped clock still gives strictly increasing times
 */
public record ReferenceLedgerConfig(
        String chainId,
        int validators,
        Duration blockInterval,
        long valsetChangeEvery,
        OptionalLong seed,
        int maxTxsPerBlock,
        int mempoolCapacity,
        Clock clock) {
    public static final String DEFAULT_CHAIN_ID = "wattproof-sim";
    public static final int DEFAULT_VALIDATORS = 4;
    public static final Duration DEFAULT_BLOCK_INTERVAL = Duration.ofSeconds(1);
    public static final int DEFAULT_MAX_TXS_PER_BLOCK = 10_000;
    public static final int DEFAULT_MEMPOOL_CAPACITY = 5_000;
    /** CometBFT types/vote_set.go {@code MaxVotesCount} is 10000; a simulator needs far fewer. */
    public static final int MAX_VALIDATORS = 1_000;
    /** CometBFT types/genesis.go {@code MaxChainIDLen}. */
    public static final int MAX_CHAIN_ID_LENGTH = 50;

    public ReferenceLedgerConfig {
        Objects.requireNonNull(chainId, "chainId");
        Objects.requireNonNull(blockInterval, "blockInterval");
        Objects.requireNonNull(seed, "seed");
        Objects.requireNonNull(clock, "clock");
        if (chainId.isEmpty() || chainId.length() > MAX_CHAIN_ID_LENGTH) {
            throw new IllegalArgumentException("chainId: expected 1.." + MAX_CHAIN_ID_LENGTH + " characters, got "
                    + chainId.length() + ": \"" + chainId + "\"");
        }
        if (validators < 1 || validators > MAX_VALIDATORS) {
            throw new IllegalArgumentException("validators: expected 1.." + MAX_VALIDATORS + ", got " + validators);
        }
        if (blockInterval.isNegative() || blockInterval.isZero()) {
            throw new IllegalArgumentException("blockInterval: expected > 0, got " + blockInterval);
        }
        if (valsetChangeEvery < 0) {
            throw new IllegalArgumentException("valsetChangeEvery: expected ≥ 0 (0 = never), got " + valsetChangeEvery);
        }
        if (maxTxsPerBlock < 1) {
            throw new IllegalArgumentException("maxTxsPerBlock: expected ≥ 1, got " + maxTxsPerBlock);
        }
        if (mempoolCapacity < 1) {
            throw new IllegalArgumentException("mempoolCapacity: expected ≥ 1, got " + mempoolCapacity);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String chainId = DEFAULT_CHAIN_ID;
        private int validators = DEFAULT_VALIDATORS;
        private Duration blockInterval = DEFAULT_BLOCK_INTERVAL;
        private long valsetChangeEvery;
        private OptionalLong seed = OptionalLong.empty();
        private int maxTxsPerBlock = DEFAULT_MAX_TXS_PER_BLOCK;
        private int mempoolCapacity = DEFAULT_MEMPOOL_CAPACITY;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        public Builder chainId(String value) {
            this.chainId = value;
            return this;
        }

        public Builder validators(int value) {
            this.validators = value;
            return this;
        }

        public Builder blockInterval(Duration value) {
            this.blockInterval = value;
            return this;
        }

        public Builder valsetChangeEvery(long value) {
            this.valsetChangeEvery = value;
            return this;
        }

        public Builder seed(long value) {
            this.seed = OptionalLong.of(value);
            return this;
        }

        public Builder maxTxsPerBlock(int value) {
            this.maxTxsPerBlock = value;
            return this;
        }

        public Builder mempoolCapacity(int value) {
            this.mempoolCapacity = value;
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        public ReferenceLedgerConfig build() {
            return new ReferenceLedgerConfig(chainId, validators, blockInterval, valsetChangeEvery, seed, maxTxsPerBlock,
                    mempoolCapacity, clock);
        }
    }
}
