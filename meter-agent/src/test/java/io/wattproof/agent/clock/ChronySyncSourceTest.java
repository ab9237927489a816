package io.wattproof.agent.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Outputs of {@code chronyc -n tracking} in the layout chronyc(1) documents ("Name : value" lines;
 * leap status Normal, Insert second, Delete second or Not synchronised), written for these tests.
 */
class ChronySyncSourceTest {
    private static final String SYNCHRONISED = """
            Reference ID    : C0A80101 (192.168.1.1)
            Stratum         : 3
            Ref time (UTC)  : Fri Nov 27 15:02:11 2026
            System time     : 0.000012311 seconds slow of NTP time
            Last offset     : -0.000007190 seconds
            RMS offset      : 0.000021805 seconds
            Frequency       : 12.514 ppm fast
            Residual freq   : -0.001 ppm
            Skew            : 0.042 ppm
            Root delay      : 0.024512345 seconds
            Root dispersion : 0.001234567 seconds
            Update interval : 64.5 seconds
            Leap status     : Normal
            """;

    /** chronyd just started, no source reachable yet. */
    private static final String NOT_SYNCHRONISED = """
            Reference ID    : 00000000 ()
            Stratum         : 0
            Ref time (UTC)  : Thu Jan 01 00:00:00 1970
            System time     : 0.000000000 seconds fast of NTP time
            Last offset     : +0.000000000 seconds
            RMS offset      : 0.000000000 seconds
            Frequency       : 0.000 ppm slow
            Residual freq   : +0.000 ppm
            Skew            : 0.000 ppm
            Root delay      : 1.000000000 seconds
            Root dispersion : 1.000000000 seconds
            Update interval : 0.0 seconds
            Leap status     : Not synchronised
            """;

    private static ClockSyncStatus parse(String stdout) {
        return ChronySyncSource.parse(new CommandRunner.Result(0, stdout, ""));
    }

    @Test
    void leapStatusNormalOrAnnouncedLeapSecondIsSynchronised() {
        ClockSyncStatus s = parse(SYNCHRONISED);
        assertInstanceOf(ClockSyncStatus.Synchronised.class, s);
        assertEquals("chrony: leap status Normal, reference C0A80101 (192.168.1.1)", s.reason());
        assertInstanceOf(ClockSyncStatus.Synchronised.class, parse(SYNCHRONISED.replace("Normal", "Insert second")));
        assertInstanceOf(ClockSyncStatus.Synchronised.class, parse(SYNCHRONISED.replace("Normal", "Delete second")));
    }

    @Test
    void notSynchronisedIsNot() {
        ClockSyncStatus s = parse(NOT_SYNCHRONISED);
        assertInstanceOf(ClockSyncStatus.NotSynchronised.class, s);
        assertEquals("chrony: leap status Not synchronised", s.reason());
    }

    @Test
    void theLocalClockAsReferenceIsNotSynchronised() {
        // 'local' directive: chronyd serves its own clock, reference id 127.127.1.1.
        ClockSyncStatus s = parse(SYNCHRONISED.replace("C0A80101 (192.168.1.1)", "7F7F0101 ()"));
        assertInstanceOf(ClockSyncStatus.NotSynchronised.class, s);
        assertTrue(s.reason().contains("local clock"), s.reason());
    }

    @Test
    void noDaemonOrUnreadableOutputIsUnknown() {
        ClockSyncStatus down = ChronySyncSource.parse(new CommandRunner.Result(1, "", "506 Cannot talk to daemon\n"));
        assertInstanceOf(ClockSyncStatus.Unknown.class, down);
        assertEquals("chronyc: exit status 1: 506 Cannot talk to daemon", down.reason());
        ClockSyncStatus noLeap = parse(SYNCHRONISED.replace("Leap status     : Normal\n", ""));
        assertInstanceOf(ClockSyncStatus.Unknown.class, noLeap);
        ClockSyncStatus odd = parse(SYNCHRONISED.replace("Normal", "Unsure"));
        assertInstanceOf(ClockSyncStatus.Unknown.class, odd);
        assertTrue(odd.reason().endsWith("got \"Unsure\""), odd.reason());
    }

    @Test
    void chronycMissingIsUnknown() {
        ChronySyncSource source = new ChronySyncSource(command -> {
            throw new IOException("Cannot run program \"chronyc\": error=2, No such file or directory");
        });
        assertInstanceOf(ClockSyncStatus.Unknown.class, source.status());
        assertEquals(java.util.List.of("chronyc", "-n", "tracking"), ChronySyncSource.COMMAND);
    }
}
