package io.wattproof.simulator.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Scenario files and fault requests: what is read, and what each kind of bad input is told. */
class ScenarioParserTest {
    private static final String GOOD = """
            name: lab
            description: two faults
            fleet:
              meters: 3
              interval: 1s
              duration: 30s
            timeline:
              - at: 0s
                fault: valset-change
                every: 5
              - at: 5s
                fault: partition
                meters: [1, 2]
                for: 10s
              - at: 6s
                fault: clock-jump
                meter: 2
                by: -5s
                for: 3s
              - at: 7s
                fault: byzantine-gateway
                rate: 0.25
                for: 10s
            expect:
              nothing_lost: true
              alarms:
                - meter: 1
                  alarm: uplink down
                - alarm: forgeries detected
              recovered_within: 20s
              every_forgery_detected: true
              valset_changes: 2
            """;

    private static Scenario ok(String text) {
        Parsed<Scenario> p = ScenarioParser.parse("lab.yaml", text);
        if (p instanceof Parsed.Invalid<Scenario> bad) {
            throw new AssertionError(bad.message());
        }
        return ((Parsed.Ok<Scenario>) p).value();
    }

    private static List<ScenarioProblem> bad(String text) {
        return problems(ScenarioParser.parse("lab.yaml", text));
    }

    private static List<ScenarioProblem> problems(Parsed<?> p) {
        return ((Parsed.Invalid<?>) assertInstanceOf(Parsed.Invalid.class, p)).problems();
    }

    private static ScenarioProblem only(String text) {
        List<ScenarioProblem> problems = bad(text);
        assertEquals(1, problems.size(), problems.toString());
        return problems.get(0);
    }

    @Test
    void readsEveryPartOfAScenario() {
        Scenario s = ok(GOOD);
        assertEquals("lab", s.name());
        assertEquals(3, s.meters());
        assertEquals(Duration.ofSeconds(1), s.interval());
        assertEquals(Duration.ofSeconds(30), s.duration());
        assertEquals(List.of(new Scenario.Step(Duration.ZERO, new Fault.ValsetChange(5)),
                new Scenario.Step(Duration.ofSeconds(5), new Fault.Partition(List.of(1, 2), Duration.ofSeconds(10))),
                new Scenario.Step(Duration.ofSeconds(6), new Fault.ClockJump(2, Duration.ofSeconds(-5), Optional.of(Duration.ofSeconds(3)))),
                new Scenario.Step(Duration.ofSeconds(7), new Fault.ByzantineGateway(0.25, Duration.ofSeconds(10)))), s.timeline());
        assertEquals(new Scenario.Expectations(true, List.of(new Scenario.ExpectedAlarm(Optional.of(1), "uplink down"),
                new Scenario.ExpectedAlarm(Optional.empty(), "forgeries detected")), Optional.of(Duration.ofSeconds(20)), true, 2),
                s.expect());
    }

    @Test
    void everyShippedScenarioIsValid() {
        for (String name : Scenarios.BUILTIN) {
            Parsed<Scenario> p = Scenarios.load("builtin:" + name);
            if (p instanceof Parsed.Invalid<Scenario> bad) {
                throw new AssertionError(name + ": " + bad.message());
            }
            assertEquals(name, ((Parsed.Ok<Scenario>) p).value().name());
        }
        ScenarioProblem unknown = problems(Scenarios.load("builtin:nope")).get(0);
        assertTrue(unknown.message().contains("\"nope\""), unknown.message());
    }

    @Test
    void anUnknownFaultNamesItsLineAndTheKinds() {
        ScenarioProblem p = only(GOOD.replace("fault: partition", "fault: earthquake"));
        assertEquals(12, p.line());
        assertEquals("timeline[1].fault", p.field());
        assertTrue(p.expected().contains("broker-restart"), p.expected());
        assertEquals("\"earthquake\"", p.actual());
    }

    @Test
    void aMeterOutsideTheFleetIsRefusedWithTheRange() {
        ScenarioProblem p = only(GOOD.replace("meters: [1, 2]", "meters: [1, 4]"));
        assertEquals("timeline[1].meters[1]", p.field());
        assertEquals("a whole number 1..3", p.expected());
        assertEquals("\"4\"", p.actual());
        assertEquals(13, p.line());
        assertEquals("lab.yaml:13: timeline[1].meters[1]: expected a whole number 1..3, got \"4\"", p.message());
    }

