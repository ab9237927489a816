package io.wattproof.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SystemdNotifyTest {
    @Test
    void withoutNotifySocketNothingIsSentAndNoWatchdogIsServed() {
        SystemdNotify n = SystemdNotify.fromEnvironment(Map.of("WATCHDOG_USEC", "1000000"), 42);
        assertFalse(n.enabled());
        assertEquals(Optional.empty(), n.watchdogTimeout());
        n.ready("x"); // does nothing, throws nothing
        assertEquals("not under systemd", n.describe());
    }

    @Test
    void theWatchdogAppliesOnlyToThePidSystemdNamed() {
        assertEquals(Optional.of(Duration.ofMillis(1500)), SystemdNotify.watchdogTimeout(Map.of("WATCHDOG_USEC", "1500000"), 42));
        assertEquals(Optional.of(Duration.ofSeconds(60)),
                SystemdNotify.watchdogTimeout(Map.of("WATCHDOG_USEC", "60000000", "WATCHDOG_PID", "42"), 42));
        // sd_watchdog_enabled(3): a watchdog for another process (our launcher, say) is not ours.
        assertEquals(Optional.empty(), SystemdNotify.watchdogTimeout(Map.of("WATCHDOG_USEC", "60000000", "WATCHDOG_PID", "7"), 42));
    }

    @Test
    void unusableWatchdogValuesAreIgnoredNotFatal() {
        for (String bad : new String[] {"", "abc", "-5", "0", "99999999999999999999"}) {
            assertEquals(Optional.empty(), SystemdNotify.watchdogTimeout(Map.of("WATCHDOG_USEC", bad), 42), bad);
        }
    }
}
