package io.wattproof.agent.charging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.protocol.v1.PileOffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When a pile that keeps an offer open makes a new one (docs/charging.md, "In the daemon and the simulator"). */
class OfferPolicyTest {
    private static final Instant NOW = Instant.parse("2026-11-27T08:00:00Z");
    private static final OfferPolicy WEEK = new OfferPolicy(300_000, 11_000, 7);

    private static PileOffer endingIn(Duration d) {
        return PileOffer.newBuilder().setWindowStart(NOW.minus(Duration.ofDays(6)).getEpochSecond())
                .setWindowEnd(NOW.plus(d).getEpochSecond()).build();
    }

    @Test
    void withNoOfferThePileOffersTheWholeWindowFromNow() {
        assertEquals(Optional.of(new OfferPolicy.Window(NOW.getEpochSecond(), NOW.plus(Duration.ofDays(7)).getEpochSecond())),
                WEEK.next(NOW, List.of(), Optional.empty()));
    }

    @Test
    void anOfferEndingInTwoDaysIsEnough() {
        assertEquals(Optional.empty(), WEEK.next(NOW, List.of(endingIn(Duration.ofDays(2))), Optional.empty()));
    }

    @Test
    void anOfferEndingWithinADayIsFollowedByANewOne() {
        assertEquals(Optional.of(new OfferPolicy.Window(NOW.getEpochSecond(), NOW.plus(Duration.ofDays(7)).getEpochSecond())),
                WEEK.next(NOW, List.of(endingIn(Duration.ofHours(12))), Optional.empty()));
        assertEquals(Optional.empty(), WEEK.next(NOW, List.of(endingIn(Duration.ofHours(12)), endingIn(Duration.ofDays(3))),
                Optional.empty()), "any offer far enough ahead is enough");
        assertTrue(WEEK.next(NOW, List.of(endingIn(Duration.ofDays(1))), Optional.empty()).isPresent(),
                "exactly a day ahead is not more than a day");
    }

    @Test
    void notMoreThanOnceAnHour() {
        assertEquals(Optional.empty(), WEEK.next(NOW, List.of(), Optional.of(NOW.minus(Duration.ofMinutes(59)))));
        assertEquals(Optional.empty(), WEEK.next(NOW, List.of(), Optional.of(NOW)));
        assertTrue(WEEK.next(NOW, List.of(), Optional.of(NOW.minus(Duration.ofHours(1)))).isPresent());
        assertTrue(WEEK.next(NOW, List.of(), Optional.of(NOW.plus(Duration.ofDays(1)))).isPresent(),
                "a clock set back does not hold offers back until it catches up");
    }

    @Test
    void aOneDayWindowIsRenewedAtHalfItsLengthNotEveryHour() {
        OfferPolicy day = new OfferPolicy(300_000, 11_000, 1);
        assertEquals(Duration.ofHours(12), day.lead());
        assertEquals(Optional.empty(), day.next(NOW, List.of(endingIn(Duration.ofHours(23))), Optional.empty()));
        assertTrue(day.next(NOW, List.of(endingIn(Duration.ofHours(12))), Optional.empty()).isPresent());
        assertEquals(Duration.ofDays(1), WEEK.lead());
    }

    @Test
    void valuesTheLedgerWouldRefuseAreRefusedByName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new OfferPolicy(0, 11_000, 7)).getMessage()
                .contains("unit_price"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new OfferPolicy(1_000_000_001L, 11_000, 7)).getMessage()
                .contains("unit_price"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new OfferPolicy(1, 0, 7)).getMessage().contains("max_power_w"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new OfferPolicy(1, 1_000_001, 7)).getMessage()
                .contains("max_power_w"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new OfferPolicy(1, 1, 0)).getMessage().contains("window_days"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new OfferPolicy(1, 1, 31)).getMessage().contains("window_days"));
    }
}
