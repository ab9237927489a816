package io.wattproof.agent.clock;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * chrony's own account: {@code chronyc -n tracking} (-n: print addresses, no DNS lookups that could
 * hang without a network). chronyc(1) documents the "Leap status" line as one of {@code Normal},
 * {@code Insert second}, {@code Delete second} or {@code Not synchronised}; the first three mean
 * chronyd is synchronised to a reference. A reference id of {@code 7F7F0101} is chrony's "local"
 * mode (the host serves its own clock as a reference), which the man page describes as not
 * synchronised to any external source; that is not synchronised for a meter either.
 */
public final class ChronySyncSource implements ClockSyncSource {
    static final List<String> COMMAND = List.of("chronyc", "-n", "tracking");
    private static final String LOCAL_REFERENCE = "7F7F0101";

    private final CommandRunner runner;

    public ChronySyncSource(CommandRunner runner) {
        this.runner = runner;
    }

    @Override
    public ClockSyncStatus status() {
        try {
            return parse(runner.run(COMMAND));
        } catch (IOException e) {
            return new ClockSyncStatus.Unknown("chronyc: " + e.getMessage());
        }
    }

    /** Reads the output of {@link #COMMAND}: "Name : value" lines. */
    public static ClockSyncStatus parse(CommandRunner.Result r) {
        if (r.exitCode() != 0) {
            // e.g. "506 Cannot talk to daemon" when chronyd is not running
            String why = TimedatedSyncSource.firstLine(r.stderr().isBlank() ? r.stdout() : r.stderr());
            return new ClockSyncStatus.Unknown("chronyc: exit status " + r.exitCode() + ": " + why);
        }
        Optional<String> leap = field(r.stdout(), "Leap status");
        if (leap.isEmpty()) {
            return new ClockSyncStatus.Unknown("chronyc tracking: no \"Leap status\" line in its output");
        }
        String reference = field(r.stdout(), "Reference ID").orElse("");
        return switch (leap.get()) {
            case "Normal", "Insert second", "Delete second" -> reference.startsWith(LOCAL_REFERENCE)
                    ? new ClockSyncStatus.NotSynchronised("chrony: reference is the local clock (" + reference + ")")
                    : new ClockSyncStatus.Synchronised("chrony: leap status " + leap.get() + ", reference " + reference);
            case "Not synchronised" -> new ClockSyncStatus.NotSynchronised("chrony: leap status Not synchronised");
            default -> new ClockSyncStatus.Unknown("chronyc tracking: leap status: expected Normal, Insert second, "
                    + "Delete second or Not synchronised, got \"" + leap.get() + "\"");
        };
    }

    /** The value of the first "name : value" line named {@code name}. */
    private static Optional<String> field(String output, String name) {
        for (String line : output.lines().toList()) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equals(name)) {
                return Optional.of(line.substring(colon + 1).strip());
            }
        }
        return Optional.empty();
    }
}
