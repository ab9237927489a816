package io.wattproof.ota.install;

/** Why an install step was refused: the rule it broke, the field, and the expected and actual values. */
public record InstallRefusal(Reason reason, String field, String expected, String actual) {

    public enum Reason {
        /** A version at or below the floor, or a floor that would go down. */
        ROLLBACK,
        /** A step that needs no trial running while one is. */
        TRIAL_IN_PROGRESS,
        /** A commit or fall-back with no trial to decide. */
        NO_TRIAL,
        /** A switch to a slot whose image is not complete and verified. */
        NOT_STAGED,
        /** A step about a slot other than the one it must be about. */
        WRONG_SLOT,
        /** Boot attempts outside 1..255. */
        ATTEMPTS,
        /** The copied image has another length than announced. */
        LENGTH,
        /** The copied image has another SHA-256 than announced. */
        HASH,
        /** The state file cannot be read and no slot is known to be good. */
        STATE_UNKNOWN,
        /** An external install tool (rauc) exited with an error. */
        TOOL_FAILED,
        /** A probe of the health check still failing when its window ended. */
        HEALTH,
        /** The secure element's counter that keeps the floor cannot be read or raised, or cannot hold the version. */
        COUNTER
    }

    public String message() {
        return field + ": expected " + expected + ", got " + actual + " (" + reason.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }

    @Override
    public String toString() {
        return message();
    }
}
