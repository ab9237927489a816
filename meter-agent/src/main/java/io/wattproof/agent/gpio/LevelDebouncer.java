package io.wattproof.agent.gpio;

/**
 * Debounces a two-level input from the timestamps of its edges: a level counts once it has held
 * for at least the debounce time. Shorter excursions (contact bounce, interference on a long S0
 * cable) are ignored in both directions, so a bounce on the leading or trailing edge of a pulse
 * neither adds a pulse nor loses one.
 *
 * <p>Edges alone cannot tell that a level has held: that is known at the next edge, or when the
 * caller asks with {@link #settle} at a later time. Not thread-safe; times are monotonic
 * nanoseconds (compared by difference, so {@link System#nanoTime()} wrap-around is harmless).
 */
public final class LevelDebouncer {
    /** What a new edge or the passing of time did to the debounced level. */
    public enum Transition {
        NONE,
        ACTIVATED,
        RELEASED
    }

    private final long debounceNanos;
    private boolean stable;
    private boolean raw;
    private long rawSince;
    private long activatedAt;

    /**
     * @param debounceNanos how long a level must hold to count, ns (≥ 0)
     * @param initialActive the level at {@code nowNanos}, taken as settled
     */
    public LevelDebouncer(long debounceNanos, boolean initialActive, long nowNanos) {
        if (debounceNanos < 0) {
            throw new IllegalArgumentException("debounce: expected ≥ 0 ns, got " + debounceNanos);
        }
        this.debounceNanos = debounceNanos;
        this.stable = initialActive;
        this.raw = initialActive;
        this.rawSince = nowNanos;
        this.activatedAt = nowNanos;
    }

    /** The input changed to {@code active} at {@code atNanos}; a repeated level is ignored. */
    public Transition onLevel(boolean active, long atNanos) {
        if (active == raw) {
            return Transition.NONE;
        }
        // Whether the level that is ending held long enough is decided before it is replaced.
        Transition t = settle(atNanos);
        raw = active;
        rawSince = atNanos;
        return t;
    }

    /** Accepts the current input level if it has held since its edge for the debounce time. */
    public Transition settle(long nowNanos) {
        if (raw == stable || nowNanos - rawSince < debounceNanos) {
            return Transition.NONE;
        }
        stable = raw;
        if (stable) {
            activatedAt = rawSince;
            return Transition.ACTIVATED;
        }
        return Transition.RELEASED;
    }

    /** The debounced level. */
    public boolean isActive() {
        return stable;
    }

    /** Time of the edge that began the last accepted active level, ns. */
    public long activatedAtNanos() {
        return activatedAt;
    }
}
