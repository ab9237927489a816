package io.wattproof.simulator.ledger;

import java.util.List;

/**
 * The application's answer to one block: a result per transaction and the hash of the state it
 * committed, which the next block's header carries as {@code app_hash}.
 */
public record BlockResult(List<TxResult> txResults, byte[] appHash) {
    public BlockResult {
        txResults = List.copyOf(txResults);
        appHash = appHash.clone();
    }

    @Override
    public byte[] appHash() {
        return appHash.clone();
    }
}
