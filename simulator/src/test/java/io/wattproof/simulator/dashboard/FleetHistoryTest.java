package io.wattproof.simulator.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FleetHistoryTest {
    static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");

    static MeterRow meter(int index, Double powerW, long readings, List<String> alarms) {
        return new MeterRow(index, String.format("%040x", index), String.format("SIM%06d", index), Optional.ofNullable(powerW),
                readings, readings, 1, 2, true, readings, alarms);
    }

    static FleetSample sample(Instant at, long readings, long confirmed, long rejected, List<MeterRow> meters) {
        return new FleetSample(at, "wattproof-test", 10, Optional.of(at), Optional.of(Duration.ofSeconds(1)), readings, confirmed, readings,
                rejected, 0, 0, meters);
    }

    @Test
    void firstSampleHasNoRatesThenRatesAreTheDifferencePerSecond() {
        FleetHistory history = new FleetHistory();
        FleetSnapshot first = history.add(sample(T0, 10, 5, 0, List.of()));
        assertEquals(0.0, first.readingsPerSecond());
        assertEquals(0.0, first.confirmationsPerSecond());
        // 2 s later: 6 more readings and 3 more confirmations.
        FleetSnapshot second = history.add(sample(T0.plusSeconds(2), 16, 8, 0, List.of()));
        assertEquals(3.0, second.readingsPerSecond(), 1e-9);
        assertEquals(1.5, second.confirmationsPerSecond(), 1e-9);
    }

    @Test
    void fleetPowerIsTheSumOfTheMetersThatHaveReadAndFeedsTheChart() {
        FleetHistory history = new FleetHistory();
        FleetSample s = sample(T0, 0, 0, 0, List.of(meter(1, 1500.0, 1, List.of()), meter(2, -400.5, 1, List.of()),
                meter(3, null, 0, List.of())));
        assertEquals(1099.5, s.fleetPowerW(), 1e-9);
        assertEquals(9, s.outboxDepth(), "each meter: 1 in the outbox and 2 awaiting a receipt");
        history.add(s);
        assertEquals(List.of(new FleetHistory.PowerPoint(T0, 1099.5)), history.points());
    }

    @Test
    void aSampleWithNoMeterReadYetAddsNoPointButCountsForRates() {
        FleetHistory history = new FleetHistory();
        history.add(sample(T0, 0, 0, 0, List.of(meter(1, null, 0, List.of()), meter(2, null, 0, List.of()))));
        assertEquals(List.of(), history.points());
        FleetSnapshot next = history.add(sample(T0.plusSeconds(1), 2, 0, 0, List.of(meter(1, 10.0, 1, List.of()), meter(2, null, 1, List.of()))));
        assertEquals(2.0, next.readingsPerSecond(), 1e-9);
        assertEquals(List.of(new FleetHistory.PowerPoint(T0.plusSeconds(1), 10.0)), history.points());
    }

    @Test
    void theChartKeepsOnlyTheNewestPointsUpToItsCapacity() {
        FleetHistory history = new FleetHistory(3);
        for (int i = 0; i < 5; i++) {
            history.add(sample(T0.plusSeconds(i), i, i, 0, List.of(meter(1, (double) i, i, List.of()))));
        }
        assertEquals(List.of(2.0, 3.0, 4.0), history.points().stream().map(FleetHistory.PowerPoint::powerW).toList());
        assertThrows(IllegalArgumentException.class, () -> new FleetHistory(0));
    }

    @Test
    void aSampleNotLaterThanThePreviousGivesNoRatesAndNoPoint() {
        FleetHistory history = new FleetHistory();
        List<MeterRow> read = List.of(meter(1, 100.0, 1, List.of()));
        history.add(sample(T0, 10, 10, 0, read));
        FleetSnapshot back = history.add(sample(T0.minusSeconds(1), 20, 20, 0, read));
        assertEquals(0.0, back.readingsPerSecond());
        FleetSnapshot same = history.add(sample(T0, 30, 30, 0, read));
        assertEquals(0.0, same.readingsPerSecond());
        assertEquals(1, history.points().size());
        // The next later sample is compared with the last one accepted (10 readings at T0).
        assertEquals(5.0, history.add(sample(T0.plusSeconds(2), 20, 10, 0, List.of())).readingsPerSecond(), 1e-9);
    }

    @Test
    void fleetAlarmsNameTheMeterAndAddRefusedTransactions() {
        FleetHistory history = new FleetHistory();
        FleetSnapshot s = history.add(sample(T0, 0, 0, 2, List.of(meter(1, 0.0, 0, List.of("uplink down", "meter not answering")),
                meter(2, 0.0, 0, List.of()))));
        assertEquals(List.of("SIM000001: uplink down", "SIM000001: meter not answering", "transactions refused: 2"), s.alarms());
    }
}
