package io.wattproof.simulator.charging;

import io.wattproof.agent.gpio.LoggingRelay;
import io.wattproof.crypto.DeviceId;
import io.wattproof.simulator.ledger.app.AppSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Checks a pile's relay log against the bookings on the ledger, independently of the pile: every
 * time the relay was on must lie inside the booked window of a booking of that pile that the
 * ledger accepted. The relay may stay on a little past the window's end, while the pile reads its
 * end register and opens the relay ({@code grace}); not longer.
 */
public final class RelayAudit {
    private RelayAudit() {}

    /** One time the relay was on without a booking covering it. */
    public record Violation(DeviceId pile, Instant closedAt, String reason) {}

    /**
     * @param changes the pile's relay log, oldest first
     * @param bookings every booking on the ledger (of any pile, any state)
     * @param end when the run ended: a relay still on then is judged against this time
     */
    public static List<Violation> check(DeviceId pile, List<LoggingRelay.Change> changes, Collection<AppSnapshot.BookingView> bookings,
            Duration grace, Instant end) {
        List<Violation> violations = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            LoggingRelay.Change change = changes.get(i);
            if (!change.closed()) {
                continue;
            }
            Instant closedAt = change.at();
            Instant openedAt = i + 1 < changes.size() ? changes.get(i + 1).at() : end;
            AppSnapshot.BookingView covering = null;
            for (AppSnapshot.BookingView b : bookings) {
                if (b.pile().equals(pile) && !closedAt.isBefore(Instant.ofEpochSecond(b.windowStart()))
                        && closedAt.isBefore(Instant.ofEpochSecond(b.windowEnd()))) {
                    covering = b;
                    break;
                }
            }
            if (covering == null) {
                violations.add(new Violation(pile, closedAt, "relay closed at " + closedAt + " with no booking of this pile on the "
                        + "ledger whose window covers it"));
                continue;
            }
            Instant latest = Instant.ofEpochSecond(covering.windowEnd()).plus(grace);
            if (openedAt.isAfter(latest)) {
                violations.add(new Violation(pile, closedAt, "relay closed at " + closedAt + " for booking " + covering.txHash()
                        + " stayed closed until " + openedAt + ", past the window's end " + Instant.ofEpochSecond(covering.windowEnd())
                        + " + " + grace.toSeconds() + " s"));
            }
        }
        return violations;
    }
}
