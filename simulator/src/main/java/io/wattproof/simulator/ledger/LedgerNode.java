package io.wattproof.simulator.ledger;

import io.wattproof.lightclient.types.LightBlock;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A ledger node as a gateway reaches it: the calls of a CometBFT node's RPC that the gateway needs
 * ({@code broadcast_tx_sync}, {@code /commit} with {@code /validators}, {@code /tx?prove=true}, the
 * {@code NewBlock} event subscription). The reference ledger answers in process; a real CometBFT
 * node answers over JSON-RPC. Nothing a node returns is trusted by the devices, which verify it.
 */
public interface LedgerNode extends AutoCloseable {

    String chainId();

    /** {@code broadcast_tx_sync}: the CheckTx result; code 0 means the transaction is in the mempool. */
    TxResult submit(byte[] tx) throws LedgerException;

    long latestHeight() throws LedgerException;

    /**
     * The light block at {@code height} (signed header and validator set) with the validator set of
     * {@code height + 1} attached when it is known; empty above the latest height.
     */
    Optional<LightBlock> lightBlock(long height) throws LedgerException;

    /** {@code /tx?hash=..&prove=true}: the transaction with that SHA-256, if it is in a block. */
    Optional<IncludedTx> findTx(byte[] txHash) throws LedgerException;

    /**
     * Calls {@code listener} once for every block committed from now on, in height order, on a
     * thread of the node's. Closing the returned handle stops the calls.
     */
    AutoCloseable onCommit(Consumer<CommittedBlock> listener) throws LedgerException;

    @Override
    void close();
}
