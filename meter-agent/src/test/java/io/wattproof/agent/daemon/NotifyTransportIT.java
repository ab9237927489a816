package io.wattproof.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Notify messages arrive, whole and in order, at a real AF_UNIX datagram socket, by both transports. */
@Timeout(60)
class NotifyTransportIT {
    @TempDir
    Path dir;

    @Test
    void foreignTransportSendsOneDatagramPerMessageToAPathSocket() throws Exception {
        // This runs on Java 22+ (the build's JDK), where the Foreign Function transport is chosen.
        try (NotifySocketReceiver r = NotifySocketReceiver.bind(dir.resolve("notify").toString())) {
            NotifyTransport t = NotifyTransports.forSocket(r.address());
            assertEquals("datagrams to " + r.address(), t.describe());
            t.send("READY=1\nSTATUS=record 7, outbox 0, online");
            t.send("WATCHDOG=1");
            assertEquals("READY=1\nSTATUS=record 7, outbox 0, online", r.next(10_000));
            assertEquals("WATCHDOG=1", r.next(10_000));
        }
    }

    @Test
    void foreignTransportReachesAnAbstractSocket() throws Exception {
        String name = "@wattproof-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try (NotifySocketReceiver r = NotifySocketReceiver.bind(name)) {
            NotifyTransports.forSocket(name).send("STATUS=abstract");
            assertEquals("STATUS=abstract", r.next(10_000));
        }
    }

    @Test
    void foreignTransportReportsASocketNobodyListensOn() {
        NotifyTransport t = NotifyTransports.forSocket(dir.resolve("nobody").toString());
        IOException e = assertThrows(IOException.class, () -> t.send("READY=1"));
        // ENOENT (2): the path does not exist.
        assertTrue(e.getMessage().contains("sendto(" + dir.resolve("nobody") + "): errno 2"), e.getMessage());
    }

    @Test
    void commandTransportIsWhatJava21Uses() throws Exception {
        try (NotifySocketReceiver r = NotifySocketReceiver.bind(dir.resolve("notify").toString())) {
            NotifyTransport t = new NotifyTransports.CommandTransport(r.address());
            t.send("STATUS=from systemd-notify");
            assertEquals("STATUS=from systemd-notify", r.next(10_000));
        }
    }

    @Test
    void systemdNotifyDeliversTheProtocolsMessages() throws Exception {
        try (NotifySocketReceiver r = NotifySocketReceiver.bind(dir.resolve("notify").toString())) {
            long pid = ProcessHandle.current().pid();
            SystemdNotify n = SystemdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", r.address(), "WATCHDOG_USEC", "30000000",
                    "WATCHDOG_PID", Long.toString(pid)), pid);
            assertTrue(n.enabled());
            assertEquals(java.time.Duration.ofSeconds(30), n.watchdogTimeout().orElseThrow());
            n.ready("record 1\nINJECTED=1");
            n.watchdogPing();
            n.stopping(java.time.Duration.ofSeconds(15));
            // A newline in a status text must not become a second assignment.
            assertEquals("READY=1\nSTATUS=record 1 INJECTED=1", r.next(10_000));
            assertEquals("WATCHDOG=1", r.next(10_000));
            assertEquals("STOPPING=1\nEXTEND_TIMEOUT_USEC=15000000\nSTATUS=stopping", r.next(10_000));
        }
    }
}
