package io.wattproof.agent.gpio;

import io.wattproof.agent.AgentStatus;
import java.time.Duration;

/**
 * How the status LED shows the agent's state: on for {@link #on()}, off for {@link #off()},
 * repeated; an off time of zero means steadily on. The patterns differ in rhythm, not only in
 * rate, so they can be told apart at a glance without counting.
 */
public enum LedPattern {
    /** Slow blink, 1 Hz: no device key or configuration yet. */
    UNPROVISIONED(Duration.ofMillis(500), Duration.ofMillis(500)),
    /** Steady on: metering and connected to the broker. */
    ONLINE(Duration.ofMillis(1000), Duration.ZERO),
    /** A short flash every 2 s: metering, records kept in the outbox while the broker is away. */
    BUFFERING_OFFLINE(Duration.ofMillis(100), Duration.ofMillis(1900)),
    /** Fast blink, 5 Hz: the last meter read failed. */
    FAULT(Duration.ofMillis(100), Duration.ofMillis(100));

    private final Duration on;
    private final Duration off;

    LedPattern(Duration on, Duration off) {
        this.on = on;
        this.off = off;
    }

    public Duration on() {
        return on;
    }

    public Duration off() {
        return off;
    }

    public boolean isSteady() {
        return off.isZero();
    }

    /**
     * The pattern for a running agent. A meter fault or a full outbox outranks the uplink state:
     * records cannot be made at all then. UNPROVISIONED is not derived from a status: an unprovisioned board runs no
     * agent, and whoever finds it so shows that pattern directly.
     */
    public static LedPattern forStatus(AgentStatus status) {
        if (status.meterFault() || status.storageFull() || status.storageFault()) {
            return FAULT;
        }
        return status.connected() ? ONLINE : BUFFERING_OFFLINE;
    }
}
