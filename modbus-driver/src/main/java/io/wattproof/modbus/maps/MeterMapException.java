package io.wattproof.modbus.maps;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A map file could not be loaded: it is missing, unreadable, or breaks the schema. Not a {@link
 * io.wattproof.modbus.ModbusException}: nothing was exchanged with a device, the configuration is
 * wrong. The message lists every problem, one per line.
 */
public final class MeterMapException extends Exception {
    private final List<MapProblem> problems;

    public MeterMapException(List<MapProblem> problems) {
        super(problems.stream().map(MapProblem::message).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public MeterMapException(MapProblem problem, Throwable cause) {
        super(problem.message(), cause);
        this.problems = List.of(problem);
    }

    public List<MapProblem> problems() {
        return problems;
    }
}
