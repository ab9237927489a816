package io.wattproof.agent.clock;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command as a child process with the C locale (so tools print their documented English
 * output) and kills it if it takes longer than the timeout: a time service that hangs must not
 * stall the agent's worker.
 */
public final class ProcessCommandRunner implements CommandRunner {
    /** Output beyond this is not needed to read a status and is dropped. */
    private static final int MAX_OUTPUT_BYTES = 64 * 1024;

    private final Duration timeout;

    public ProcessCommandRunner(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public Result run(List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("LC_ALL", "C");
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        // Both pipes are drained at once, each on its own thread: a child that fills one pipe while
        // the other is read would otherwise block until the timeout.
        FutureTask<String> out = new FutureTask<>(() -> drain(p.getInputStream()));
        FutureTask<String> err = new FutureTask<>(() -> drain(p.getErrorStream()));
        Thread.ofVirtual().name("command-stdout").start(out);
        Thread.ofVirtual().name("command-stderr").start(err);
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException(command.get(0) + ": no answer within " + timeout.toMillis() + " ms");
            }
            return new Result(p.exitValue(), out.get(), err.get());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(command.get(0) + ": interrupted", e);
        } catch (ExecutionException e) {
            throw new IOException(command.get(0) + ": reading output failed: " + e.getCause(), e);
        }
    }

    private static String drain(InputStream in) throws IOException {
        try (in) {
            byte[] bytes = in.readNBytes(MAX_OUTPUT_BYTES);
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
