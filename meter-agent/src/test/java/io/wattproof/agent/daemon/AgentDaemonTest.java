package io.wattproof.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.agent.AgentStatus;
import io.wattproof.agent.ledger.LedgerCounters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentDaemonTest {
    private static final Instant START = Instant.parse("2026-11-27T10:00:00Z");
    private static final Duration SAMPLE = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private static AgentStatus status(Optional<Instant> lastTick) {
        return new AgentStatus("ab", 5, 0, true, 0, false, false, lastTick, lastTick, false, true, 0);
    }

    @Test
    void theLoopIsAliveWithinTwoSamplePeriodsAndTheSlack() {
        Duration allowed = SAMPLE.multipliedBy(2).plus(AgentDaemon.LOOP_SLACK);
        Instant tick = START.plusSeconds(100);
        assertTrue(AgentDaemon.loopAlive(status(Optional.of(tick)), START, tick.plus(allowed), SAMPLE));
        assertFalse(AgentDaemon.loopAlive(status(Optional.of(tick)), START, tick.plus(allowed).plusMillis(1), SAMPLE));
        // Before the first tick, start-up is the last sign of life.
        assertTrue(AgentDaemon.loopAlive(status(Optional.empty()), START, START.plus(allowed), SAMPLE));
        assertFalse(AgentDaemon.loopAlive(status(Optional.empty()), START, START.plus(allowed).plusSeconds(1), SAMPLE));
    }

    @Test
    void alarmsNameEveryConditionWorstFirst() {
        AgentStatus bad = new AgentStatus("ab", 5, 3, false, 4, true, true, Optional.of(START), Optional.of(START), true, false, 0);
        assertEquals(List.of("metering loop not running", "storage failure: the last record could not be written",
                "outbox full: intervals are not being recorded", "meter not answering", "broker not connected: records are buffered",
                "clock not synchronised: records carry CLOCK_UNSYNCED"),
                AgentDaemon.alarms(bad, false));
        assertEquals(List.of(), AgentDaemon.alarms(status(Optional.of(START)), true));
    }

    @Test
    void aFollowedLedgerAddsItsAlarms() {
        AgentStatus lied = new AgentStatus("ab", 5, 0, true, 0, false, false, Optional.of(START), Optional.of(START), false, true, 0,
                Optional.of(new LedgerCounters(4, 2, 1, 3, 0, 77, true)), 1);
        assertEquals(List.of("ledger trust anchor expired: no record can be made final until a new one is installed",
                "ledger gateway sent 2 forged blocks or proofs since start (see the log)",
                "ledger refused records 1 times since start: kept and sent again (see the log)"),
                AgentDaemon.alarms(lied, true));
        AgentStatus quiet = new AgentStatus("ab", 5, 0, true, 0, false, false, Optional.of(START), Optional.of(START), false, true, 0,
                Optional.of(new LedgerCounters(4, 0, 0, 3, 0, 77, false)), 1);
        assertEquals(List.of(), AgentDaemon.alarms(quiet, true), "re-submissions alone are routine");
    }

    @Test
    void theLedgerCountersRoundTripThroughTheStatusFile() throws Exception {
        StatusReport followed = new StatusReport(report().schema(), report().writtenAt(), report().pid(), report().startedAt(),
                report().version(), report().deviceId(), report().board(), report().location(), report().meter(), report().records(),
                report().outbox(), report().broker(),
                new StatusReport.Ledger("meter-ledger-1", 1234L, "/etc/wattproof/trust-anchor.json", 2, 40L, 1L, 0L, 3L),
                report().alarms());
        StatusFile.write(dir, followed);
        assertEquals(followed, assertInstanceOf(StatusFile.Read.Found.class, StatusFile.read(dir)).report());
        String json = Files.readString(StatusFile.in(dir));
        assertTrue(json.contains("\"verified_chain_height\" : 1234"), json);
        assertTrue(json.contains("\"forgeries_detected\" : 1"), json);
        assertTrue(json.contains("\"confirmed\" : 40"), json);
    }

    @Test
    void theSummaryIsOneLineForSystemctlStatus() {
        assertEquals("record 5, outbox 0, online", AgentDaemon.summary(status(Optional.of(START))));
        AgentStatus bad = new AgentStatus("ab", 9, 3, false, 4, true, true, Optional.of(START), Optional.of(START), true, true, 0);
        assertEquals("record 9, outbox 3, offline, meter fault, outbox full, storage failure", AgentDaemon.summary(bad));
    }

    private static StatusReport report() {
        return new StatusReport(StatusReport.SCHEMA, START.toString(), 1234, START.toString(), "0.1.0", "ab".repeat(20),
                "raspberry-pi-4b", "Garage: north wall \"A\"",
                new StatusReport.Meter("Eastron SDM630, unit 1 on /dev/ttyS0 9600 8N1", START.toString(), START.toString(), 2, false),
                new StatusReport.Records(41, 900, "meter-ledger-1"),
                new StatusReport.Outbox(3, 12_345, 64 << 20, false, false),
                new StatusReport.Broker("ssl://broker:8883", true),
                new StatusReport.Ledger("meter-ledger-1", null, "/etc/wattproof/trust-anchor.json"),
                List.of("meter not answering"));
    }

    @Test
    void theStatusFileRoundTripsAndReplacesTheOldReportWhole() throws Exception {
        StatusFile.write(dir, report());
        StatusFile.Read read = StatusFile.read(dir);
        assertEquals(report(), assertInstanceOf(StatusFile.Read.Found.class, read).report());
        String json = Files.readString(StatusFile.in(dir));
        assertTrue(json.contains("\"device_id\" : \"" + "ab".repeat(20) + "\""), json);
        assertTrue(json.contains("\"verified_chain_height\" : null"), json);
        assertFalse(Files.exists(dir.resolve(StatusFile.NAME + ".tmp")));
    }

    @Test
    void aMissingDamagedOrForeignFileIsReportedNotThrown() throws Exception {
        assertInstanceOf(StatusFile.Read.Missing.class, StatusFile.read(dir));
        Files.writeString(StatusFile.in(dir), "{\"schema\": \"wattproof-agent-st");
        assertInstanceOf(StatusFile.Read.Unreadable.class, StatusFile.read(dir));
        Files.writeString(StatusFile.in(dir), "{\"schema\": \"something-else/1\", \"alarms\": []}");
        StatusFile.Read other = StatusFile.read(dir);
        assertTrue(assertInstanceOf(StatusFile.Read.Unreadable.class, other).reason().contains("something-else/1"), other.toString());
        Files.write(StatusFile.in(dir), new byte[(int) StatusFile.MAX_BYTES + 1]);
        assertInstanceOf(StatusFile.Read.Unreadable.class, StatusFile.read(dir));
    }

    @Test
    void theStatusFileGoesToTheServicesRuntimeFolderWhenThereIsOne() {
        Path data = Path.of("/var/lib/wattproof");
        assertEquals(Path.of("/run/wattproof"), StatusFile.directory(java.util.Map.of("RUNTIME_DIRECTORY", "/run/wattproof"), data));
        assertEquals(Path.of("/run/a"), StatusFile.directory(java.util.Map.of("RUNTIME_DIRECTORY", "/run/a:/run/b"), data));
        assertEquals(data, StatusFile.directory(java.util.Map.of(), data));
    }
}
