package io.wattproof.agent.gpio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LoggingRelayTest {
    @Test
    void everyChangeIsLoggedWithItsTimeAndRepeatsAreNot() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-27T10:00:00Z"));
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        LoggingRelay relay = new LoggingRelay(clock);
        relay.open();
        relay.close();
        now.set(now.get().plusSeconds(5));
        relay.close();
        assertTrue(relay.isClosed());
        now.set(now.get().plusSeconds(5));
        relay.open();
        assertEquals(List.of(new LoggingRelay.Change(Instant.parse("2026-11-27T10:00:00Z"), true),
                new LoggingRelay.Change(Instant.parse("2026-11-27T10:00:10Z"), false)), relay.changes());
    }
}
