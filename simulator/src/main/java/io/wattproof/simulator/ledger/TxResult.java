package io.wattproof.simulator.ledger;

import java.util.Objects;

/**
 * What the application made of one transaction (ABCI {@code ExecTxResult} / {@code CheckTx}
 * response). Code 0 is success; the others are {@code wattproof.v1.TxResultCode} values.
 *
 * @param log lowercase, names the field, expected and actual values; empty on success
 * @param data application bytes returned with the result (deterministic; may be empty)
 */
public record TxResult(int code, String log, byte[] data) {
    public TxResult {
        Objects.requireNonNull(log, "log");
        data = data.clone();
    }

    public static TxResult ok() {
        return new TxResult(0, "", new byte[0]);
    }

    public static TxResult refused(int code, String log) {
        if (code == 0) {
            throw new IllegalArgumentException("code: a refusal has a code other than 0");
        }
        return new TxResult(code, log, new byte[0]);
    }

    public boolean isOk() {
        return code == 0;
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TxResult r && code == r.code && log.equals(r.log) && java.util.Arrays.equals(data, r.data);
    }

    @Override
    public int hashCode() {
        return code * 31 + log.hashCode();
    }
}
