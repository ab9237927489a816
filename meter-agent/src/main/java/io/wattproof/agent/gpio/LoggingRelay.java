package io.wattproof.agent.gpio;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A virtual relay that records every change with its time: the simulator's piles use it, and a
 * run's relay_violations check compares its log with the verified bookings and start requests.
 * Commanding the state it already has is not a change and is not logged.
 */
public final class LoggingRelay implements Relay {
    /** One switching of the relay. */
    public record Change(Instant at, boolean closed) {}

    private final Clock clock;
    private final List<Change> changes = new ArrayList<>();
    private boolean closed;

    public LoggingRelay(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void close() {
        set(true);
    }

    @Override
    public synchronized void open() {
        set(false);
    }

    @Override
    public synchronized boolean isClosed() {
        return closed;
    }

    public synchronized List<Change> changes() {
        return List.copyOf(changes);
    }

    private void set(boolean close) {
        if (closed != close) {
            closed = close;
            changes.add(new Change(clock.instant(), close));
        }
    }
}
