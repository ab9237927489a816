package io.wattproof.simulator.ledger.gateway;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a gateway has done since it started, for the simulator's summary.
 *
 * @param txsSubmitted transactions handed to the node ({@code broadcast_tx_sync}), answered or not
 * @param refusedByCode CheckTx codes other than 0 and how often each came back (12,
 *     {@code RESULT_ALREADY_INCLUDED}, included: the device then gets the original receipt)
 * @param submitFailures transactions the node could not be asked about (no receipt sent; the device
 *     re-submits)
 * @param receiptsPublished receipts handed to the broker, honest or with a bad proof
 * @param requestsAnswered light-block requests answered, with a block or an error
 * @param requestsIgnored light-block requests not answered: no response topic, or one outside the
 *     requesting device's subtree
 * @param receiptsForgotten pending receipts dropped at the memory limit
 * @param publishFailures messages the client could not hand to the broker
 */
public record GatewayCounters(
        long txsSubmitted,
        Map<Integer, Long> refusedByCode,
        long submitFailures,
        long receiptsPublished,
        long requestsAnswered,
        long requestsIgnored,
        long forgedHeadersServed,
        long badProofsServed,
        long receiptsWithheld,
        long receiptsForgotten,
        long publishFailures) {
    public GatewayCounters {
        refusedByCode = Map.copyOf(refusedByCode);
    }

    /** All refusals, whatever the code. */
    public long refused() {
        return refusedByCode.values().stream().mapToLong(Long::longValue).sum();
    }

    public GatewayCounters plus(GatewayCounters o) {
        Map<Integer, Long> codes = new TreeMap<>(refusedByCode);
        o.refusedByCode.forEach((code, n) -> codes.merge(code, n, Long::sum));
        return new GatewayCounters(txsSubmitted + o.txsSubmitted, codes, submitFailures + o.submitFailures,
                receiptsPublished + o.receiptsPublished, requestsAnswered + o.requestsAnswered, requestsIgnored + o.requestsIgnored,
                forgedHeadersServed + o.forgedHeadersServed, badProofsServed + o.badProofsServed, receiptsWithheld + o.receiptsWithheld,
                receiptsForgotten + o.receiptsForgotten, publishFailures + o.publishFailures);
    }
}
