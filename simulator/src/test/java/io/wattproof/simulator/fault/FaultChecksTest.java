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

    private static FaultChecks.MeterForgeries meter(int meter, long served, long outOfReach, long detected) {
        return new FaultChecks.MeterForgeries(meter, served, outOfReach, detected);
    }

    @Test
    void everyLieThatCouldReachAMeterMustBeDetectedThere() {
        FaultChecks.Verdict all = FaultChecks.everyForgeryDetected(List.of(meter(1, 3, 0, 3), meter(2, 1, 0, 1)), 2);
        assertTrue(all.passed());
        assertEquals("served=4 detected=4 receipts_withheld=2", all.detail());
        FaultChecks.Verdict missed = FaultChecks.everyForgeryDetected(List.of(meter(1, 3, 0, 2), meter(2, 1, 0, 1)), 0);
        assertFalse(missed.passed());
        assertEquals("served=4 detected=3 receipts_withheld=0; meter 1: served=3 detected=2 (expected 3)", missed.detail());
    }

    @Test
    void aLieToAMeterOutOfReachMayGoUndetectedButNotOneToAnother() {
        FaultChecks.Verdict dropped = FaultChecks.everyForgeryDetected(List.of(meter(1, 2, 0, 2), meter(3, 2, 1, 1)), 0);
        assertTrue(dropped.passed(), dropped.detail());
        assertEquals("served=4 detected=3 receipts_withheld=0; served while the meter was out of reach (may be dropped): meter 3: 1",
                dropped.detail());
        assertTrue(FaultChecks.everyForgeryDetected(List.of(meter(1, 2, 0, 2), meter(3, 2, 1, 2)), 0).passed(),
                "a lie told just before the cut may still arrive");
        FaultChecks.Verdict elsewhere = FaultChecks.everyForgeryDetected(List.of(meter(1, 2, 0, 1), meter(3, 2, 1, 2)), 0);
        assertFalse(elsewhere.passed(), "meter 3's spare detection does not cover meter 1's miss");
        assertTrue(elsewhere.detail().endsWith("; meter 1: served=2 detected=1 (expected 2)"), elsewhere.detail());
    }

    @Test
    void moreDetectionsThanLiesIsWrongToo() {
        FaultChecks.Verdict v = FaultChecks.everyForgeryDetected(List.of(meter(1, 2, 1, 3)), 0);
        assertFalse(v.passed());
        assertTrue(v.detail().endsWith("; meter 1: served=2 detected=3 (expected 1..2)"), v.detail());
    }

    @Test
    void aGatewayThatNeverLiedToAMeterInReachTestedNothing() {
        assertFalse(FaultChecks.everyForgeryDetected(List.of(meter(1, 0, 0, 0), meter(2, 0, 0, 0)), 0).passed());
        FaultChecks.Verdict onlyDropped = FaultChecks.everyForgeryDetected(List.of(meter(1, 2, 2, 0)), 0);
        assertFalse(onlyDropped.passed());
        assertTrue(onlyDropped.detail().contains("(expected the gateway to lie at least once to a meter in reach)"), onlyDropped.detail());
    }

    @Test
    void validatorChangesAndUnendedFaults() {
        assertTrue(FaultChecks.valsetChanges(3, 2, 30).passed());
        assertFalse(FaultChecks.valsetChanges(1, 2, 9).passed());
        assertTrue(FaultChecks.faultsEnded(Map.of()).passed());
        assertFalse(FaultChecks.faultsEnded(Map.of(2, "#2 power-cut meter=3 for=8s")).passed());
    }
}
