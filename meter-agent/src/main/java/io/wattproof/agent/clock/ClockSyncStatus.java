package io.wattproof.agent.clock;

/**
 * What a time service said about the system clock. {@link Unknown} is its own answer, not a
 * "no": a host without any of the known services cannot vouch for its clock, and records say so
 * (docs/architecture.md, "Clock").
 */
public sealed interface ClockSyncStatus {

    /** What the answer rests on, for logs and the status: the service and what it reported. */
    String reason();

    default boolean isSynchronised() {
        return this instanceof Synchronised;
    }

    /** The service reports the clock synchronised to its reference. */
    record Synchronised(String reason) implements ClockSyncStatus {}

    /** The service is there and reports the clock not (or no longer) synchronised. */
    record NotSynchronised(String reason) implements ClockSyncStatus {}

    /** No service could be asked, or its answer could not be read. */
    record Unknown(String reason) implements ClockSyncStatus {}
}
