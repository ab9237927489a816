package io.wattproof.simulator.fault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One fault the simulator can inject into a running lab (docs/faults.md). Meters are numbered
 * from 1, as the dashboard and the scenario files number them.
 */
public sealed interface Fault {

    /** The name used in scenario files and in {@code POST /api/faults/{kind}}. */
    String kind();

    /** How long the fault lasts; empty for a fault that is not undone (a clock step, a validator schedule). */
    Optional<Duration> lasts();

    /** The meters it touches; empty for the whole fleet. */
    List<Integer> meters();

    /** One line for the console. */
    String describe();

    /** The broker stops and, after {@code down}, starts again on the same port with empty in-memory state. */
    record BrokerRestart(Duration down) implements Fault {
        public String kind() {
            return "broker-restart";
        }

        public Optional<Duration> lasts() {
            return Optional.of(down);
        }

        public List<Integer> meters() {
            return List.of();
        }

        public String describe() {
            return "broker-restart down=" + Durations.format(down);
        }
    }

    /** The listed meters' links to the broker are cut for {@code duration}; they keep metering. */
    record Partition(List<Integer> meters, Duration duration) implements Fault {
        public Partition {
            meters = List.copyOf(meters);
        }

        public String kind() {
            return "partition";
        }

        public Optional<Duration> lasts() {
            return Optional.of(duration);
        }

        public String describe() {
            return "partition meters=" + meters + " for=" + Durations.format(duration);
        }
    }

    /** The meter's agent stops as on a power cut (its process ends) and starts again after {@code duration}. */
    record PowerCut(int meter, Duration duration) implements Fault {
        public String kind() {
            return "power-cut";
        }

        public Optional<Duration> lasts() {
            return Optional.of(duration);
        }

        public List<Integer> meters() {
            return List.of(meter);
        }

        public String describe() {
            return "power-cut meter=" + meter + " for=" + Durations.format(duration);
        }
    }

    /**
     * The meter's agent's wall clock steps by {@code by} (negative: back); with {@code duration},
     * it steps back to the right time after it, as NTP's correction would.
     */
    record ClockJump(int meter, Duration by, Optional<Duration> duration) implements Fault {
        public String kind() {
            return "clock-jump";
        }

        public Optional<Duration> lasts() {
            return duration;
        }

        public List<Integer> meters() {
            return List.of(meter);
        }

        public String describe() {
            return "clock-jump meter=" + meter + " by=" + (by.isNegative() ? "-" + Durations.format(by.negated()) : "+" + Durations.format(by))
                    + duration.map(d -> " for=" + Durations.format(d)).orElse("");
        }
    }

    /** The virtual meter answers with Modbus exceptions and NaN registers for {@code duration}. */
    record Garbage(int meter, Duration duration) implements Fault {
        public String kind() {
            return "garbage";
        }

        public Optional<Duration> lasts() {
            return Optional.of(duration);
        }

        public List<Integer> meters() {
            return List.of(meter);
        }

        public String describe() {
            return "garbage meter=" + meter + " for=" + Durations.format(duration);
        }
    }

    /**
     * The validator set changes at every multiple of height {@code every}. The reference ledger's
     * schedule is fixed at genesis and replayed from its block log, so this fault is part of the
     * run's setup (at 0s) rather than injected into a running ledger.
     */
    record ValsetChange(long every) implements Fault {
        public String kind() {
            return "valset-change";
        }

        public Optional<Duration> lasts() {
            return Optional.empty();
        }

        public List<Integer> meters() {
            return List.of();
        }

        public String describe() {
            return "valset-change every=" + every + " heights";
        }
    }

    /** The gateway lies with probability {@code rate} per answer for {@code duration}, then is honest again. */
    record ByzantineGateway(double rate, Duration duration) implements Fault {
        public String kind() {
            return "byzantine-gateway";
        }

        public Optional<Duration> lasts() {
            return Optional.of(duration);
        }

        public List<Integer> meters() {
            return List.of();
        }

        public String describe() {
            return "byzantine-gateway rate=" + rate + " for=" + Durations.format(duration);
        }
    }

    /** The kinds, in the order the documentation lists them. */
    List<String> KINDS = List.of("broker-restart", "partition", "power-cut", "clock-jump", "garbage", "valset-change", "byzantine-gateway");
}
