package io.wattproof.simulator.charging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.agent.gpio.LoggingRelay.Change;
import io.wattproof.crypto.DeviceId;
import io.wattproof.simulator.ledger.app.AppSnapshot.BookingStatus;
import io.wattproof.simulator.ledger.app.AppSnapshot.BookingView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RelayAuditTest {
    private static final DeviceId PILE = DeviceId.of(new byte[20]);
    private static final DeviceId OTHER_PILE = DeviceId.of(filled(20, 7));
    private static final Instant T = Instant.parse("2026-11-27T12:00:00Z");
    private static final Duration GRACE = Duration.ofSeconds(12);

    @Test
    void aClosingInsideABookedWindowOfThisPileIsFine() {
        List<Change> log = List.of(new Change(T.plusSeconds(11), true), new Change(T.plusSeconds(25), false));
        assertEquals(List.of(), RelayAudit.check(PILE, log, List.of(booking(PILE, 10, 30)), GRACE, T.plusSeconds(60)));
    }

    @Test
    void aClosingWithoutABookingIsAViolation() {
        List<Change> log = List.of(new Change(T.plusSeconds(5), true), new Change(T.plusSeconds(8), false));
        var violations = RelayAudit.check(PILE, log, List.of(booking(PILE, 10, 30)), GRACE, T.plusSeconds(60));
        assertEquals(1, violations.size());
        assertTrue(violations.get(0).reason().contains("no booking"), violations.get(0).reason());
    }

    @Test
    void anotherPilesBookingDoesNotCoverThisPile() {
        List<Change> log = List.of(new Change(T.plusSeconds(11), true), new Change(T.plusSeconds(12), false));
        assertEquals(1, RelayAudit.check(PILE, log, List.of(booking(OTHER_PILE, 10, 30)), GRACE, T.plusSeconds(60)).size());
    }

    @Test
    void theWindowEndIsExclusive() {
        List<Change> log = List.of(new Change(T.plusSeconds(30), true), new Change(T.plusSeconds(31), false));
        assertEquals(1, RelayAudit.check(PILE, log, List.of(booking(PILE, 10, 30)), GRACE, T.plusSeconds(60)).size());
    }

    @Test
    void aRelayLeftOnPastTheWindowAndGraceIsAViolation() {
        List<Change> late = List.of(new Change(T.plusSeconds(11), true), new Change(T.plusSeconds(43), false));
        assertEquals(1, RelayAudit.check(PILE, late, List.of(booking(PILE, 10, 30)), GRACE, T.plusSeconds(60)).size());
        List<Change> withinGrace = List.of(new Change(T.plusSeconds(11), true), new Change(T.plusSeconds(41), false));
        assertEquals(0, RelayAudit.check(PILE, withinGrace, List.of(booking(PILE, 10, 30)), GRACE, T.plusSeconds(60)).size());
        List<Change> neverOpened = List.of(new Change(T.plusSeconds(11), true));
        assertEquals(1, RelayAudit.check(PILE, neverOpened, List.of(booking(PILE, 10, 30)), GRACE, T.plusSeconds(60)).size());
        assertEquals(0, RelayAudit.check(PILE, neverOpened, List.of(booking(PILE, 10, 30)), GRACE, T.plusSeconds(35)).size(),
                "still within the grace when the run ended");
    }

    private static BookingView booking(DeviceId pile, long from, long until) {
        long start = T.getEpochSecond();
        return new BookingView("b0", "o0", pile, "driver:00", BookingStatus.SETTLED, start + from, start + until, 100, 100, 100,
                start + from + 1, start + until, 10, 3);
    }

    private static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) v);
        return b;
    }
}
