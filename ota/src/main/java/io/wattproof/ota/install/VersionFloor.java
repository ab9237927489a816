package io.wattproof.ota.install;

/**
 * The anti-rollback floor: the lowest version the device may run. It is raised to a version once
 * that version passed its health check and never lowered, so an image signed long ago with a
 * known hole cannot be installed again even though its signature is still valid.
 */
public record VersionFloor(long value) {

    public VersionFloor {
        if (value < 0) {
            throw new IllegalArgumentException("floor " + value + " < 0");
        }
    }

    /** Whether an image of this version may be installed: strictly above the floor. */
    public boolean admits(long version) {
        return version > value;
    }

    /** The floor moved to {@code to}; refused if that would lower it. */
    public Outcome<VersionFloor> moveTo(long to) {
        if (to < value) {
            return Outcome.refused(InstallRefusal.Reason.ROLLBACK, "floor", "≥ " + value, to);
        }
        return new Outcome.Done<>(new VersionFloor(to));
    }
}
