package io.wattproof.lightclient.types;

import java.util.Objects;

/**
 * The deterministic part of one transaction's result as a block's {@code last_results_hash} commits
 * to it (abci {@code DeterministicExecTxResult}, types/results.go): the fields a node must agree on.
 *
 * @param code uint32 result code, 0 = accepted; kept as read (0 .. 2^32 - 1)
 * @param data the application's result bytes
 * @param gasWanted int64 as written by the application
 * @param gasUsed int64 as written by the application
 */
public record ExecResult(long code, Bytes data, long gasWanted, long gasUsed) {
    public ExecResult {
        Objects.requireNonNull(data, "data");
    }

    public boolean isOk() {
        return code == 0;
    }
}
