package io.wattproof.agent.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Outputs of {@code timedatectl show -p NTPSynchronized --value} as timedatectl(1) documents them
 * (the bare value, one line), and as it fails where there is no systemd.
 */
class TimedatedSyncSourceTest {

    private static CommandRunner.Result ok(String stdout) {
        return new CommandRunner.Result(0, stdout, "");
    }

    @Test
    void yesIsSynchronisedAndNoIsNot() {
        assertInstanceOf(ClockSyncStatus.Synchronised.class, TimedatedSyncSource.parse(ok("yes\n")));
        ClockSyncStatus no = TimedatedSyncSource.parse(ok("no\n"));
        assertInstanceOf(ClockSyncStatus.NotSynchronised.class, no);
        assertTrue(no.reason().contains("NTPSynchronized=no"), no.reason());
    }

    @Test
    void noSystemdIsUnknownWithTheToolsOwnWords() {
        // What timedatectl prints in a container or on a host booted without systemd as PID 1.
        ClockSyncStatus s = TimedatedSyncSource.parse(new CommandRunner.Result(1, "",
                "System has not been booted with systemd as init system (PID 1). Can't operate.\nFailed to connect to bus: Host is down\n"));
        assertInstanceOf(ClockSyncStatus.Unknown.class, s);
        assertEquals("timedatectl: exit status 1: System has not been booted with systemd as init system (PID 1). Can't operate.",
                s.reason());
    }

    @Test
    void anythingElseIsUnknownNotSynchronised() {
        // systemd before 239 has no 'show'; a future one might print something new.
        assertInstanceOf(ClockSyncStatus.Unknown.class,
                TimedatedSyncSource.parse(new CommandRunner.Result(1, "", "Unknown operation show\n")));
        ClockSyncStatus odd = TimedatedSyncSource.parse(ok("NTPSynchronized=yes\n"));
        assertInstanceOf(ClockSyncStatus.Unknown.class, odd);
        assertEquals("timedatectl: expected yes or no, got \"NTPSynchronized=yes\"", odd.reason());
        assertInstanceOf(ClockSyncStatus.Unknown.class, TimedatedSyncSource.parse(ok("")));
    }

    @Test
    void asksTheDocumentedCommandAndAToolThatIsMissingIsUnknown() {
        List<List<String>> asked = new java.util.ArrayList<>();
        TimedatedSyncSource present = new TimedatedSyncSource(command -> {
            asked.add(command);
            return ok("yes\n");
        });
        assertTrue(present.status().isSynchronised());
        assertEquals(List.of(List.of("timedatectl", "show", "-p", "NTPSynchronized", "--value")), asked);

        TimedatedSyncSource missing = new TimedatedSyncSource(command -> {
            throw new IOException("Cannot run program \"timedatectl\": error=2, No such file or directory");
        });
        ClockSyncStatus s = missing.status();
        assertInstanceOf(ClockSyncStatus.Unknown.class, s);
        assertTrue(s.reason().startsWith("timedatectl: Cannot run program"), s.reason());
    }
}
