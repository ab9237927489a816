package io.wattproof.agent.daemon;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service side of systemd's notify protocol (sd_notify(3), systemd.service(5) {@code
 * Type=notify}, {@code WatchdogSec=}). Without {@code $NOTIFY_SOCKET} (not started by systemd)
 * every call does nothing. A message that cannot be delivered is logged, never thrown: metering
 * must not stop because the service manager is unreachable.
 */
public final class SystemdNotify {
    private static final Logger log = LoggerFactory.getLogger(SystemdNotify.class);

    private final NotifyTransport transport;
    private final Optional<Duration> watchdog;

    SystemdNotify(NotifyTransport transport, Optional<Duration> watchdog) {
        this.transport = transport;
        this.watchdog = watchdog;
    }

    /** Not under systemd: nothing is sent. */
    public static SystemdNotify disabled() {
        return new SystemdNotify(null, Optional.empty());
    }

    /**
     * Reads {@code NOTIFY_SOCKET}, {@code WATCHDOG_USEC} and {@code WATCHDOG_PID} as systemd sets
     * them for the service's main process (sd_watchdog_enabled(3)): the watchdog applies to us only
     * when {@code WATCHDOG_PID} is absent or our pid.
     */
    public static SystemdNotify fromEnvironment(Map<String, String> env, long pid) {
        String socket = env.get("NOTIFY_SOCKET");
        if (socket == null || socket.isEmpty()) {
            return disabled();
        }
        return new SystemdNotify(NotifyTransports.forSocket(socket), watchdogTimeout(env, pid));
    }

    static Optional<Duration> watchdogTimeout(Map<String, String> env, long pid) {
        String usec = env.get("WATCHDOG_USEC");
        if (usec == null) {
            return Optional.empty();
        }
        String forPid = env.get("WATCHDOG_PID");
        if (forPid != null && !forPid.equals(Long.toString(pid))) {
            return Optional.empty();
        }
        try {
            long micros = Long.parseLong(usec);
            return micros > 0 ? Optional.of(Duration.ofNanos(Math.multiplyExact(micros, 1000L))) : Optional.empty();
        } catch (NumberFormatException | ArithmeticException e) {
            log.warn("WATCHDOG_USEC={} is not a positive number of microseconds; watchdog not served", usec);
            return Optional.empty();
        }
    }

    public boolean enabled() {
        return transport != null;
    }

    /** The watchdog timeout systemd enforces on us; ping at least twice per timeout. */
    public Optional<Duration> watchdogTimeout() {
        return watchdog;
    }

    /** Start-up is done: systemd now considers the service started. */
    public void ready(String status) {
        send("READY=1\nSTATUS=" + oneLine(status));
    }

    public void status(String status) {
        send("STATUS=" + oneLine(status));
    }

    public void watchdogPing() {
        send("WATCHDOG=1");
    }

    /** Shutdown has begun; {@code EXTEND_TIMEOUT_USEC} asks for time to finish the in-flight commit. */
    public void stopping(Duration finishWithin) {
        send("STOPPING=1\nEXTEND_TIMEOUT_USEC=" + finishWithin.toNanos() / 1000 + "\nSTATUS=stopping");
    }

    private void send(String message) {
        if (transport == null) {
            return;
        }
        try {
            transport.send(message);
        } catch (IOException | RuntimeException e) {
            log.warn("notify systemd failed via {}: {}", transport.describe(), e.getMessage());
        }
    }

    /** Each variable is one line; a newline in a status text would start a new assignment. */
    private static String oneLine(String text) {
        return text.replace('\n', ' ').replace('\r', ' ');
    }

    public String describe() {
        return transport == null ? "not under systemd" : transport.describe();
    }
}
