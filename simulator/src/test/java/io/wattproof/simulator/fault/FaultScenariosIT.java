package io.wattproof.simulator.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shipped fault scenarios on the real lab: broker, agents, ledger and gateway. Two runs keep the
 * time small: {@code several-faults} covers partition, garbage, power cut, clock jump, a lying
 * gateway and validator-set changes at once; {@code broker-restart} runs alone, since a broker
 * outage touches every other fault. Each must pass every check it states.
 */
class FaultScenariosIT {

    private static ScenarioRun.Report run(String name, Path folder) throws Exception {
        Scenario scenario = ((Parsed.Ok<Scenario>) Scenarios.load("builtin:" + name)).value();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ScenarioRun.Report report = ScenarioRun.run(scenario, folder, out, 0, Duration.ofSeconds(30));
        String console = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(report.passed(), console);
        for (FaultChecks.Verdict v : report.verdicts()) {
            assertTrue(console.contains("PASS " + v.name()), console);
        }
        return report;
    }

    @Test
    void severalFaultsAtOnceRaiseTheirAlarmsRecoverAndLoseNothing(@TempDir Path folder) throws Exception {
        ScenarioRun.Report report = run("several-faults", folder);
        List<String> names = report.verdicts().stream().map(FaultChecks.Verdict::name).toList();
        // Every fault of the timeline was judged: one recovery per injected fault, the alarms, the chain.
        assertEquals(5, names.stream().filter(n -> n.startsWith("recovered within")).count(), names.toString());
        assertTrue(names.contains("every forgery detected"));
        assertTrue(names.contains("validator-set changes"));
        assertEquals(0, report.result().rejected());
        assertEquals(0, report.result().gaps());
    }

    @Test
    void aBrokerRestartWithoutItsSessionsLosesNothing(@TempDir Path folder) throws Exception {
        ScenarioRun.Report report = run("broker-restart", folder);
        assertEquals(report.result().readings(), report.result().confirmed());
    }
}
