package io.wattproof.agent.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the agent's command line in this JVM and keeps what it printed, for the command tests. */
abstract class CommandLineTest {
    /** What the last {@link #run} printed to standard output and standard error. */
    String out;
    String err;

    int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int exit = MeterAgentCommand.run(new PrintWriter(o, true), new PrintWriter(e, true), args);
        out = o.toString();
        err = e.toString();
        return exit;
    }
}
