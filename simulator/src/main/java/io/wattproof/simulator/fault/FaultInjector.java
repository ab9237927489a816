package io.wattproof.simulator.fault;

import io.wattproof.agent.AgentStatus;
import io.wattproof.simulator.Simulation;
import io.wattproof.simulator.fleet.SimulatedDevice;
import io.wattproof.simulator.ledger.gateway.ByzantinePolicy;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Injects {@link Fault}s into a running {@link Simulation}, against its real parts: the embedded
 * broker is stopped and started, a device's {@link LinkProxy} is cut, its agent is stopped and
 * started, its {@link SteppableClock} stepped, its {@link io.wattproof.simulator.meter.VirtualMeter}
 * made to answer garbage, and the gateway's {@link ByzantinePolicy} switched. Each fault ends by
 * itself after its duration; the injector remembers when it began and ended and what each affected
 * device had signed by then, for the recovery check. Scenario files and the dashboard use the same
 * injector. Thread-safe.
 */
public final class FaultInjector implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FaultInjector.class);

    /**
     * One injected fault.
     *
     * @param id 1, 2, ... in the order of injection
     * @param startedNanos {@code System.nanoTime} at injection
     * @param endedNanos when it ended (for a fault that is not undone: when it was injected); empty while it lasts
     * @param signedAtEnd per affected meter (1-based), the last sequence its agent had signed when the fault ended
     */
    public record Injection(int id, Fault fault, long startedNanos, Optional<Long> endedNanos, Map<Integer, Long> signedAtEnd) {}

    private final Simulation sim;
    private final Consumer<String> events;
    private final long origin = System.nanoTime();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(4,
            r -> Thread.ofPlatform().daemon().name("faults").unstarted(r));
    private final List<Injection> injections = new ArrayList<>();
    /** By injection id: the scheduled end of a fault that lasts, until it has run (or {@link #endNow} took it). */
    private final Map<Integer, ScheduledFuture<?>> pendingEnds = new HashMap<>();
    /** Set by {@link #endNow}: from then on a fault that lasts ends as soon as it has begun. */
    private boolean endingAll;
    /** Faults in progress, by kind and meter ("power-cut/3", "broker-restart/0"): the same fault twice on one part is refused. */
    private final Set<String> busy = new HashSet<>();

    /** {@code events} receives one line per fault begun or ended (the console, a log). */
    public FaultInjector(Simulation sim, Consumer<String> events) {
        this.sim = sim;
        this.events = events;
    }

    /**
     * Begins {@code fault} now and schedules its end.
     *
     * @throws IllegalArgumentException when it names a meter the fleet does not have, or the same
     *     fault is already in progress on that part (the message says which)
     */
    public Injection inject(Fault fault) {
        int fleet = sim.devices().size();
        for (int m : fault.meters()) {
            if (m < 1 || m > fleet) {
                throw new IllegalArgumentException("meter: expected 1.." + fleet + ", got " + m);
            }
        }
        if (fault instanceof Fault.ValsetChange) {
            throw new IllegalArgumentException("valset-change: expected in a scenario file at 0s; the validator schedule is fixed at genesis");
        }
        List<String> parts = parts(fault);
        Injection started;
        synchronized (this) {
            for (String p : parts) {
                if (busy.contains(p)) {
                    String part = p.endsWith("/0") ? "the fleet" : "meter " + p.substring(p.indexOf('/') + 1);
                    throw new IllegalArgumentException(fault.kind() + ": " + part + " is already under this fault; expected it to end first");
                }
            }
            busy.addAll(parts);
            started = new Injection(injections.size() + 1, fault, System.nanoTime(), Optional.empty(), Map.of());
            injections.add(started);
        }
        say("fault #" + started.id() + " " + fault.describe() + ": injected");
        scheduler.execute(() -> begin(started));
        return started;
    }

    private static List<String> parts(Fault fault) {
        if (fault.meters().isEmpty()) {
            return List.of(fault.kind() + "/0");
        }
        return fault.meters().stream().map(m -> fault.kind() + "/" + m).toList();
    }

    private void begin(Injection i) {
        try {
            switch (i.fault()) {
                case Fault.BrokerRestart b -> {
                    // Blocks for the outage and the broker's start; the end is when it listens again.
                    sim.restartBroker(b.down());
                    end(i, () -> {}, "ended");
                    return;
                }
                case Fault.Partition p -> p.meters().forEach(m -> sim.cutLink(m - 1));
                case Fault.PowerCut p -> sim.devices().get(p.meter() - 1).stopAgent();
                case Fault.ClockJump c -> sim.stepClock(c.meter() - 1, c.by());
                case Fault.Garbage g -> sim.devices().get(g.meter() - 1).meter().answerGarbage(true);
                case Fault.ByzantineGateway b -> sim.setByzantine(ByzantinePolicy.lying(new SecureRandom().nextLong(), b.rate()));
                case Fault.ValsetChange v -> { }
            }
        } catch (Exception | Error e) {
            log.warn("fault {} could not be injected error={}", i.fault().describe(), e.toString());
            say("fault #" + i.id() + " " + i.fault().describe() + ": could not be injected: " + e);
        }
        Optional<Duration> lasts = i.fault().lasts();
        if (lasts.isEmpty()) {
            end(i, () -> {}, "ended");
            return;
        }
        synchronized (this) {
            if (!endingAll) {
                pendingEnds.put(i.id(), scheduler.schedule(() -> end(i, () -> undo(i.fault()), "ended"), lasts.get().toMillis(),
                        TimeUnit.MILLISECONDS));
                return;
            }
        }
        end(i, () -> undo(i.fault()), "ended early: the run is over");
    }

    /**
     * Ends now every fault whose end is still to come, as its end would (the link restored, the
     * agent started again, the meter answering, the gateway honest): the run is over, and what it
     * signed should reach the ledger before the summary. A broker restart still in progress ends
     * when the broker listens again; {@link #awaitEnded} waits for it.
     */
    public void endNow() {
        List<Injection> due = new ArrayList<>();
        synchronized (this) {
            endingAll = true; // a fault still being injected ends as soon as it has begun
            for (Injection i : injections) {
                ScheduledFuture<?> end = pendingEnds.get(i.id());
                if (i.endedNanos().isEmpty() && end != null && end.cancel(false)) {
                    due.add(i);
                }
            }
        }
        for (Injection i : due) {
            end(i, () -> undo(i.fault()), "ended early: the run is over");
        }
    }

    private void undo(Fault fault) {
        switch (fault) {
            case Fault.Partition p -> p.meters().forEach(m -> sim.restoreLink(m - 1));
            case Fault.PowerCut p -> {
                try {
                    sim.devices().get(p.meter() - 1).startAgent();
                } catch (Exception e) {
                    throw new IllegalStateException("the agent of meter " + p.meter() + " did not start again: " + e, e);
                }
            }
            case Fault.ClockJump c -> sim.stepClock(c.meter() - 1, c.by().negated());
            case Fault.Garbage g -> sim.devices().get(g.meter() - 1).meter().answerGarbage(false);
            case Fault.ByzantineGateway b -> sim.setByzantine(ByzantinePolicy.honest());
            case Fault.BrokerRestart b -> { }
            case Fault.ValsetChange v -> { }
        }
    }

    private void end(Injection i, Runnable undo, String ended) {
        String outcome = ended;
        try {
            undo.run();
        } catch (RuntimeException e) {
            log.warn("fault {} could not be undone error={}", i.fault().describe(), e.toString());
            outcome = "could not be undone: " + e.getMessage();
        }
        List<SimulatedDevice> devices = sim.devices();
        Map<Integer, Long> signed = new LinkedHashMap<>();
        List<Integer> affected = i.fault().meters().isEmpty() ? java.util.stream.IntStream.rangeClosed(1, devices.size()).boxed().toList()
                : i.fault().meters();
        for (int m : affected) {
            AgentStatus s = devices.get(m - 1).status();
            signed.put(m, s == null ? 0 : s.lastSequence());
        }
        synchronized (this) {
            injections.set(i.id() - 1, new Injection(i.id(), i.fault(), i.startedNanos(), Optional.of(System.nanoTime()), signed));
            busy.removeAll(parts(i.fault()));
            pendingEnds.remove(i.id());
            notifyAll();
        }
        say("fault #" + i.id() + " " + i.fault().describe() + ": " + outcome);
    }

    private void say(String line) {
        double t = (System.nanoTime() - origin) / 1e9;
        events.accept(String.format(java.util.Locale.ROOT, "[%6.1fs] %s", t, line));
    }

    public synchronized List<Injection> injections() {
        return List.copyOf(injections);
    }

    /** Waits until every fault injected so far has ended, or {@code deadlineNanos}; whether they all did. */
    public synchronized boolean awaitEnded(long deadlineNanos) throws InterruptedException {
        while (injections.stream().anyMatch(i -> i.endedNanos().isEmpty())) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
