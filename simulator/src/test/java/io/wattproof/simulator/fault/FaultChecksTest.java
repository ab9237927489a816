package io.wattproof.simulator.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.simulator.SimulationResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each check passes on what it expects and fails, saying why, on anything else. */
class FaultChecksTest {

    private static SimulationResult result(long readings, long rejected, long gaps, long confirmed, long served, long detected) {
        return new SimulationResult(3, readings, confirmed, rejected, gaps, confirmed, 40, detected, served, 0);
    }

    @Test
    void nothingLostNeedsNoRefusalNoGapAndEveryReadingConfirmed() {
        assertTrue(FaultChecks.nothingLost(result(60, 0, 0, 60, 0, 0)).passed());
        FaultChecks.Verdict refused = FaultChecks.nothingLost(result(60, 2, 0, 60, 0, 0));
        assertFalse(refused.passed());
        assertEquals("rejected=2 (expected 0)", refused.detail());
        assertEquals("gaps=1 (expected 0); confirmed=59 (expected all 60 readings)",
                FaultChecks.nothingLost(result(60, 0, 1, 59, 0, 0)).detail());
        assertFalse(FaultChecks.nothingLost(result(0, 0, 0, 0, 0, 0)).passed(), "a fleet that signed nothing lost everything");
    }

    @Test
    void anAlarmMustBeSeenOnItsMeterMatchedByItsBeginning() {
        Set<FaultChecks.SeenAlarm> seen = Set.of(new FaultChecks.SeenAlarm(1, "uplink down"),
                new FaultChecks.SeenAlarm(2, "forgeries detected: 3"));
        List<FaultChecks.Verdict> v = FaultChecks.alarms(List.of(new Scenario.ExpectedAlarm(Optional.of(1), "uplink down"),
                new Scenario.ExpectedAlarm(Optional.empty(), "forgeries detected"),
                new Scenario.ExpectedAlarm(Optional.of(2), "uplink down")), seen);
        assertTrue(v.get(0).passed());
        assertTrue(v.get(1).passed());
        assertFalse(v.get(2).passed());
        assertEquals("never raised; seen instead: [meter 2: forgeries detected: 3]", v.get(2).detail());
    }

    @Test
    void recoveryMustComeWithinTheLimitAndAtAll() {
        List<FaultChecks.Verdict> v = FaultChecks.recovered(List.of(
                new FaultChecks.Recovery(1, "partition meters=[1] for=5s", Optional.of(Duration.ofMillis(2500))),
                new FaultChecks.Recovery(2, "garbage meter=2 for=5s", Optional.of(Duration.ofSeconds(21))),
                new FaultChecks.Recovery(3, "power-cut meter=3 for=5s", Optional.empty())), Duration.ofSeconds(20));
        assertTrue(v.get(0).passed());
        assertEquals("recovered after 2.5s", v.get(0).detail());
        assertFalse(v.get(1).passed());
        assertFalse(v.get(2).passed());
        assertEquals("not recovered by the end of the run", v.get(2).detail());
    }

    @Test
    void everyForgeryDetectedNeedsAtLeastOneServed() {
        assertTrue(FaultChecks.everyForgeryDetected(result(60, 0, 0, 60, 4, 4)).passed());
        assertFalse(FaultChecks.everyForgeryDetected(result(60, 0, 0, 60, 4, 3)).passed());
        assertFalse(FaultChecks.everyForgeryDetected(result(60, 0, 0, 60, 0, 0)).passed(), "a gateway that never lied tested nothing");
    }

    @Test
    void validatorChangesAndUnendedFaults() {
        assertTrue(FaultChecks.valsetChanges(3, 2, 30).passed());
        assertFalse(FaultChecks.valsetChanges(1, 2, 9).passed());
        assertTrue(FaultChecks.faultsEnded(Map.of()).passed());
        assertFalse(FaultChecks.faultsEnded(Map.of(2, "#2 power-cut meter=3 for=8s")).passed());
    }
}
