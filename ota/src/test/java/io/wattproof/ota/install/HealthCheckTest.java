package io.wattproof.ota.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HealthCheckTest {
    private static final Instant BOOT = Instant.parse("2026-11-27T10:00:00Z");
    private static final HealthCheck CHECK = new HealthCheck(Duration.ofMinutes(10));

    private static HealthCheck.Probes probes(boolean agent, boolean broker, Instant reading) {
        return new HealthCheck.Probes(agent, broker, Optional.ofNullable(reading));
    }

    @Test
    void allProbesWithAReadingSignedAfterTheBootPass() {
        assertInstanceOf(HealthCheck.Verdict.Passed.class, CHECK.judge(probes(true, true, BOOT.plusSeconds(30)), BOOT, BOOT.plusSeconds(31)));
        // Even late: what counts is that it happened, and the caller asks as soon as it can.
        assertInstanceOf(HealthCheck.Verdict.Passed.class, CHECK.judge(probes(true, true, BOOT), BOOT, BOOT.plusSeconds(3600)));
    }

    @Test
    void beforeTheWindowEndsAMissingProbeMeansWait() {
        HealthCheck.Verdict v = CHECK.judge(probes(true, false, null), BOOT, BOOT.plusSeconds(599));
        assertEquals(new HealthCheck.Verdict.Waiting(BOOT.plusSeconds(600)), v);
    }

    @Test
    void atTheEndOfTheWindowTheFirstMissingProbeFailsIt() {
        Instant end = BOOT.plusSeconds(600);
        assertEquals("health.agentUp", failed(CHECK.judge(probes(false, false, null), BOOT, end)).field());
        assertEquals("health.brokerReachable", failed(CHECK.judge(probes(true, false, null), BOOT, end)).field());
        InstallRefusal r = failed(CHECK.judge(probes(true, true, null), BOOT, end));
        assertEquals("health.lastSignedReading", r.field());
        assertEquals("none", r.actual());
        assertEquals(InstallRefusal.Reason.HEALTH, r.reason());
    }

    @Test
    void aReadingSignedBeforeTheBootIsTheOldVersionsAndDoesNotCount() {
        InstallRefusal r = failed(CHECK.judge(probes(true, true, BOOT.minusSeconds(1)), BOOT, BOOT.plusSeconds(600)));
        assertEquals("at or after boot 2026-11-27T10:00:00Z", r.expected());
        assertEquals("2026-11-27T09:59:59Z", r.actual());
    }

    private static InstallRefusal failed(HealthCheck.Verdict v) {
        return assertInstanceOf(HealthCheck.Verdict.Failed.class, v).why();
    }
}
