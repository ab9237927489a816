package io.wattproof.agent.ledger;

import io.wattproof.agent.provision.TrustAnchor;
import java.time.Duration;
import java.util.Objects;

/**
 * How the agent follows the ledger (docs/ledger.md, "What the agent does").
 *
 * @param anchor the light block installed at provisioning; the light client starts from it when its
 *     store is empty, and verifies with its trusting period
 * @param receiptTimeout a record sent without a verified receipt this long after is sent again; also
 *     the first wait after a refusal, doubled with each further refusal of the same record (at most
 *     {@link #MAX_BACKOFF_FACTOR} times this)
 * @param pruneThreshold final records are removed from the outbox once this many are held, in one
 *     rewrite rather than one per record
 * @param requestTimeout how long one light-block request waits for the gateway's answer
 */
public record LedgerSettings(TrustAnchor anchor, Duration receiptTimeout, int pruneThreshold, Duration requestTimeout) {
    /** A block every second or few, a receipt within seconds; a minute leaves room for a slow gateway. */
    public static final Duration DEFAULT_RECEIPT_TIMEOUT = Duration.ofSeconds(60);
    /** One day of 15-minute records. */
    public static final int DEFAULT_PRUNE_THRESHOLD = 96;
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** A record the ledger keeps refusing is tried again at most every 64 receipt timeouts (about an hour by default). */
    public static final int MAX_BACKOFF_FACTOR = 64;

    public LedgerSettings {
        Objects.requireNonNull(anchor, "trust anchor");
        positive("receipt timeout", receiptTimeout);
        positive("request timeout", requestTimeout);
        if (pruneThreshold < 1) {
            throw new IllegalArgumentException("prune threshold: expected ≥ 1, got " + pruneThreshold);
        }
    }

    public static LedgerSettings of(TrustAnchor anchor) {
        return new LedgerSettings(anchor, DEFAULT_RECEIPT_TIMEOUT, DEFAULT_PRUNE_THRESHOLD, DEFAULT_REQUEST_TIMEOUT);
    }

    public LedgerSettings withReceiptTimeout(Duration timeout) {
        return new LedgerSettings(anchor, timeout, pruneThreshold, requestTimeout);
    }

    public LedgerSettings withPruneThreshold(int threshold) {
        return new LedgerSettings(anchor, receiptTimeout, threshold, requestTimeout);
    }

    public LedgerSettings withRequestTimeout(Duration timeout) {
        return new LedgerSettings(anchor, receiptTimeout, pruneThreshold, timeout);
    }

    /** The wait before sending a record again after its {@code refusals}-th refusal (≥ 1). */
    public Duration backoffAfterRefusal(int refusals) {
        long factor = 1L << Math.min(Math.max(refusals - 1, 0), Long.numberOfTrailingZeros(MAX_BACKOFF_FACTOR));
        return receiptTimeout.multipliedBy(factor);
    }

    private static void positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + ": expected > 0, got " + d);
        }
    }
}
