package io.wattproof.agent.gpio;

import java.time.Duration;
import java.util.PriorityQueue;

/** A {@link GpioTimer} that moves only when a test advances it, running due tasks in time order. */
final class ManualGpioTimer implements GpioTimer {
    private record Task(long at, long order, Runnable run, boolean[] cancelled) {}

    private final PriorityQueue<Task> tasks =
            new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.order, b.order));
    private long now;
    private long order;

    ManualGpioTimer(long startNanos) {
        this.now = startNanos;
    }

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized Cancellable schedule(long delayNanos, Runnable task) {
        boolean[] cancelled = {false};
        tasks.add(new Task(now + Math.max(0, delayNanos), order++, task, cancelled));
        return () -> cancelled[0] = true;
    }

    /** Moves time forward by {@code d}, running each task when its time comes. */
    void advance(Duration d) {
        long end;
        synchronized (this) {
            end = now + d.toNanos();
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.peek();
                if (next == null || next.at - end > 0) {
                    now = end;
                    return;
                }
                tasks.poll();
                now = next.at;
            }
            if (!next.cancelled[0]) {
                next.run.run();
            }
        }
    }

    synchronized int pendingTasks() {
        return (int) tasks.stream().filter(t -> !t.cancelled[0]).count();
    }
}
