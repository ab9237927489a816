package io.wattproof.simulator.fault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A fault scenario (docs/faults.md): a fleet, a timeline of faults, and what must hold at the end.
 *
 * @param name short name, as in {@code builtin:NAME}
 * @param description one or two sentences for the console
 * @param meters meters (and agents) of the fleet
 * @param interval metering interval
 * @param duration how long the fleet meters; every fault has ended by then
 * @param timeline the faults, in the order they are injected
 * @param expect the checks
 */
public record Scenario(String name, String description, int meters, Duration interval, Duration duration, List<Step> timeline,
                       Expectations expect) {
    public Scenario {
        timeline = List.copyOf(timeline);
    }

    /** {@code fault} is injected {@code at} after the fleet starts metering. */
    public record Step(Duration at, Fault fault) {}

    /**
     * What the run must show.
     *
     * @param nothingLost no refused transaction, no sequence missing on the ledger, and every record
     *     signed during the run confirmed by its agent (inclusion proof verified) by the end
     * @param alarms alarms that must have been raised at some moment during the run
     * @param recoveredWithin after each fault ends, how soon every affected device must have all it
     *     signed up to then on the ledger and have signed a new record; empty: not checked
     * @param everyForgeryDetected every forged header or bad proof the gateway served was detected, and at least one was served
     * @param valsetChanges at least this many validator-set changes lie in the chain by the end
     */
    public record Expectations(boolean nothingLost, List<ExpectedAlarm> alarms, Optional<Duration> recoveredWithin,
                               boolean everyForgeryDetected, long valsetChanges) {
        public Expectations {
            alarms = List.copyOf(alarms);
        }
    }

    /**
     * An alarm the dashboard shows ({@link io.wattproof.simulator.dashboard.Alarms}), matched by its
     * beginning (so {@code forgeries detected} matches {@code forgeries detected: 3}).
     *
     * @param meter the meter that must raise it; empty: any meter
     */
    public record ExpectedAlarm(Optional<Integer> meter, String alarm) {
        public String describe() {
            return "\"" + alarm + "\" on " + meter.map(m -> "meter " + m).orElse("any meter");
        }
    }
}
