package io.wattproof.simulator.fault;

import java.util.List;

/** The outcome of reading untrusted text: the value, or every problem found. */
public sealed interface Parsed<T> {
    record Ok<T>(T value) implements Parsed<T> {}

    record Invalid<T>(List<ScenarioProblem> problems) implements Parsed<T> {
        public Invalid {
            problems = List.copyOf(problems);
        }

        /** One problem per line. */
        public String message() {
            return String.join("\n", problems.stream().map(ScenarioProblem::message).toList());
        }
    }
}
