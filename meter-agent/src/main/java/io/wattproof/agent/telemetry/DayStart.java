package io.wattproof.agent.telemetry;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

/**
 * Where "energy today" counts from: the meter's own import register at the start of a local day.
 * Kept in the data folder ({@link DayStartFile}) so that a restart in the middle of the day goes on
 * counting from the same point instead of from zero.
 *
 * @param day the local calendar day, in the zone the agent was configured with
 * @param startWh the import register at {@code since}, whole Wh (≥ 0)
 * @param since local midnight of {@code day}, or the first reading of the day when {@code partial}
 * @param partial true when no reading near midnight was available (agent or board off across
 *     midnight, first start): today then counts only from {@code since}, and says so
 */
public record DayStart(LocalDate day, long startWh, Instant since, boolean partial) {
    public DayStart {
        Objects.requireNonNull(day, "day");
        Objects.requireNonNull(since, "since");
        if (startWh < 0) {
            throw new IllegalArgumentException("day start: register must be ≥ 0 Wh, got " + startWh);
        }
    }
}
