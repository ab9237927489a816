package io.wattproof.agent.gpio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.agent.AgentStatus;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LedPatternTest {
    @Test
    void patternsHaveTheirDocumentedRhythm() {
        assertEquals(Duration.ofMillis(500), LedPattern.UNPROVISIONED.on());
        assertEquals(Duration.ofMillis(500), LedPattern.UNPROVISIONED.off());
        assertTrue(LedPattern.ONLINE.isSteady());
        assertEquals(Duration.ofSeconds(2), LedPattern.BUFFERING_OFFLINE.on().plus(LedPattern.BUFFERING_OFFLINE.off()));
        assertTrue(LedPattern.BUFFERING_OFFLINE.on().compareTo(LedPattern.BUFFERING_OFFLINE.off()) < 0, "a short flash");
        assertEquals(Duration.ofMillis(200), LedPattern.FAULT.on().plus(LedPattern.FAULT.off()));
        for (LedPattern p : LedPattern.values()) {
            assertFalse(p.on().isZero(), p + " lights at all");
        }
    }

    @Test
    void agentStatusSelectsThePattern() {
        assertEquals(LedPattern.ONLINE, LedPattern.forStatus(new AgentStatus("ab", 5, 0, true, 0, false, false)));
        assertEquals(LedPattern.ONLINE, LedPattern.forStatus(new AgentStatus("ab", 5, 3, true, 2, false, false)),
                "records in flight and past failures do not matter");
        assertEquals(LedPattern.BUFFERING_OFFLINE, LedPattern.forStatus(new AgentStatus("ab", 5, 3, false, 0, false, false)));
        assertEquals(LedPattern.FAULT, LedPattern.forStatus(new AgentStatus("ab", 5, 0, true, 1, true, false)));
        assertEquals(LedPattern.FAULT, LedPattern.forStatus(new AgentStatus("ab", 5, 4, false, 1, true, false)),
                "a meter fault outranks being offline");
        assertEquals(LedPattern.FAULT, LedPattern.forStatus(new AgentStatus("ab", 5, 4, true, 0, false, true)),
                "a full outbox records nothing: a fault");
    }
}
