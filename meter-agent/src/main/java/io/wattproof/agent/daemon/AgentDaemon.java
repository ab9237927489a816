package io.wattproof.agent.daemon;

import io.wattproof.agent.AgentStatus;
import io.wattproof.agent.MeterAgent;
import io.wattproof.agent.RunningBuild;
import io.wattproof.agent.gpio.LedPattern;
import io.wattproof.agent.ledger.LedgerCounters;
import io.wattproof.agent.gpio.StatusLed;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running agent as a service: tells systemd it is ready, serves the watchdog only while the
 * metering loop is alive, keeps the status file and the status LED current, and on shutdown lets
 * the in-flight commit finish before the agent closes (docs/daemon.md).
 */
public final class AgentDaemon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AgentDaemon.class);
    /** How often the status file, the LED and systemd's STATUS= line are refreshed. */
    static final Duration STATUS_PERIOD = Duration.ofSeconds(5);
    /** Beyond two sample periods, this much slack before a silent loop counts as hung. */
    static final Duration LOOP_SLACK = Duration.ofSeconds(60);

    /** What the report says about the installation; fixed for the daemon's life. */
    public record Identity(String board, String location, String meterDescription, String brokerUri, String chainId,
            String trustAnchor, long intervalSeconds, long outboxBudgetBytes, Duration samplePeriod, List<String> standingAlarms) {
        /** @param standingAlarms conditions found at start-up that last until a restart (GPIO missing, ...) */
        public Identity {
            standingAlarms = List.copyOf(standingAlarms);
        }
    }

    private final MeterAgent agent;
    private final Identity identity;
    private final SystemdNotify notify;
    private final Clock clock;
    private final Path statusDir;
    private final Optional<StatusLed> led;
    private final Duration drainTimeout;
    private final Instant startedAt;
    private final ScheduledExecutorService timer;
    private volatile boolean hungReported;
    private boolean closed;

    private AgentDaemon(MeterAgent agent, Identity identity, SystemdNotify notify, Clock clock, Path statusDir,
            Optional<StatusLed> led, Duration drainTimeout) {
        this.agent = agent;
        this.identity = identity;
        this.notify = notify;
        this.clock = clock;
        this.statusDir = statusDir;
        this.led = led;
        this.drainTimeout = drainTimeout;
        this.startedAt = clock.instant();
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("daemon").daemon().factory());
    }

    /**
     * Starts serving an agent that is already metering.
     *
     * @param drainTimeout how long shutdown waits for unacknowledged records to be acknowledged
     */
    public static AgentDaemon start(MeterAgent agent, Identity identity, SystemdNotify notify, Clock clock, Path statusDir,
            Optional<StatusLed> led, Duration drainTimeout) {
        AgentDaemon d = new AgentDaemon(agent, identity, notify, clock, statusDir, led, drainTimeout);
        d.refresh();
        d.timer.scheduleWithFixedDelay(d::refresh, STATUS_PERIOD.toMillis(), STATUS_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        notify.watchdogTimeout().ifPresent(timeout -> {
            // sd_watchdog_enabled(3): ping at half the timeout, so one late ping is not fatal.
            long every = Math.max(1, timeout.toMillis() / 2);
            d.timer.scheduleAtFixedRate(d::watchdog, every, every, TimeUnit.MILLISECONDS);
            log.info("serving the systemd watchdog every {} ms (timeout {} ms)", every, timeout.toMillis());
        });
        notify.ready(summary(agent.status()));
        log.info("agent ready device={} board={} meter=\"{}\" broker={} notify=\"{}\" status={}", agent.deviceId(),
                identity.board(), identity.meterDescription(), identity.brokerUri(), notify.describe(), StatusFile.in(statusDir));
        return d;
    }

    /**
     * Whether the metering loop ran recently enough to be alive. Before its first tick, start-up
     * counts as the last sign of life. Pure, for tests.
     */
    static boolean loopAlive(AgentStatus status, Instant startedAt, Instant now, Duration samplePeriod) {
        Instant last = status.lastTickAt().orElse(startedAt);
        Duration allowed = samplePeriod.multipliedBy(2).plus(LOOP_SLACK);
        return !Duration.between(last, now).minus(allowed).isPositive();
    }

    private void watchdog() {
        AgentStatus s = agent.status();
        if (loopAlive(s, startedAt, clock.instant(), identity.samplePeriod())) {
            hungReported = false;
            notify.watchdogPing();
        } else if (!hungReported) {
            // No ping: systemd kills and restarts us after WatchdogSec, which is the point.
            hungReported = true;
            log.error("metering loop silent since {}; not serving the watchdog", s.lastTickAt().orElse(startedAt));
        }
    }

    private void refresh() {
        try {
            AgentStatus s = agent.status();
            led.ifPresent(l -> l.show(LedPattern.forStatus(s)));
            StatusFile.write(statusDir, report(s));
            notify.status(summary(s));
        } catch (IOException | RuntimeException e) {
            log.warn("status refresh failed: {}", e.toString());
        }
    }

    StatusReport report(AgentStatus s) {
        List<String> alarms = new ArrayList<>(alarms(s, loopAlive(s, startedAt, clock.instant(), identity.samplePeriod())));
        alarms.addAll(identity.standingAlarms());
        return new StatusReport(StatusReport.SCHEMA, clock.instant().toString(), ProcessHandle.current().pid(), startedAt.toString(),
                RunningBuild.version(), s.deviceId(), identity.board(), identity.location(),
                new StatusReport.Meter(identity.meterDescription(), s.lastReadAt().map(Instant::toString).orElse(null),
                        s.lastTickAt().map(Instant::toString).orElse(null), s.meterReadFailures(), s.meterFault()),
                new StatusReport.Records(s.lastSequence(), identity.intervalSeconds(), identity.chainId()),
                new StatusReport.Outbox(s.outboxDepth(), s.outboxBytes(), identity.outboxBudgetBytes(), s.storageFull(),
                        s.storageFault()),
                new StatusReport.Broker(identity.brokerUri(), s.connected()),
                ledger(s),
                alarms);
    }

    private StatusReport.Ledger ledger(AgentStatus s) {
        if (s.ledger().isEmpty()) {
            return new StatusReport.Ledger(identity.chainId(), null, identity.trustAnchor());
        }
        LedgerCounters c = s.ledger().get();
        return new StatusReport.Ledger(identity.chainId(), c.verifiedHeight() > 0 ? c.verifiedHeight() : null, identity.trustAnchor(),
                s.unconfirmed(), c.confirmed(), c.forgeriesDetected(), c.refusedByLedger(), c.resubmissions());
    }

    /** The conditions a technician must act on, worst first. */
    static List<String> alarms(AgentStatus s, boolean loopAlive) {
        List<String> alarms = new ArrayList<>();
        if (!loopAlive) {
            alarms.add("metering loop not running");
        }
        if (s.storageFault()) {
            alarms.add("storage failure: the last record could not be written");
        }
        if (s.storageFull()) {
            alarms.add("outbox full: intervals are not being recorded");
        }
        if (s.meterFault()) {
            alarms.add("meter not answering");
        }
        if (!s.connected()) {
            alarms.add("broker not connected: records are buffered");
        }
        if (!s.clockSynchronised()) {
            alarms.add("clock not synchronised: records carry CLOCK_UNSYNCED");
        }
        s.ledger().ifPresent(c -> {
            if (c.trustExpired()) {
                alarms.add("ledger trust anchor expired: no record can be made final until a new one is installed");
            }
            if (c.forgeriesDetected() > 0) {
                alarms.add("ledger gateway sent " + c.forgeriesDetected() + " forged blocks or proofs since start (see the log)");
            }
            if (c.refusedByLedger() > 0) {
                alarms.add("ledger refused records " + c.refusedByLedger() + " times since start: kept and sent again (see the log)");
            }
        });
        return alarms;
    }

    /** systemd's one-line STATUS=, shown by {@code systemctl status}. */
    static String summary(AgentStatus s) {
        return "record " + s.lastSequence() + ", outbox " + s.outboxDepth() + ", " + (s.connected() ? "online" : "offline")
                + (s.meterFault() ? ", meter fault" : "") + (s.storageFull() ? ", outbox full" : "")
                + (s.storageFault() ? ", storage failure" : "");
    }

    /**
     * Stops metering, waits for the records already stored to be acknowledged (up to the drain
     * timeout; they stay in the outbox either way), closes the agent, writes a last report.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        notify.stopping(drainTimeout.plusSeconds(10));
        log.info("stopping device={}: finishing the current step, then waiting up to {} s for acknowledgements",
                agent.deviceId(), drainTimeout.toSeconds());
        agent.stopMetering();
        try {
            if (!agent.awaitDrained(drainTimeout)) {
                log.info("stopping with {} record(s) unacknowledged; they stay in the outbox and are sent after restart",
                        agent.status().outboxDepth());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer.shutdownNow();
        agent.close();
        try {
            StatusFile.write(statusDir, report(agent.status()));
        } catch (IOException e) {
            log.warn("last status write failed: {}", e.toString());
        }
        led.ifPresent(StatusLed::close);
        log.info("stopped device={}", agent.deviceId());
    }

    public Instant startedAt() {
        return startedAt;
    }

    public MeterAgent agent() {
        return Objects.requireNonNull(agent);
    }
}
