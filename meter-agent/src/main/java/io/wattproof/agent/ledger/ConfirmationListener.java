package io.wattproof.agent.ledger;

import java.time.Instant;

/**
 * Hears each record the moment the agent has made it final (its receipt verified against headers
 * the light client verified), with the end of the interval it covers: what a fleet benchmark needs
 * to time a record from interval end to verified confirmation. Called on the follower's thread:
 * record and return.
 */
@FunctionalInterface
public interface ConfirmationListener {
    /** Record {@code sequence}, covering an interval that ended at {@code intervalEnd}, became final at {@code at} (the agent's clock). */
    void confirmed(long sequence, Instant intervalEnd, Instant at);
}
