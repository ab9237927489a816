package io.wattproof.ota.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.ota.install.SlotState.Condition;
import org.junit.jupiter.api.Test;

class SlotStateTest {

    static <T> T done(Outcome<T> o) {
        if (o instanceof Outcome.Done<T> d) {
            return d.value();
        }
        throw new AssertionError("expected Done, got " + o);
    }

    static InstallRefusal refused(Outcome<?> o) {
        return assertInstanceOf(Outcome.Refused.class, o, () -> o.toString()).refusal();
    }

    /** v1 good in A, v2 switched to in B for a trial of {@code attempts} boots. */
    private static SlotState trialOfV2(int attempts) {
        SlotState s = done(SlotState.provisioned(1).beginStaging(2));
        s = done(s.staged(Slot.B, 2));
        return done(s.switchTo(Slot.B, attempts));
    }

    @Test
    void aPassingTrialBecomesTheGoodSlotAndRaisesTheFloor() {
        SlotState.Boot boot = trialOfV2(1).onBoot();
        assertEquals(Slot.B, boot.slot());
        SlotState committed = done(boot.next().commit(Slot.B));
        assertEquals(Slot.B, committed.good());
        assertEquals(new SlotState.Content(Condition.GOOD, 2), committed.b());
        assertEquals(2, committed.floor().value());
        assertTrue(committed.trial().isEmpty());
        assertEquals(Slot.B, committed.onBoot().slot());
        assertTrue(committed.inconsistency().isEmpty());
        // The next image goes to A, the slot not running.
        assertEquals(Slot.A, committed.inactive());
    }

    @Test
    void aFailedHealthCheckBootsTheOldSlotNext() {
        SlotState.Boot boot = trialOfV2(3).onBoot();
        SlotState after = done(boot.next().healthFailed(Slot.B));
        assertEquals(Condition.BAD, after.b().condition());
        SlotState.Boot next = after.onBoot();
        assertEquals(Slot.A, next.slot());
        assertEquals(new SlotState.Content(Condition.GOOD, 1), next.next().a());
        assertEquals(1, next.next().floor().value());
    }

    @Test
    void exhaustedAttemptsRollBack() {
        SlotState s = trialOfV2(2);
        SlotState.Boot first = s.onBoot();
        assertEquals(Slot.B, first.slot());
        SlotState.Boot second = first.next().onBoot();
        assertEquals(Slot.B, second.slot());
        SlotState.Boot third = second.next().onBoot();
        assertEquals(Slot.A, third.slot());
        assertTrue(third.rolledBack());
        assertEquals(Condition.BAD, third.next().b().condition());
        assertTrue(third.next().trial().isEmpty());
        assertEquals(Slot.A, third.next().onBoot().slot());
    }

    @Test
    void stagingAtOrBelowTheFloorIsARollback() {
        SlotState s = SlotState.provisioned(5);
        InstallRefusal r = refused(s.beginStaging(5));
        assertEquals(InstallRefusal.Reason.ROLLBACK, r.reason());
        assertEquals("version", r.field());
        assertEquals("> floor 5", r.expected());
        assertEquals("5", r.actual());
        assertEquals(InstallRefusal.Reason.ROLLBACK, refused(s.beginStaging(4)).reason());
    }

    @Test
    void switchingToASlotWithNothingStagedIsRefused() {
        SlotState s = SlotState.provisioned(1);
        InstallRefusal r = refused(s.switchTo(Slot.B, 1));
        assertEquals(InstallRefusal.Reason.NOT_STAGED, r.reason());
        assertEquals("slot.B", r.field());
        // Half written is not staged either.
        assertEquals(InstallRefusal.Reason.NOT_STAGED, refused(done(s.beginStaging(2)).switchTo(Slot.B, 1)).reason());
        assertEquals(InstallRefusal.Reason.WRONG_SLOT, refused(s.switchTo(Slot.A, 1)).reason());
    }

    @Test
    void stagedOnlyConfirmsTheVersionBeingWritten() {
        SlotState writing = done(SlotState.provisioned(1).beginStaging(2));
        assertEquals(InstallRefusal.Reason.NOT_STAGED, refused(writing.staged(Slot.B, 3)).reason());
        assertEquals(InstallRefusal.Reason.WRONG_SLOT, refused(writing.staged(Slot.A, 2)).reason());
    }

    @Test
    void attemptsOutsideTheirRangeAreRefused() {
        SlotState s = done(done(SlotState.provisioned(1).beginStaging(2)).staged(Slot.B, 2));
        assertEquals(InstallRefusal.Reason.ATTEMPTS, refused(s.switchTo(Slot.B, 0)).reason());
        assertEquals(InstallRefusal.Reason.ATTEMPTS, refused(s.switchTo(Slot.B, 256)).reason());
    }

    @Test
    void noNewInstallWhileATrialRuns() {
        assertEquals(InstallRefusal.Reason.TRIAL_IN_PROGRESS, refused(trialOfV2(1).beginStaging(3)).reason());
    }

    @Test
    void onlyTheBootedTrialSlotCanBeJudged() {
        SlotState notBooted = trialOfV2(1);
        assertEquals(InstallRefusal.Reason.WRONG_SLOT, refused(notBooted.commit(Slot.B)).reason());
        SlotState booted = notBooted.onBoot().next();
        assertEquals(InstallRefusal.Reason.WRONG_SLOT, refused(booted.commit(Slot.A)).reason());
        assertEquals(InstallRefusal.Reason.WRONG_SLOT, refused(booted.healthFailed(Slot.A)).reason());
        assertEquals(InstallRefusal.Reason.NO_TRIAL, refused(SlotState.provisioned(1).commit(Slot.A)).reason());
    }

    @Test
    void theFloorNeverGoesDown() {
        VersionFloor f = new VersionFloor(7);
        InstallRefusal r = refused(f.moveTo(6));
        assertEquals(InstallRefusal.Reason.ROLLBACK, r.reason());
        assertEquals("≥ 7", r.expected());
        assertEquals(new VersionFloor(9), done(f.moveTo(9)));
        assertFalse(f.admits(7));
        assertTrue(f.admits(8));
    }
}
