package io.wattproof.agent.clock;

import java.util.concurrent.atomic.AtomicInteger;

/** A test double: answers whatever the test last set, and counts how often it was asked. */
public final class FakeClockSyncSource implements ClockSyncSource {
    private volatile ClockSyncStatus status;
    final AtomicInteger asked = new AtomicInteger();

    public FakeClockSyncSource(ClockSyncStatus status) {
        this.status = status;
    }

    public void set(ClockSyncStatus status) {
        this.status = status;
    }

    public int asked() {
        return asked.get();
    }

    @Override
    public ClockSyncStatus status() {
        asked.incrementAndGet();
        return status;
    }
}
