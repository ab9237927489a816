package io.wattproof.agent.ledger;

import io.wattproof.agent.outbox.Outbox;
import io.wattproof.agent.outbox.OutboxException;
import java.util.Collection;

/** What the outbox's thread does with records the follower found final. */
public final class FinalRecords {
    private FinalRecords() {}

    /**
     * Marks {@code sequences} final (durable when this returns) and prunes once {@code
     * pruneThreshold} final records are held: pruning rewrites the outbox, so it is done for many
     * records at a time.
     *
     * @return how many records were pruned (0 when below the threshold)
     */
    public static int apply(Outbox outbox, Collection<Long> sequences, int pruneThreshold) throws OutboxException {
        outbox.markFinal(sequences);
        return outbox.prunable() >= pruneThreshold ? outbox.prune() : 0;
    }
}
