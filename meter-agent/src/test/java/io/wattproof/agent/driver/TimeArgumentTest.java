package io.wattproof.agent.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimeArgumentTest {
    static final Instant NOW = Instant.parse("2026-11-27T18:00:00Z");

    @ParameterizedTest
    @CsvSource({
            "2026-11-27T19:30:00Z, 2026-11-27T19:30:00Z",
            "PT15M, 2026-11-27T18:15:00Z",
            "+PT1H, 2026-11-27T19:00:00Z",
            "90s, 2026-11-27T18:01:30Z",
            "15m, 2026-11-27T18:15:00Z",
            "+2h, 2026-11-27T20:00:00Z",
            "1h30m, 2026-11-27T19:30:00Z",
            "0s, 2026-11-27T18:00:00Z",
    })
    void instantsAndDurationsFromNow(String text, String expected) {
        assertEquals(Instant.parse(expected), TimeArgument.parse(text, NOW));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "+", "soon", "15", "-5m", "PT-5M", "99999999999999999999h", "2026-11-27", "m"})
    void anythingElseNamesWhatIsExpected(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TimeArgument.parse(text, NOW));
        assertTrue(e.getMessage().startsWith("expected an ISO-8601 instant (2026-11-27T18:00:00Z) or a duration from now"), e.getMessage());
        assertTrue(e.getMessage().endsWith("got '" + text + "'"), e.getMessage());
    }
}
