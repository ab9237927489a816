package io.wattproof.simulator.fault;

import io.wattproof.agent.AgentStatus;
import io.wattproof.simulator.Simulation;
import io.wattproof.simulator.dashboard.Alarms;
import io.wattproof.simulator.fleet.SimulatedDevice;
import io.wattproof.simulator.ledger.app.AppSnapshot;
import io.wattproof.simulator.ledger.gateway.ServedForgeries;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a running lab five times a second for what the checks need: every alarm any meter
 * raises (the dashboard's {@link Alarms}, plus {@code agent not started} while a power cut holds
 * an agent down), and, for each fault that has ended, the moment its affected meters recovered:
 * the ledger holds every sequence each of them had signed when the fault ended, none is missing,
 * and each has signed a new record since.
 */
public final class FaultWatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FaultWatch.class);
    private static final long PERIOD_MILLIS = 200;
    /**
     * How long before a meter is cut off a message for it may still be lost: in flight to the
     * broker, or received by an agent that is stopped before it has checked it (a receipt is
     * checked against the next block's header, which comes about a block later).
     */
    static final Duration REACH_GRACE = Duration.ofSeconds(2);

    private final Simulation sim;
    private final FaultInjector injector;
    private final Set<FaultChecks.SeenAlarm> seen = new LinkedHashSet<>();
    /** By injection id: {@code System.nanoTime} of recovery. */
    private final Map<Integer, Long> recoveredAt = new HashMap<>();
    private final Thread thread;
    private volatile boolean closed;

    public FaultWatch(Simulation sim, FaultInjector injector) {
        this.sim = sim;
        this.injector = injector;
        this.thread = Thread.ofPlatform().daemon().name("fault-watch").start(this::loop);
    }

    private void loop() {
        while (!closed) {
            try {
                sample();
            } catch (RuntimeException e) {
                // A part that is restarting (the broker) or closing; the next sample tells.
                log.debug("fault watch sample failed error={}", e.toString());
            }
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Takes one sample now. */
    public void sample() {
        List<SimulatedDevice> devices = sim.devices();
        AppSnapshot ledger = sim.application().snapshot();
        List<FaultChecks.SeenAlarm> now = new ArrayList<>();
        for (int i = 0; i < devices.size(); i++) {
            SimulatedDevice d = devices.get(i);
            AgentStatus status = d.status();
            Optional<AppSnapshot.DeviceView> view = ledger.device(d.key().deviceId());
            for (String a : Alarms.ofMeter(d.agentRunning() ? status : null, view, d.forgeriesDetected())) {
                now.add(new FaultChecks.SeenAlarm(i + 1, a));
            }
        }
        long t = System.nanoTime();
        synchronized (this) {
            seen.addAll(now);
            for (FaultInjector.Injection inj : injector.injections()) {
                if (inj.endedNanos().isEmpty() || recoveredAt.containsKey(inj.id()) || inj.fault() instanceof Fault.ValsetChange) {
                    continue;
                }
                boolean all = true;
                for (Map.Entry<Integer, Long> e : inj.signedAtEnd().entrySet()) {
                    SimulatedDevice d = devices.get(e.getKey() - 1);
                    AgentStatus s = d.status();
                    Optional<AppSnapshot.DeviceView> v = ledger.device(d.key().deviceId());
                    long head = v.map(AppSnapshot.DeviceView::headSequence).orElse(0L);
                    long missing = v.map(AppSnapshot.DeviceView::missing).orElse(0L);
                    if (!d.agentRunning() || s == null || s.lastSequence() <= e.getValue() || head < e.getValue() || missing > 0) {
                        all = false;
                        break;
                    }
                }
                if (all) {
                    recoveredAt.put(inj.id(), t);
                }
            }
        }
    }

    public synchronized Set<FaultChecks.SeenAlarm> alarmsSeen() {
        return Set.copyOf(seen);
    }

    /** Each ended fault that can recover, with how long after its end it did. */
    public synchronized List<FaultChecks.Recovery> recoveries() {
        List<FaultChecks.Recovery> out = new ArrayList<>();
        for (FaultInjector.Injection inj : injector.injections()) {
            if (inj.fault() instanceof Fault.ValsetChange) {
                continue;
            }
            Long at = recoveredAt.get(inj.id());
            Optional<Duration> after = at == null || inj.endedNanos().isEmpty() ? Optional.empty()
                    : Optional.of(Duration.ofNanos(Math.max(0, at - inj.endedNanos().get())));
            out.add(new FaultChecks.Recovery(inj.id(), inj.fault().describe(), after));
        }
        return out;
    }

    /**
     * Each meter's share of the lies in {@code served} (a byzantine gateway's, {@link
     * io.wattproof.simulator.ledger.gateway.Gateway#forgeriesServed}): how many were told it, how
     * many of those while it was out of reach, and how many its agents detected.
     */
    public synchronized List<FaultChecks.MeterForgeries> forgeries(List<ServedForgeries.Served> served) {
        List<SimulatedDevice> devices = sim.devices();
        Map<String, List<ServedForgeries.Served>> byRequester = served.stream()
                .collect(java.util.stream.Collectors.groupingBy(ServedForgeries.Served::requester));
        List<FaultChecks.MeterForgeries> out = new ArrayList<>();
        for (int i = 0; i < devices.size(); i++) {
            int meter = i + 1;
            List<ServedForgeries.Served> mine = byRequester.getOrDefault(devices.get(i).key().deviceId().hex(), List.of());
            long outOfReach = mine.stream().filter(s -> outOfReach(meter, s.atNanos())).count();
            out.add(new FaultChecks.MeterForgeries(meter, mine.size(), outOfReach, devices.get(i).forgeriesDetected()));
        }
        return out;
    }

    /**
     * Whether a message published for {@code meter} at {@code nanos} may never have reached its
     * agent: from {@link #REACH_GRACE} before a partition or power cut of that meter, or a broker
     * restart, began until the meter recovered from it (or for ever, if it did not).
     */
    private boolean outOfReach(int meter, long nanos) {
        for (FaultInjector.Injection inj : injector.injections()) {
            boolean cutsIt = switch (inj.fault()) {
                case Fault.Partition p -> p.meters().contains(meter);
                case Fault.PowerCut p -> p.meter() == meter;
                case Fault.BrokerRestart b -> true;
                default -> false;
            };
            Long recovered = recoveredAt.get(inj.id());
            if (cutsIt && nanos >= inj.startedNanos() - REACH_GRACE.toNanos() && (recovered == null || nanos <= recovered)) {
                return true;
            }
        }
        return false;
    }

    /** Whether every ended fault has recovered. */
    public synchronized boolean allRecovered() {
        return injector.injections().stream().filter(i -> !(i.fault() instanceof Fault.ValsetChange))
                .allMatch(i -> recoveredAt.containsKey(i.id()));
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
