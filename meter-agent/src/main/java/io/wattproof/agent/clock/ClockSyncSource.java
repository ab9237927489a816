package io.wattproof.agent.clock;

/**
 * Where the agent learns whether its clock is synchronised. Called from the agent's worker at every
 * tick, so implementations that ask a process are wrapped in a {@link CachingClockSyncSource}.
 */
public interface ClockSyncSource {

    ClockSyncStatus status();

    /**
     * A source that vouches for the clock without asking anything: for a clock the caller controls
     * (the simulator's devices, tests) or a host whose operator chose {@code --clock-sync
     * assume-synchronised}. Its records never carry CLOCK_UNSYNCED, and the reason says why.
     */
    static ClockSyncSource assumedSynchronised(String why) {
        ClockSyncStatus status = new ClockSyncStatus.Synchronised("assumed: " + why);
        return () -> status;
    }
}
