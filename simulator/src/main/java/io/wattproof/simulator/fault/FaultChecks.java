package io.wattproof.simulator.fault;

import io.wattproof.simulator.SimulationResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The checks a scenario states (docs/faults.md, "Checks"). Pure: counts and observations in,
 * one verdict per check out, each saying what was expected and what was seen.
 */
public final class FaultChecks {
    private FaultChecks() {}

    /** One check's verdict. */
    public record Verdict(String name, boolean passed, String detail) {
        public String line() {
            return (passed ? "PASS " : "FAIL ") + name + ": " + detail;
        }
    }

    /** An alarm seen on meter {@code meter} (1-based) at some moment of the run. */
    public record SeenAlarm(int meter, String phrase) {}

    /**
     * How one fault's recovery went.
     *
     * @param after how long after the fault ended every affected meter had all it had signed by
     *     then on the ledger and had signed a new record; empty: not by the end of the run
     */
    public record Recovery(int id, String fault, Optional<Duration> after) {}

    /** Nothing refused, nothing missing on the ledger, and every record signed during the run confirmed by its agent. */
    public static Verdict nothingLost(SimulationResult r) {
        List<String> wrong = new ArrayList<>();
        if (r.rejected() != 0) {
            wrong.add("rejected=" + r.rejected() + " (expected 0)");
        }
        if (r.gaps() != 0) {
            wrong.add("gaps=" + r.gaps() + " (expected 0)");
        }
        if (r.confirmed() < r.readings()) {
            wrong.add("confirmed=" + r.confirmed() + " (expected all " + r.readings() + " readings)");
        }
        if (r.readings() == 0) {
            wrong.add("readings=0 (expected the fleet to sign records)");
        }
        String seen = "readings=" + r.readings() + " verified=" + r.verified() + " confirmed=" + r.confirmed() + " rejected="
                + r.rejected() + " gaps=" + r.gaps();
        return new Verdict("nothing lost", wrong.isEmpty(), wrong.isEmpty() ? seen : String.join("; ", wrong));
    }

    /** Each expected alarm was seen at least once, on its meter (or any meter), matched by its beginning. */
    public static List<Verdict> alarms(List<Scenario.ExpectedAlarm> expected, Set<SeenAlarm> seen) {
        List<Verdict> out = new ArrayList<>();
        for (Scenario.ExpectedAlarm e : expected) {
            List<SeenAlarm> matching = seen.stream().filter(s -> s.phrase().startsWith(e.alarm())
                    && (e.meter().isEmpty() || e.meter().get() == s.meter())).toList();
            String name = "alarm " + e.describe();
            if (matching.isEmpty()) {
                List<String> onMeter = seen.stream().filter(s -> e.meter().isEmpty() || e.meter().get() == s.meter())
                        .map(s -> "meter " + s.meter() + ": " + s.phrase()).sorted().distinct().toList();
                out.add(new Verdict(name, false, "never raised; seen instead: " + (onMeter.isEmpty() ? "no alarm" : onMeter)));
            } else {
                out.add(new Verdict(name, true, "raised (" + matching.get(0).phrase() + " on meter " + matching.get(0).meter() + ")"));
            }
        }
        return out;
    }

    /** Every fault recovered, each within {@code limit} of its end. */
    public static List<Verdict> recovered(List<Recovery> recoveries, Duration limit) {
        List<Verdict> out = new ArrayList<>();
        for (Recovery r : recoveries) {
            String name = "recovered within " + Durations.format(limit) + " after fault #" + r.id() + " (" + r.fault() + ")";
            if (r.after().isEmpty()) {
                out.add(new Verdict(name, false, "not recovered by the end of the run"));
            } else {
                Duration d = r.after().get();
                out.add(new Verdict(name, d.compareTo(limit) <= 0, String.format(java.util.Locale.ROOT, "recovered after %.1fs",
                        d.toMillis() / 1000.0)));
            }
        }
        return out;
    }

    /**
     * One meter's share of a byzantine gateway's lies.
     *
     * @param meter 1-based
     * @param served forged headers and bad receipts the gateway handed to the broker for this meter
     * @param outOfReach of those, the ones handed over while the meter was cut off, powered down or
     *     the broker restarting: the broker may have dropped them, so they need not be detected
     * @param detected the lies this meter's agents detected
     */
    public record MeterForgeries(int meter, long served, long outOfReach, long detected) {
        /** Every lie that reached the meter was detected, and no more than were told. */
        boolean accountedFor() {
            return detected >= served - outOfReach && detected <= served;
        }
    }

    /**
     * The gateway lied at least once to a meter in reach, and on every meter the agents detected
     * every lie that could have reached them and none that was not told.
     */
    public static Verdict everyForgeryDetected(List<MeterForgeries> meters, long receiptsWithheld) {
        long served = meters.stream().mapToLong(MeterForgeries::served).sum();
        long outOfReach = meters.stream().mapToLong(MeterForgeries::outOfReach).sum();
        long detected = meters.stream().mapToLong(MeterForgeries::detected).sum();
        List<MeterForgeries> wrong = meters.stream().filter(m -> !m.accountedFor()).toList();
        boolean ok = served - outOfReach > 0 && wrong.isEmpty();
        StringBuilder d = new StringBuilder("served=" + served + " detected=" + detected + " receipts_withheld=" + receiptsWithheld);
        if (outOfReach > 0) {
            d.append("; served while the meter was out of reach (may be dropped):");
            meters.stream().filter(m -> m.outOfReach() > 0).forEach(m -> d.append(" meter ").append(m.meter()).append(": ")
                    .append(m.outOfReach()));
        }
        if (served - outOfReach == 0) {
            d.append(" (expected the gateway to lie at least once to a meter in reach)");
        }
        for (MeterForgeries m : wrong) {
            d.append("; meter ").append(m.meter()).append(": served=").append(m.served()).append(" detected=").append(m.detected())
                    .append(" (expected ").append(m.served() - m.outOfReach())
                    .append(m.outOfReach() > 0 ? ".." + m.served() : "").append(")");
        }
        return new Verdict("every forgery detected", ok, d.toString());
    }

    /** At least {@code min} validator-set changes lie in the chain; {@code changes} counted on it. */
    public static Verdict valsetChanges(long changes, long min, long height) {
        return new Verdict("validator-set changes", changes >= min, changes + " change(s) up to height " + height + " (expected at least "
                + min + ")");
    }

    /** Every injected fault ended before the run did. */
    public static Verdict faultsEnded(Map<Integer, String> unended) {
        return new Verdict("every fault ended", unended.isEmpty(), unended.isEmpty() ? "yes" : "still in progress: " + unended.values());
    }
}
