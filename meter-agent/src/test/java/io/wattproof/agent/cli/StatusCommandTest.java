package io.wattproof.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wattproof.agent.daemon.StatusFile;
import io.wattproof.agent.daemon.StatusReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusCommandTest extends CommandLineTest {
    @TempDir
    Path dir;

    private static StatusReport report(Instant writtenAt, long pid, List<String> alarms) {
        return new StatusReport(StatusReport.SCHEMA, writtenAt.toString(), pid, writtenAt.minusSeconds(3600).toString(), "0.1.0",
                "ab".repeat(20), "raspberry-pi-4b", "Garage",
                new StatusReport.Meter("Eastron SDM630, unit 1 on /dev/ttyS0 9600 8N1", writtenAt.toString(), writtenAt.toString(), 0,
                        !alarms.isEmpty()),
                new StatusReport.Records(41, 900, "meter-ledger-1"),
                new StatusReport.Outbox(0, 12_345, 64 << 20, false, false),
                new StatusReport.Broker("ssl://broker:8883", true),
                new StatusReport.Ledger("meter-ledger-1", null, null),
                alarms);
    }

    private String[] status(String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("status", "--status-dir", dir.toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void aFreshReportOfALiveProcessIsRunning() throws Exception {
        StatusFile.write(dir, report(Instant.now(), ProcessHandle.current().pid(), List.of()));
        assertEquals(0, run(status()));
        assertTrue(out.startsWith("running, version 0.1.0"), out);
        assertTrue(out.contains("device:   " + "ab".repeat(20) + " at Garage"), out);
        assertTrue(out.contains("broker:   ssl://broker:8883 connected"), out);
        assertTrue(out.contains("alarms:   none"), out);

        assertEquals(0, run(status("--json")));
        JsonNode json = new ObjectMapper().readTree(out);
        assertTrue(json.get("running").asBoolean());
        assertEquals(41, json.get("records").get("last_sequence").asLong());
    }

    @Test
    void alarmsMakeTheExitStatusOne() throws Exception {
        StatusFile.write(dir, report(Instant.now(), ProcessHandle.current().pid(), List.of("meter not answering")));
        assertEquals(1, run(status()));
        assertTrue(out.contains("alarms:   meter not answering"), out);
        assertTrue(out.contains("NOT ANSWERING"), out);
    }

    @Test
    void aStaleReportOrADeadProcessIsNotRunning() throws Exception {
        StatusFile.write(dir, report(Instant.now().minus(StatusCommand.STALE_AFTER).minusSeconds(1), ProcessHandle.current().pid(),
                List.of()));
        assertEquals(3, run(status()));
        assertTrue(out.startsWith("NOT RUNNING (last report "), out);

        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        StatusFile.write(dir, report(Instant.now(), dead.pid(), List.of()));
        assertEquals(3, run(status("--json")));
        assertTrue(out.contains("\"running\" : false"), out);
    }

    @Test
    void noReportOrAnUnreadableOneSaysSo() throws Exception {
        assertEquals(3, run(status()));
        assertTrue(err.contains("not running: no report at " + dir.resolve("status.json")), err);
        Files.writeString(dir.resolve("status.json"), "{ not json");
        assertEquals(2, run(status()));
        assertTrue(err.startsWith("error: " + dir.resolve("status.json") + ": "), err);
    }

    @Test
    void withoutAStatusFolderTheConfigurationSaysWhereToLook() throws Exception {
        Path config = Files.writeString(dir.resolve("agent.yaml"), "schema: wattproof-agent/1\nboard: nowhere\n");
        assertEquals(2, run("status", "--config", config.toString()));
        assertTrue(err.contains(config + ": device_id: expected 40 lowercase hex characters"), err);
    }
}
