package io.wattproof.ota.install;

import java.util.Optional;

/**
 * What the device knows about its two slots, and the only transitions between such states. Pure:
 * every transition returns a new state (or a refusal and no change); {@link SlotStore} persists
 * each new state before the step it allows is taken, so that a power cut between any two steps
 * leaves a state that names a slot whose contents are complete.
 *
 * <p>The install of version v goes: {@link #beginStaging} (the slot not running is marked
 * {@code WRITING}: from now on its contents are not trusted) → copy and verify → {@link #staged}
 * → {@link #switchTo} (a trial with a number of boot attempts) → {@link #onBoot} boots the trial
 * slot while attempts are left, and falls back to the good slot when none are → {@link #commit}
 * after a passing health check (the trial slot becomes the good one and the floor rises to v), or
 * {@link #healthFailed} (the trial slot is marked bad; the next boot is the good slot). This is
 * RAUC's and the boot loaders' model of boot attempts and "mark-good"/"mark-bad", kept in a file.
 *
 * @param good the slot known to be good: booted whenever no trial has attempts left
 * @param trial the slot switched to and not yet committed, if any
 */
public record SlotState(Slot good, Content a, Content b, Optional<Trial> trial, VersionFloor floor) {

    /** How far a slot's contents can be trusted. */
    public enum Condition {
        /** Nothing installed. */
        EMPTY,
        /** Being written: incomplete, never booted. */
        WRITING,
        /** Complete, its SHA-256 verified after the copy; bootable as a trial. */
        STAGED,
        /** Passed a health check. */
        GOOD,
        /** Failed a health check or ran out of boot attempts. */
        BAD
    }

    public record Content(Condition condition, long version) {
        public static final Content EMPTY = new Content(Condition.EMPTY, 0);
    }

    /**
     * @param attemptsLeft boots still allowed before the fall-back
     * @param booted whether the trial slot has been booted (only then may a health check judge it)
     */
    public record Trial(Slot slot, long version, int attemptsLeft, boolean booted) {}

    /** The decision of one start: the slot to boot, and the state to persist before booting it. */
    public record Boot(Slot slot, SlotState next, boolean rolledBack) {}

    public static final int MAX_ATTEMPTS = 255;

    public SlotState {
        trial = trial == null ? Optional.empty() : trial;
    }

    /** The state of a device as provisioned: the application of {@code version} in slot A. */
    public static SlotState provisioned(long version) {
        return new SlotState(Slot.A, new Content(Condition.GOOD, version), Content.EMPTY, Optional.empty(), new VersionFloor(version));
    }

    public Content content(Slot slot) {
        return slot == Slot.A ? a : b;
    }

    private SlotState with(Slot slot, Content content) {
        return slot == Slot.A ? new SlotState(good, content, b, trial, floor) : new SlotState(good, a, content, trial, floor);
    }

    /** The slot the next image goes to: never the good one, so the good one stays bootable. */
    public Slot inactive() {
        return good.other();
    }

    public Outcome<SlotState> beginStaging(long version) {
        if (trial.isPresent()) {
            return Outcome.refused(InstallRefusal.Reason.TRIAL_IN_PROGRESS, "trial", "none", trial.get());
        }
        if (!floor.admits(version)) {
            return Outcome.refused(InstallRefusal.Reason.ROLLBACK, "version", "> floor " + floor.value(), version);
        }
        return new Outcome.Done<>(with(inactive(), new Content(Condition.WRITING, version)));
    }

    /** The image of {@code version} is complete in {@code slot} and its SHA-256 was checked after the copy. */
    public Outcome<SlotState> staged(Slot slot, long version) {
        Content c = content(slot);
        if (slot == good) {
            return Outcome.refused(InstallRefusal.Reason.WRONG_SLOT, "slot", inactive(), slot);
        }
        if (c.condition() != Condition.WRITING || c.version() != version) {
            return Outcome.refused(InstallRefusal.Reason.NOT_STAGED, "slot." + slot, "WRITING version " + version, c);
        }
        return new Outcome.Done<>(with(slot, new Content(Condition.STAGED, version)));
    }

