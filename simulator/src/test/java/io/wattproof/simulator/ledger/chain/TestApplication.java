package io.wattproof.simulator.ledger.chain;

import io.wattproof.simulator.ledger.Application;
import io.wattproof.simulator.ledger.BlockResult;
import io.wattproof.simulator.ledger.TxResult;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A trivial application: CheckTx refuses an empty transaction and any starting with 0xFF (code 1);
 * execution answers code 11 for a transaction starting with 0xEE and 0 otherwise, with the
 * transaction's length as data; the app hash chains SHA-256 over every executed transaction.
 */
final class TestApplication implements Application {
    static final byte REFUSED = (byte) 0xFF;
    static final byte FAILS = (byte) 0xEE;

    private byte[] appHash = sha256("test-app genesis".getBytes(StandardCharsets.US_ASCII));
    /** Height → the app hash after that block, and the results of that block. */
    final Map<Long, byte[]> hashAfter = new ConcurrentHashMap<>();
    final Map<Long, List<TxResult>> resultsOf = new ConcurrentHashMap<>();
    final List<byte[]> executed = java.util.Collections.synchronizedList(new ArrayList<>());

    @Override
    public TxResult checkTx(byte[] tx) {
        if (tx.length == 0 || tx[0] == REFUSED) {
            return TxResult.refused(1, "tx: expected a first byte other than 0xff, got " + (tx.length == 0 ? "no bytes" : "0xff"));
        }
        return TxResult.ok();
    }

    @Override
    public BlockResult finalizeBlock(long height, Instant time, List<byte[]> txs) {
        List<TxResult> results = new ArrayList<>();
        for (byte[] tx : txs) {
            executed.add(tx.clone());
            byte[] next = new byte[appHash.length + 32];
            System.arraycopy(appHash, 0, next, 0, appHash.length);
            System.arraycopy(sha256(tx), 0, next, appHash.length, 32);
            appHash = sha256(next);
            results.add(tx[0] == FAILS
                    ? new TxResult(11, "tx: 0xee fails", new byte[] {(byte) tx.length})
                    : new TxResult(0, "", new byte[] {(byte) tx.length}));
        }
        hashAfter.put(height, appHash.clone());
        resultsOf.put(height, List.copyOf(results));
        return new BlockResult(results, appHash);
    }

    @Override
    public byte[] appHash() {
        return appHash.clone();
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
