package io.wattproof.agent.board;

import java.util.List;
import java.util.Objects;

/** Outcome of parsing a profile: the profile, or every problem found in it. */
public sealed interface BoardParseResult {

    record Parsed(BoardProfile profile) implements BoardParseResult {
        public Parsed {
            Objects.requireNonNull(profile, "profile");
        }
    }

    record Invalid(List<BoardProblem> problems) implements BoardParseResult {
        public Invalid {
            problems = List.copyOf(problems);
            if (problems.isEmpty()) {
                throw new IllegalArgumentException("problems: expected at least one");
            }
        }
    }
}
