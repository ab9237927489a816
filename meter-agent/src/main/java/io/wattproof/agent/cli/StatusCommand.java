package io.wattproof.agent.cli;

import io.wattproof.agent.board.BoardProfileException;
import io.wattproof.agent.board.BoardProfiles;
import io.wattproof.agent.config.DeviceConfig;
import io.wattproof.agent.daemon.StatusFile;
import io.wattproof.agent.daemon.StatusReport;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meter-agent status}: what the running agent last reported (docs/daemon.md). Reads the
 * status file, never the outbox or the key: it works while the service runs and needs no more
 * rights than the service's group.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Shows what the running agent last reported: identity, board, meter, last record, outbox, broker, "
                + "ledger, alarms.",
                "Exit status: 0 running without alarms, 1 running with alarms, 3 not running (stale or missing report), "
                        + "2 bad arguments or an unreadable report."})
final class StatusCommand implements Callable<Integer> {
    /** The daemon rewrites the report every 5 s; three missed rewrites mean it is not running. */
    static final Duration STALE_AFTER = Duration.ofSeconds(20);

    @Option(names = "--config", paramLabel = "FILE", description = "the device configuration (default: ${DEFAULT-VALUE})")
    Path config = Path.of("/etc/wattproof/agent.yaml");

    @Option(names = "--status-dir", paramLabel = "DIR",
            description = "where the daemon writes status.json (default: /run/wattproof if it has one, else the data folder)")
    Path statusDir;

    @Option(names = "--json", description = "print the report as JSON, with a \"running\" verdict added")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    static Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path dir = statusDir != null ? statusDir : defaultDir(err);
        if (dir == null) {
            return 2;
        }
        return switch (StatusFile.read(dir)) {
            case StatusFile.Read.Missing m -> {
                err.println("not running: no report at " + m.file() + " (start it: systemctl start wattproof-agent)");
                yield 3;
            }
            case StatusFile.Read.Unreadable u -> {
                err.println("error: " + u.file() + ": " + u.reason());
                yield 2;
            }
            case StatusFile.Read.Found f -> show(out, f.report());
        };
    }

    private Path defaultDir(PrintWriter err) {
        if (Files.isRegularFile(StatusFile.in(StatusFile.SERVICE_RUNTIME_DIR))) {
            return StatusFile.SERVICE_RUNTIME_DIR;
        }
        Optional<DeviceConfig> c = RunConfigured.load(err, config);
        if (c.isEmpty()) {
            return null;
        }
        if (c.get().dataDir().isPresent()) {
            return c.get().dataDir().get();
        }
        try {
            return BoardProfiles.resolve(c.get().board()).paths().dataDir();
        } catch (BoardProfileException e) {
            err.println("error: " + config + ": board: " + e.getMessage());
            return null;
        }
    }

    /** Running: the report is fresh and its process is alive. */
    static boolean running(StatusReport r, Instant now) {
        Instant written;
        try {
            written = Instant.parse(r.writtenAt());
        } catch (DateTimeParseException | NullPointerException e) {
            return false;
        }
        boolean fresh = !Duration.between(written, now).minus(STALE_AFTER).isPositive();
        return fresh && ProcessHandle.of(r.pid()).map(ProcessHandle::isAlive).orElse(false);
    }

    private int show(PrintWriter out, StatusReport r) {
        boolean running = running(r, clock.instant());
        if (json) {
            String body = StatusFile.toJson(r).strip();
            // The verdict is the reader's, not the daemon's: a stale file says "running: false".
            out.println("{\n  \"running\" : " + running + "," + body.substring(1));
        } else {
            out.println((running ? "running" : "NOT RUNNING (last report " + r.writtenAt() + ", pid " + r.pid() + ")")
                    + ", version " + r.version() + ", since " + r.startedAt());
            out.println("device:   " + r.deviceId() + (r.location() == null ? "" : " at " + r.location()));
            out.println("board:    " + r.board());
            out.println("meter:    " + r.meter().description() + "; last read " + orNever(r.meter().lastReadAt())
                    + (r.meter().fault() ? " — NOT ANSWERING" : "") + ", " + r.meter().readFailures() + " failed reads");
            out.println("records:  last sequence " + r.records().lastSequence() + ", every " + r.records().intervalSeconds()
                    + " s, chain " + r.records().chainId());
            out.println("outbox:   " + r.outbox().depth() + " unacknowledged, " + r.outbox().bytes() + " of "
                    + r.outbox().budgetBytes() + " bytes" + (r.outbox().full() ? " — FULL" : ""));
            out.println("broker:   " + r.broker().uri() + (r.broker().connected() ? " connected" : " NOT CONNECTED"));
            out.println("ledger:   " + (r.ledger().verifiedChainHeight() == null
                    ? "no verified height yet" : "verified height " + r.ledger().verifiedChainHeight())
                    + (r.ledger().trustAnchor() == null ? ", no trust anchor" : ", trust anchor " + r.ledger().trustAnchor())
                    + (r.ledger().confirmed() == null ? "" : "; " + r.ledger().unconfirmed() + " awaiting a verified receipt, "
                            + r.ledger().confirmed() + " final, " + r.ledger().forgeriesDetected() + " forgeries, "
                            + r.ledger().refusedByLedger() + " refusals, " + r.ledger().resubmissions() + " re-sent since start"));
            out.println("alarms:   " + (r.alarms().isEmpty() ? "none" : String.join("; ", r.alarms())));
        }
        if (!running) {
            return 3;
        }
        return r.alarms().isEmpty() ? 0 : 1;
    }

    private static String orNever(String at) {
        return at == null ? "never" : at;
    }
}
