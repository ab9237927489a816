package io.wattproof.agent.config;

import java.util.List;
import java.util.Objects;

/** Outcome of parsing a device configuration: the configuration, or every problem found in it. */
public sealed interface ConfigParseResult {

    record Parsed(DeviceConfig config) implements ConfigParseResult {
        public Parsed {
            Objects.requireNonNull(config, "config");
        }
    }

    record Invalid(List<ConfigProblem> problems) implements ConfigParseResult {
        public Invalid {
            problems = List.copyOf(problems);
            if (problems.isEmpty()) {
                throw new IllegalArgumentException("problems: expected at least one");
            }
        }
    }
}
