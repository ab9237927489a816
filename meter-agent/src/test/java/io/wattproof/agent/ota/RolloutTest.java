package io.wattproof.agent.ota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.agent.ota.Rollout.Outcome;
import io.wattproof.agent.ota.UpdateServer.DeviceStatus;
import io.wattproof.ota.v1.UpdatePhase;
import io.wattproof.ota.v1.UpdateStatus;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RolloutTest {
    private static final Instant SINCE = Instant.parse("2026-11-27T12:00:00Z");
    private static final Rollout FLEET = new Rollout(Set.of(7L), Set.of(), SINCE);

    private static DeviceStatus status(String id, UpdatePhase phase, long running, long target, boolean retained, Instant at) {
        return new DeviceStatus(id, UpdateStatus.newBuilder().setPhase(phase).setRunningVersion(running).setTargetVersion(target).build(),
                retained, at);
    }

    private static DeviceStatus retained(String id, UpdatePhase phase, long running, long target) {
        return status(id, phase, running, target, true, SINCE.minusSeconds(60));
    }

    private static DeviceStatus live(String id, UpdatePhase phase, long running, long target) {
        return status(id, phase, running, target, false, SINCE.plusSeconds(1));
    }

    @Test
    void eachPhaseAboutTheReleaseHasItsOutcome() {
        assertEquals(Outcome.PENDING, FLEET.judge(live("a", UpdatePhase.UPDATE_PHASE_DOWNLOADING, 6, 7)));
        assertEquals(Outcome.PENDING, FLEET.judge(live("a", UpdatePhase.UPDATE_PHASE_TRIAL, 6, 7)));
        assertEquals(Outcome.UPDATED, FLEET.judge(live("a", UpdatePhase.UPDATE_PHASE_UPDATED, 7, 7)));
        assertEquals(Outcome.ROLLED_BACK, FLEET.judge(live("a", UpdatePhase.UPDATE_PHASE_ROLLED_BACK, 6, 7)));
        assertEquals(Outcome.REFUSED, FLEET.judge(live("a", UpdatePhase.UPDATE_PHASE_REFUSED, 6, 7)));
        // A device that already runs the release's version has nothing to do: updated.
        assertEquals(Outcome.UPDATED, FLEET.judge(retained("a", UpdatePhase.UPDATE_PHASE_IDLE, 7, 0)));
        // A refusal of the announcement itself names no target, but arrives after it.
        assertEquals(Outcome.REFUSED, FLEET.judge(live("a", UpdatePhase.UPDATE_PHASE_REFUSED, 6, 0)));
    }

    @Test
    void aRetainedStatusAboutAnotherVersionSaysNothingAboutTheRelease() {
        DeviceStatus old = retained("a", UpdatePhase.UPDATE_PHASE_UPDATED, 6, 6);
        assertFalse(FLEET.concerns(old));
        assertEquals(Outcome.PENDING, FLEET.judge(old));
        assertFalse(FLEET.concerns(retained("b", UpdatePhase.UPDATE_PHASE_REFUSED, 5, 0)));
        // Live but from before the announcement (between subscribing and announcing): not about it either.
        assertFalse(FLEET.concerns(status("c", UpdatePhase.UPDATE_PHASE_REFUSED, 5, 0, false, SINCE.minusMillis(1))));
        // A retained status about this version does count: it was written for it, e.g. by an earlier publish.
        assertEquals(Outcome.ROLLED_BACK, FLEET.judge(retained("d", UpdatePhase.UPDATE_PHASE_ROLLED_BACK, 6, 7)));
        // Live UPDATED about another version is not this release's success.
        assertEquals(Outcome.PENDING, FLEET.judge(live("e", UpdatePhase.UPDATE_PHASE_UPDATED, 8, 8)));
    }

    @Test
    void withoutDevicesTheFleetIsWhoeverReportsAboutTheRelease() {
        Map<String, DeviceStatus> statuses = Map.of(
                "a", live("a", UpdatePhase.UPDATE_PHASE_UPDATED, 7, 7),
                "old", retained("old", UpdatePhase.UPDATE_PHASE_IDLE, 5, 0));
        Rollout.Summary s = FLEET.summarize(statuses);
        assertEquals(Map.of("a", Outcome.UPDATED), s.outcomes());
        assertTrue(s.finished());
        assertTrue(s.allUpdated());
        assertFalse(FLEET.summarize(Map.of()).finished(), "no device reported yet: not finished");
        assertFalse(FLEET.summarize(Map.of("old", retained("old", UpdatePhase.UPDATE_PHASE_IDLE, 5, 0))).finished());
    }

    @Test
    void withDevicesEveryOneMustBeFinalAndAllUpdatedForSuccess() {
        Rollout some = new Rollout(Set.of(7L), Set.of("a", "b"), SINCE);
        Rollout.Summary waiting = some.summarize(Map.of("a", live("a", UpdatePhase.UPDATE_PHASE_UPDATED, 7, 7)));
        assertEquals(Map.of("a", Outcome.UPDATED, "b", Outcome.PENDING), waiting.outcomes());
        assertFalse(waiting.finished());
        Rollout.Summary mixed = some.summarize(Map.of(
                "a", live("a", UpdatePhase.UPDATE_PHASE_UPDATED, 7, 7),
                "b", live("b", UpdatePhase.UPDATE_PHASE_ROLLED_BACK, 6, 7),
                "c", live("c", UpdatePhase.UPDATE_PHASE_REFUSED, 6, 7)));
        assertEquals(Map.of("a", Outcome.UPDATED, "b", Outcome.ROLLED_BACK), mixed.outcomes(), "c was not targeted");
        assertTrue(mixed.finished());
        assertFalse(mixed.allUpdated());
        assertEquals(1, mixed.count(Outcome.ROLLED_BACK));
    }
}
