package io.wattproof.agent.clock;

import java.io.IOException;
import java.util.List;

/** Runs a short command and hands back what it printed. */
public interface CommandRunner {

    /**
     * @throws IOException if the command could not be started (not installed), did not finish in
     *     time, or its output could not be read
     */
    Result run(List<String> command) throws IOException;

    /**
     * @param exitCode the command's exit status
     * @param stdout standard output, UTF-8
     * @param stderr standard error, UTF-8
     */
    record Result(int exitCode, String stdout, String stderr) {}
}
