package io.wattproof.simulator.fault;

import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.simulator.LedgerSetup;
import io.wattproof.simulator.Simulation;
import io.wattproof.simulator.SimulationConfig;
import io.wattproof.simulator.SimulationResult;
import io.wattproof.simulator.dashboard.DashboardServer;
import io.wattproof.simulator.dashboard.SimulationFleet;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one {@link Scenario} on a fresh lab (docs/faults.md): starts the fleet, injects each fault
 * of the timeline when it is due (printing it), lets the fleet meter for the scenario's duration,
 * waits for the faults to end and their meters to recover, drains, and judges every check.
 */
public final class ScenarioRun {
    /** Past the duration, how long the run waits for faults still ending and meters still recovering. */
    static final Duration SETTLE = Duration.ofSeconds(30);

    /** The verdicts and the run's counts; it passed when every verdict did. */
    public record Report(String scenario, List<FaultChecks.Verdict> verdicts, SimulationResult result) {
        public boolean passed() {
            return !verdicts.isEmpty() && verdicts.stream().allMatch(FaultChecks.Verdict::passed);
        }
    }

    private ScenarioRun() {}

    /**
     * @param runFolder a new, empty folder: a scenario starts from a new chain
     * @param httpPort the dashboard with its faults panel on 127.0.0.1:PORT (0: any); -1 for none
     */
    public static Report run(Scenario scenario, Path runFolder, PrintStream out, int httpPort, Duration drainTimeout) throws Exception {
        long valsetEvery = scenario.timeline().stream().map(Scenario.Step::fault).filter(Fault.ValsetChange.class::isInstance)
                .map(f -> ((Fault.ValsetChange) f).every()).findFirst().orElse(0L);
        LedgerSetup ledger = LedgerSetup.DEFAULT.withValsetChangeEvery(valsetEvery);
        SimulationConfig config = new SimulationConfig(scenario.meters(), scenario.interval(), scenario.duration(),
                KeyAlgorithm.ECDSA_P256_SHA256, runFolder, null, "wattproof-sim", 0, ZoneId.systemDefault(), Optional.empty(), ledger);
        out.println("scenario " + scenario.name() + ": " + scenario.description());
        out.println("fleet: meters=" + scenario.meters() + " interval=" + Durations.format(scenario.interval()) + " duration="
                + Durations.format(scenario.duration()) + " run=" + runFolder);
        SimulationResult result;
        List<FaultChecks.Verdict> verdicts = new ArrayList<>();
        try (Simulation sim = Simulation.start(config, Clock.systemUTC());
                FaultInjector injector = new FaultInjector(sim, out::println);
                FaultWatch watch = new FaultWatch(sim, injector);
                DashboardServer dashboard = httpPort < 0 ? null : DashboardServer.start(new SimulationFleet(sim, sim.clock()), httpPort,
                        sim.clock(), new InjectorControl(injector, scenario.meters()))) {
            if (dashboard != null) {
                out.println("dashboard at " + dashboard.uri().toString().replaceAll("/$", "") + " (faults panel on)");
            }
            long start = System.nanoTime();
            for (Scenario.Step step : scenario.timeline()) {
                if (step.fault() instanceof Fault.ValsetChange v) {
                    out.println("[   0.0s] " + v.describe() + ": in the validator schedule since genesis");
                    continue;
                }
                sleepUntil(start + step.at().toNanos());
                injector.inject(step.fault());
            }
            sleepUntil(start + scenario.duration().toNanos());
            long settle = System.nanoTime() + SETTLE.toNanos();
            injector.awaitEnded(settle);
            while (!watch.allRecovered() && System.nanoTime() < settle) {
                Thread.sleep(200);
            }
            out.println("metering stopped; waiting until every record is confirmed");
            result = sim.finish(drainTimeout);
            watch.sample();
            out.println(sim.progressLine(Duration.ofNanos(System.nanoTime() - start)));

            Map<Integer, String> unended = new LinkedHashMap<>();
            for (FaultInjector.Injection i : injector.injections()) {
                if (i.endedNanos().isEmpty()) {
                    unended.put(i.id(), "#" + i.id() + " " + i.fault().describe());
                }
            }
            verdicts.add(FaultChecks.faultsEnded(unended));
            Scenario.Expectations expect = scenario.expect();
            if (expect.nothingLost()) {
                verdicts.add(FaultChecks.nothingLost(result));
            }
            verdicts.addAll(FaultChecks.alarms(expect.alarms(), watch.alarmsSeen()));
            expect.recoveredWithin().ifPresent(limit -> verdicts.addAll(FaultChecks.recovered(watch.recoveries(), limit)));
            if (expect.everyForgeryDetected()) {
                verdicts.add(FaultChecks.everyForgeryDetected(watch.forgeries(sim.forgeriesServed()), result.receiptsWithheld()));
            }
            if (expect.valsetChanges() > 0) {
                long height = sim.ledger().latestHeight();
                long changes = 0;
                for (long h = 2; h <= height; h++) {
                    if (sim.ledger().schedule().changesAt(h)) {
                        changes++;
                    }
                }
                verdicts.add(FaultChecks.valsetChanges(changes, expect.valsetChanges(), height));
            }
        }
        out.println(result.summaryLine());
        for (FaultChecks.Verdict v : verdicts) {
            out.println(v.line());
        }
        Report report = new Report(scenario.name(), verdicts, result);
        out.println("scenario " + scenario.name() + ": " + (report.passed() ? "passed" : "FAILED"));
        return report;
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long left;
        while ((left = nanos - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, left / 1_000_000));
        }
    }
}
