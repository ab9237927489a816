package io.wattproof.simulator.ledger;

import java.time.Instant;
import java.util.List;

/**
 * A deterministic state machine run by the ledger's validators, in the shape of ABCI 2.0
 * (CometBFT spec/abci): every validator feeds it the same blocks and must reach the same state, so
 * nothing in it may depend on anything but the transactions and the block's height and time.
 *
 * <p>Not thread-safe: the chain calls it from one thread.
 */
public interface Application {

    /**
     * ABCI {@code CheckTx}: may {@code tx} enter the mempool, judged against the last committed
     * state? Cheap and without side effects; never throws for any bytes.
     */
    TxResult checkTx(byte[] tx);

    /**
     * ABCI {@code FinalizeBlock} followed by {@code Commit}: executes the block's transactions in
     * order at the block's time and commits the resulting state.
     *
     * @return one result per transaction, in order, and the hash of the committed state
     */
    BlockResult finalizeBlock(long height, Instant time, List<byte[]> txs);

    /** The hash of the committed state: of the genesis state before the first block. */
    byte[] appHash();
}
