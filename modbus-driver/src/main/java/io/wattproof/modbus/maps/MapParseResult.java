package io.wattproof.modbus.maps;

import java.util.List;
import java.util.Objects;

/** Outcome of parsing a map file: the map, or every problem found in it. */
public sealed interface MapParseResult {

    record Parsed(MeterMap map) implements MapParseResult {
        public Parsed {
            Objects.requireNonNull(map, "map");
        }
    }

    record Invalid(List<MapProblem> problems) implements MapParseResult {
        public Invalid {
            problems = List.copyOf(problems);
            if (problems.isEmpty()) {
                throw new IllegalArgumentException("problems: expected at least one");
            }
        }
    }
}