    public Outcome<SlotState> switchTo(Slot slot, int attempts) {
        if (trial.isPresent()) {
            return Outcome.refused(InstallRefusal.Reason.TRIAL_IN_PROGRESS, "trial", "none", trial.get());
        }
        if (slot == good) {
            return Outcome.refused(InstallRefusal.Reason.WRONG_SLOT, "slot", inactive(), slot);
        }
        if (attempts < 1 || attempts > MAX_ATTEMPTS) {
            return Outcome.refused(InstallRefusal.Reason.ATTEMPTS, "attempts", "1.." + MAX_ATTEMPTS, attempts);
        }
        Content c = content(slot);
        if (c.condition() != Condition.STAGED) {
            return Outcome.refused(InstallRefusal.Reason.NOT_STAGED, "slot." + slot, "STAGED", c);
        }
        if (!floor.admits(c.version())) {
            return Outcome.refused(InstallRefusal.Reason.ROLLBACK, "slot." + slot + ".version", "> floor " + floor.value(), c.version());
        }
        return new Outcome.Done<>(new SlotState(good, a, b, Optional.of(new Trial(slot, c.version(), attempts, false)), floor));
    }

    /**
     * The slot to boot now. A trial with attempts left is booted and loses one attempt (persisted
     * before the boot, so a start that never reaches the health check still counts); a trial with
     * none left has failed: its slot is marked bad and the good slot boots.
     */
    public Boot onBoot() {
        if (trial.isEmpty()) {
            return new Boot(good, this, false);
        }
        Trial t = trial.get();
        if (t.attemptsLeft() > 0) {
            Trial next = new Trial(t.slot(), t.version(), t.attemptsLeft() - 1, true);
            return new Boot(t.slot(), new SlotState(good, a, b, Optional.of(next), floor), false);
        }
        SlotState next = new SlotState(good, a, b, Optional.empty(), floor).with(t.slot(), new Content(Condition.BAD, t.version()));
        return new Boot(good, next, true);
    }

    /** The trial slot, now running, passed its health check: it becomes the good slot and the floor rises to its version. */
    public Outcome<SlotState> commit(Slot running) {
        Outcome<Trial> t = judged(running);
        if (t instanceof Outcome.Refused<Trial> r) {
            return new Outcome.Refused<>(r.refusal());
        }
        Trial trial = ((Outcome.Done<Trial>) t).value();
        return switch (floor.moveTo(trial.version())) {
            case Outcome.Refused<VersionFloor> r -> new Outcome.Refused<>(r.refusal());
            case Outcome.Done<VersionFloor> f -> new Outcome.Done<>(new SlotState(trial.slot(), a, b, Optional.empty(), f.value())
                    .with(trial.slot(), new Content(Condition.GOOD, trial.version())));
        };
    }

    /** The trial slot, now running, failed its health check: it is marked bad and the next boot is the good slot. */
    public Outcome<SlotState> healthFailed(Slot running) {
        Outcome<Trial> t = judged(running);
        if (t instanceof Outcome.Refused<Trial> r) {
            return new Outcome.Refused<>(r.refusal());
        }
        Trial trial = ((Outcome.Done<Trial>) t).value();
        return new Outcome.Done<>(new SlotState(good, a, b, Optional.empty(), floor).with(trial.slot(), new Content(Condition.BAD, trial.version())));
    }

    private Outcome<Trial> judged(Slot running) {
        if (trial.isEmpty()) {
            return Outcome.refused(InstallRefusal.Reason.NO_TRIAL, "trial", "a trial", "none");
        }
        Trial t = trial.get();
        if (t.slot() != running || !t.booted()) {
            return Outcome.refused(InstallRefusal.Reason.WRONG_SLOT, "running", "trial slot " + t.slot() + " booted", running + (t.booted() ? "" : ", trial not booted"));
        }
        return new Outcome.Done<>(t);
    }

    /**
     * Whether this state can be reached by the transitions above: the good slot is GOOD and at or
     * above the floor, a trial is on the other slot, STAGED, above the floor. A decoded file that
     * fails this is treated as damaged.
     */
    public Optional<String> inconsistency() {
        Content g = content(good);
        if (g.condition() != Condition.GOOD) {
            return Optional.of("good slot " + good + " is " + g.condition());
        }
        if (g.version() < floor.value()) {
            return Optional.of("good slot version " + g.version() + " below floor " + floor.value());
        }
        if (trial.isPresent()) {
            Trial t = trial.get();
            Content c = content(t.slot());
            if (t.slot() == good || c.condition() != Condition.STAGED || c.version() != t.version() || !floor.admits(t.version())
                    || t.attemptsLeft() < 0 || t.attemptsLeft() > MAX_ATTEMPTS) {
                return Optional.of("trial " + t + " does not match slot " + t.slot() + " " + c);
            }
        }
        return Optional.empty();
    }
}
