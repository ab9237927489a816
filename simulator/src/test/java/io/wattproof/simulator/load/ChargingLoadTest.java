package io.wattproof.simulator.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ChargingLoadTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    @Test
    void theCarDrawsOnlyWhileTheRelayIsClosed() {
        AtomicBoolean relay = new AtomicBoolean(false);
        ChargingLoad load = new ChargingLoad(7, relay::get);
        load.plugIn(11_000);
        MeterState state = new MeterState(load, ZoneOffset.UTC, T0, 100, 0);

        state = state.advance(Duration.ofSeconds(36));
        assertEquals(100 + ChargingLoad.STANDBY_WATTS * 36 / 3.6e6, state.importKwh(), 1e-12, "relay open: standby only");

        relay.set(true);
        MeterState charged = state.advance(Duration.ofSeconds(36));
        assertEquals((11_000 + ChargingLoad.STANDBY_WATTS) * 36 / 3.6e6, charged.importKwh() - state.importKwh(), 1e-12,
                "relay closed: the car's 11 kW and standby, 36 s = 0.11 kWh");

        relay.set(false);
        MeterState after = charged.advance(Duration.ofSeconds(36));
        assertEquals(ChargingLoad.STANDBY_WATTS * 36 / 3.6e6, after.importKwh() - charged.importKwh(), 1e-12);
        assertEquals(0, after.exportKwh());
    }

    @Test
    void anUnpluggedCarDrawsNothingThroughAClosedRelay() {
        ChargingLoad load = new ChargingLoad(7, () -> true);
        assertEquals(ChargingLoad.STANDBY_WATTS, load.powerWatts(T0, ZoneOffset.UTC));
        load.plugIn(7_400);
        assertEquals(7_400 + ChargingLoad.STANDBY_WATTS, load.powerWatts(T0, ZoneOffset.UTC));
        assertThrows(IllegalArgumentException.class, () -> load.plugIn(-1));
        assertThrows(IllegalArgumentException.class, () -> load.plugIn(Double.NaN));
    }
}
