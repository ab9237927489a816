package io.wattproof.ota.install;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Judges the probes of a trial boot: the new version must show, within {@code window} of its
 * boot, that the agent is up, the broker is reachable and a reading was signed after the boot
 * (by this version, not one left over from the old one). Pure: the caller gathers the probes and
 * passes the clock's {@code now}; it calls {@link Installer#confirm} on {@link Verdict.Passed},
 * {@link Installer#rollback} on {@link Verdict.Failed}, and asks again later on
 * {@link Verdict.Waiting}.
 */
public record HealthCheck(Duration window) {

    public HealthCheck {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window " + window + " must be positive");
        }
    }

    /** What the probes saw at {@code now}. */
    public record Probes(boolean agentUp, boolean brokerReachable, Optional<Instant> lastSignedReading) {}

    public sealed interface Verdict {
        record Passed() implements Verdict {}

        record Waiting(Instant deadline) implements Verdict {}

        record Failed(InstallRefusal why) implements Verdict {}
    }

    public Verdict judge(Probes probes, Instant bootedAt, Instant now) {
        Instant deadline = bootedAt.plus(window);
        Optional<InstallRefusal> missing = firstMissing(probes, bootedAt);
        if (missing.isEmpty()) {
            return new Verdict.Passed();
        }
        // At the deadline itself the window is over: "within" the window means before it ends.
        if (now.isBefore(deadline)) {
            return new Verdict.Waiting(deadline);
        }
        return new Verdict.Failed(missing.get());
    }

    private static Optional<InstallRefusal> firstMissing(Probes p, Instant bootedAt) {
        if (!p.agentUp()) {
            return Optional.of(new InstallRefusal(InstallRefusal.Reason.HEALTH, "health.agentUp", "true", "false"));
        }
        if (!p.brokerReachable()) {
            return Optional.of(new InstallRefusal(InstallRefusal.Reason.HEALTH, "health.brokerReachable", "true", "false"));
        }
        if (p.lastSignedReading().isEmpty() || p.lastSignedReading().get().isBefore(bootedAt)) {
            return Optional.of(new InstallRefusal(InstallRefusal.Reason.HEALTH, "health.lastSignedReading", "at or after boot " + bootedAt,
                    p.lastSignedReading().map(Instant::toString).orElse("none")));
        }
        return Optional.empty();
    }
}
