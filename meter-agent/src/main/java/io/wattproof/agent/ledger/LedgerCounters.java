package io.wattproof.agent.ledger;

/**
 * What the ledger follower has seen since the agent started.
 *
 * @param confirmed records made final (receipt verified against a verified header)
 * @param forgeriesDetected blocks the gateway served that failed verification, and receipts whose
 *     proof failed against a verified header; each served forgery once
 * @param refusedByLedger receipts with a refusal code
 * @param resubmissions records sent again for want of a verified receipt
 * @param malformedReceipts receipts that were not receipts, or had fields out of range
 * @param verifiedHeight the highest height the light client has verified (or trusts from the
 *     anchor); 0 before the store holds a block
 * @param trustExpired the latest trusted block is older than the trusting period: nothing can be
 *     verified until a new trust anchor is installed
 */
public record LedgerCounters(long confirmed, long forgeriesDetected, long refusedByLedger, long resubmissions,
        long malformedReceipts, long verifiedHeight, boolean trustExpired) {
    public static final LedgerCounters NONE = new LedgerCounters(0, 0, 0, 0, 0, 0, false);
}
