package io.wattproof.agent.board;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A profile could not be loaded: it is missing, unreadable, or breaks the schema. The message
 * lists every problem, one per line.
 */
public final class BoardProfileException extends Exception {
    private final List<BoardProblem> problems;

    public BoardProfileException(List<BoardProblem> problems) {
        super(problems.stream().map(BoardProblem::message).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public BoardProfileException(BoardProblem problem, Throwable cause) {
        super(problem.message(), cause);
        this.problems = List.of(problem);
    }

    public List<BoardProblem> problems() {
        return problems;
    }
}
