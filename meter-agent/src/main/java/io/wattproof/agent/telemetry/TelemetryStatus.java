package io.wattproof.agent.telemetry;

import io.wattproof.agent.AgentStatus;
import io.wattproof.agent.gpio.LedPattern;

/** The agent's state as owners see it: the same four states the status LED shows. */
public enum TelemetryStatus {
    ONLINE("online"),
    BUFFERING("buffering"),
    FAULT("fault"),
    UNPROVISIONED("unprovisioned");

    private final String wire;

    TelemetryStatus(String wire) {
        this.wire = wire;
    }

    /** The value in the telemetry JSON's {@code status} field. */
    public String wire() {
        return wire;
    }

    /** The state of a running agent, ranked exactly as {@link LedPattern#forStatus} ranks it. */
    public static TelemetryStatus of(AgentStatus status) {
        return switch (LedPattern.forStatus(status)) {
            case ONLINE -> ONLINE;
            case BUFFERING_OFFLINE -> BUFFERING;
            case FAULT -> FAULT;
            case UNPROVISIONED -> UNPROVISIONED;
        };
    }
}
