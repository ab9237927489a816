package io.wattproof.agent.charging;

import io.wattproof.protocol.v1.PileOffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/**
 * How a pile keeps itself bookable (docs/charging.md, "In the daemon and the simulator"): it offers
 * [now, now + window) at {@link #unitPrice} and {@link #maxPowerW} whenever none of its offers ends
 * more than {@link #lead()} ahead, and offers at most once per {@link #RETRY}. Pure: {@link #next}
 * takes the time and the pile's offers and says what to offer.
 *
 * @param unitPrice micro-units per kWh, 1..10^9 (the range {@code ChargingPile.publishOffer} takes)
 * @param maxPowerW W, 1..1,000,000
 * @param windowDays the length of each offer's window in days, 1..30
 */
public record OfferPolicy(long unitPrice, int maxPowerW, int windowDays) {
    public static final long MAX_UNIT_PRICE = 1_000_000_000L;
    public static final int MAX_POWER_W = 1_000_000;
    public static final int MAX_WINDOW_DAYS = 30;
    public static final int DEFAULT_WINDOW_DAYS = 7;
    /** A refused offer is offered again no sooner than this after the last one. */
    public static final Duration RETRY = Duration.ofHours(1);
    /** A pile wants an offer ending at least this far ahead, so a car owner can book a day in advance. */
    static final Duration LEAD = Duration.ofDays(1);

    public OfferPolicy {
        if (unitPrice < 1 || unitPrice > MAX_UNIT_PRICE) {
            throw new IllegalArgumentException("offer unit_price: expected 1.." + MAX_UNIT_PRICE + " micro-units per kWh, got " + unitPrice);
        }
        if (maxPowerW < 1 || maxPowerW > MAX_POWER_W) {
            throw new IllegalArgumentException("offer max_power_w: expected 1.." + MAX_POWER_W + " W, got " + maxPowerW);
        }
        if (windowDays < 1 || windowDays > MAX_WINDOW_DAYS) {
            throw new IllegalArgumentException("offer window_days: expected 1.." + MAX_WINDOW_DAYS + ", got " + windowDays);
        }
    }

    /** An offer to make: its window in epoch seconds, [start, end). */
    public record Window(long start, long end) {}

    public Duration window() {
        return Duration.ofDays(windowDays);
    }

    /**
     * How far ahead the pile's latest offer must end: one day, or half the window when that is
     * shorter — a one-day window would otherwise be renewed every hour, one ledger transaction
     * each, while it is never a day ahead.
     */
    public Duration lead() {
        Duration half = window().dividedBy(2);
        return half.compareTo(LEAD) < 0 ? half : LEAD;
    }

    /**
     * What to offer now, if anything.
     *
     * @param offers the pile's own open offers (refused ones already dropped)
     * @param lastOfferedAt when the pile last tried to offer under this policy; empty if never. A
     *     time after {@code now} (the clock was set back) does not hold the next offer back.
     * @return the window [now, now + window) when no offer ends more than {@link #lead()} after
     *     {@code now} and the last try is at least {@link #RETRY} ago; else empty
     */
    public Optional<Window> next(Instant now, Collection<PileOffer> offers, Optional<Instant> lastOfferedAt) {
        if (lastOfferedAt.isPresent() && !now.isBefore(lastOfferedAt.get()) && now.isBefore(lastOfferedAt.get().plus(RETRY))) {
            return Optional.empty();
        }
        long horizon = now.plus(lead()).getEpochSecond();
        for (PileOffer o : offers) {
            if (o.getWindowEnd() > horizon) {
                return Optional.empty();
            }
        }
        long start = now.getEpochSecond();
        return Optional.of(new Window(start, start + window().toSeconds()));
    }
}
