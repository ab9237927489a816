package io.wattproof.simulator.fault;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The scenario files shipped in the simulator's jar, and loading one by {@code builtin:NAME} or path. */
public final class Scenarios {
    /** One per fault kind, and one with several faults at once (docs/faults.md, "Shipped scenarios"). */
    public static final List<String> BUILTIN = List.of("broker-restart", "partition", "power-cut", "clock-jump", "garbage",
            "valset-change", "byzantine-gateway", "several-faults");
    private static final String RESOURCES = "/io/wattproof/simulator/scenarios/";
    private static final String PREFIX = "builtin:";

    private Scenarios() {}

    /** {@code builtin:NAME} or a file's path; problems (an unknown name, an unreadable file, a bad file) come back as {@link Parsed.Invalid}. */
    public static Parsed<Scenario> load(String spec) {
        if (spec.startsWith(PREFIX)) {
            String name = spec.substring(PREFIX.length());
            if (!BUILTIN.contains(name)) {
                return invalid(spec, "--scenario-file", "builtin: followed by one of " + BUILTIN, "\"" + name + "\"");
            }
            try (InputStream in = Scenarios.class.getResourceAsStream(RESOURCES + name + ".yaml")) {
                if (in == null) {
                    return invalid(spec, "--scenario-file", "the simulator's jar to hold " + name + ".yaml", "it missing");
                }
                return ScenarioParser.parse(name + ".yaml", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                return invalid(spec, "--scenario-file", "a readable resource", e.toString());
            }
        }
        Path file = Path.of(spec);
        try {
            if (Files.size(file) > ScenarioParser.MAX_FILE_CHARS * 4L) {
                return invalid(spec, "(file)", "at most " + ScenarioParser.MAX_FILE_CHARS + " characters", Files.size(file) + " bytes");
            }
            return ScenarioParser.parse(spec, Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return invalid(spec, "--scenario-file", "a readable scenario file", e.toString());
        }
    }

    private static Parsed<Scenario> invalid(String origin, String field, String expected, String actual) {
        return new Parsed.Invalid<>(List.of(new ScenarioProblem(origin, 0, field, expected, actual)));
    }
}
