package io.wattproof.agent.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Real child processes through /bin/sh. */
class ProcessCommandRunnerIT {
    private final ProcessCommandRunner runner = new ProcessCommandRunner(Duration.ofSeconds(2));

    @Test
    void capturesExitStatusAndBothStreamsInTheCLocale() throws Exception {
        CommandRunner.Result r = runner.run(List.of("/bin/sh", "-c", "echo yes; echo \"$LC_ALL\" >&2; exit 3"));
        assertEquals(new CommandRunner.Result(3, "yes\n", "C\n"), r);
    }

    @Test
    void aChildThatFillsStandardErrorBeforeWritingStandardOutputIsReadInFull() throws Exception {
        // 200 KB on stderr first: more than a pipe holds, so both pipes must be read at once.
        CommandRunner.Result r = runner.run(List.of("/bin/sh", "-c", "head -c 200000 /dev/zero >&2; echo done"));
        assertEquals(0, r.exitCode());
        assertEquals("done\n", r.stdout());
        assertEquals(64 * 1024, r.stderr().length(), "kept up to the cap, the rest read and dropped");
    }

    @Test
    void aMissingProgramOrAHangingOneIsAnIoErrorNotAStall() {
        assertThrows(IOException.class, () -> runner.run(List.of("wattproof-no-such-program")));
        ProcessCommandRunner impatient = new ProcessCommandRunner(Duration.ofMillis(200));
        IOException e = assertThrows(IOException.class, () -> impatient.run(List.of("/bin/sh", "-c", "sleep 30")));
        assertTrue(e.getMessage().contains("no answer within 200 ms"), e.getMessage());
    }
}
