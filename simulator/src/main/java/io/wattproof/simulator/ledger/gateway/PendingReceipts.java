package io.wattproof.simulator.ledger.gateway;

import io.wattproof.lightclient.types.Bytes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Who is waiting for the receipt of a transaction in the mempool: tx hash to its submitter, at most
 * {@code limit} entries. An entry goes when its receipt is sent; past the limit the oldest is
 * forgotten (a transaction the ledger never commits must not hold memory for ever). A device whose
 * entry was forgotten re-submits after its timeout and gets the receipt then
 * ({@code RESULT_ALREADY_INCLUDED}). Thread-safe.
 */
final class PendingReceipts {
    private final int limit;
    private final Map<Bytes, Topics.Source> byHash;
    private long forgotten;

    PendingReceipts(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit: expected >= 1, got " + limit);
        }
        this.limit = limit;
        this.byHash = new LinkedHashMap<>();
    }

    synchronized void remember(Bytes txHash, Topics.Source submitter) {
        byHash.remove(txHash); // a re-submission counts as the newest
        byHash.put(txHash, submitter);
        while (byHash.size() > limit) {
            var eldest = byHash.keySet().iterator();
            eldest.next();
            eldest.remove();
            forgotten++;
        }
    }

    /** The submitter waiting for {@code txHash}, removed from the map. */
    synchronized Optional<Topics.Source> take(Bytes txHash) {
        return Optional.ofNullable(byHash.remove(txHash));
    }

    synchronized int size() {
        return byHash.size();
    }

    /** Entries dropped because the map was full. */
    synchronized long forgotten() {
        return forgotten;
    }
}