    @Test
    void aBadDurationAnUnknownKeyAndAMissingValueAreAllReported() {
        List<ScenarioProblem> problems = bad(GOOD.replace("for: 10s\n  - at: 6s", "for: ten\n  - at: 6s")
                .replace("rate: 0.25", "rate: 0.25\n    colour: red").replace("    every: 5\n", ""));
        List<String> fields = problems.stream().map(ScenarioProblem::field).toList();
        assertEquals(List.of("timeline[0].every", "timeline[1].for", "timeline[3].colour"), fields, problems.toString());
        assertTrue(problems.get(1).expected().startsWith("a duration like"), problems.get(1).expected());
        assertTrue(problems.get(2).expected().contains("[for, rate]"), problems.get(2).expected());
    }

    @Test
    void aFaultThatOutlastsTheRunIsRefused() {
        ScenarioProblem p = only(GOOD.replace("duration: 30s", "duration: 16s"));
        assertEquals("timeline[3]", p.field());
        assertEquals("one that ends at 17s", p.actual());
        assertEquals(20, p.line());
    }

    @Test
    void faultsOutOfOrderAndALateValidatorChangeAreRefused() {
        List<ScenarioProblem> problems = bad(GOOD.replace("at: 6s", "at: 4s").replace("at: 0s", "at: 1s"));
        assertEquals(List.of("timeline[0].at", "timeline[2].at"), problems.stream().map(ScenarioProblem::field).toList());
        assertTrue(problems.get(0).expected().contains("fixed at genesis"));
    }

    @Test
    void anUnknownAlarmAndNoChecksAreRefused() {
        ScenarioProblem alarm = only(GOOD.replace("alarm: uplink down", "alarm: smoke"));
        assertEquals("expect.alarms[0].alarm", alarm.field());
        assertTrue(alarm.expected().contains("meter not answering"));
        ScenarioProblem none = only(GOOD.substring(0, GOOD.indexOf("expect:")) + "expect: {}\n");
        assertEquals("expect", none.field());
    }

    @Test
    void malformedYamlEmptyFilesAndWrongShapesAreProblemsNotExceptions() {
        ScenarioProblem yaml = only("name: lab\nfleet: [unclosed\n");
        assertEquals("(file)", yaml.field());
        assertTrue(yaml.line() >= 2, yaml.toString());
        assertEquals("an empty document", only("").actual());
        assertEquals("a mapping", only("- a\n- b\n").expected());
        ScenarioProblem twice = bad(GOOD.replace("name: lab", "name: lab\nname: again")).get(0);
        assertEquals("name", twice.field());
        assertEquals("a second \"name\"", twice.actual());
        ScenarioProblem big = only("x".repeat(ScenarioParser.MAX_FILE_CHARS + 1));
        assertTrue(big.actual().endsWith("characters"));
        // Nodes are composed, never constructed, and SnakeYAML's tag inspector refuses a global tag
        // while composing: no class is ever named, let alone instantiated, from a file.
        ScenarioProblem tag = bad(GOOD.replace("fleet:\n  meters: 3\n  interval: 1s\n  duration: 30s",
                "fleet: !!javax.script.ScriptEngineManager [x]")).get(0);
        assertEquals("(file)", tag.field());
        assertEquals(3, tag.line());
    }

    @Test
    void clockStepsUnderASecondAreRefusedForTheyGoUnnoticed() {
        ScenarioProblem p = only(GOOD.replace("by: -5s", "by: 500ms"));
        assertEquals("timeline[2].by", p.field());
        assertEquals("500ms", p.actual());
    }

    @Test
    void aDashboardRequestIsReadWithTheSameRules() {
        assertEquals(new Fault.PowerCut(2, Duration.ofSeconds(10)),
                ((Parsed.Ok<Fault>) ScenarioParser.parseFault("power-cut", "{\"meter\": 2, \"for\": \"10s\"}", 3)).value());
        assertEquals(new Fault.BrokerRestart(Duration.ofSeconds(3)),
                ((Parsed.Ok<Fault>) ScenarioParser.parseFault("broker-restart", "{\"down\": \"3s\"}", 3)).value());
        ScenarioProblem meter = problems(ScenarioParser.parseFault("garbage", "{\"meter\": 9, \"for\": \"5s\"}",
                3)).get(0);
        assertEquals("request:1: meter: expected a whole number 1..3, got \"9\"", meter.message());
        assertEquals(List.of("for", "meters"), problems(ScenarioParser.parseFault("partition", "", 3)).stream()
                .map(ScenarioProblem::field).toList());
        ScenarioProblem valset = problems(ScenarioParser.parseFault("valset-change", "{\"every\": 5}", 3)).get(0);
        assertEquals("kind", valset.field());
        ScenarioProblem notJson = problems(ScenarioParser.parseFault("garbage", "{\"meter\": ", 3)).get(0);
        assertEquals("(file)", notJson.field());
    }
}
