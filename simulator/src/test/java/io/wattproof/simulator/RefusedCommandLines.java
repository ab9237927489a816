package io.wattproof.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

/** Runs {@code bin/simulate} in process, for tests of options checked before anything starts. */
final class RefusedCommandLines {
    private RefusedCommandLines() {}

    record Outcome(int code, String out, String err) {}

    static Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SimulatorCommand.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                args);
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Exit status 2, {@code expectedMessage} on the error stream, and no run folder under {@code tmp}. */
    static void assertRefused(Path tmp, String expectedMessage, String... args) {
        Path data = tmp.resolve("run");
        String[] all = Stream.concat(Arrays.stream(args), Stream.of("--data", data.toString())).toArray(String[]::new);
        Outcome o = run(all);
        assertEquals(2, o.code(), o.out() + o.err());
        assertTrue(o.err().contains(expectedMessage), o.err());
        assertTrue(Files.notExists(data), "nothing is started for a refused command line");
    }
}
