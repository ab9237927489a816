package io.wattproof.modbus.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A pymodbus server script from the test resources (under {@code /pymodbus/}) run by Debian's
 * {@code /usr/bin/python3} with python3-pymodbus (override with {@code -Dwattproof.python=...}).
 * A TCP script binds port 0 and prints {@code PORT <n>} once it listens; a serial script prints
 * {@code READY} once it has opened its port. Either exits when its stdin closes, so there is no
 * race for a free port and no server outlives its test.
 *
 * <p>A missing pymodbus fails the test with an install hint; it never skips, because a skipped
 * interoperability test looks green in CI.
 */
public final class PymodbusServer implements AutoCloseable {
    private static final String PYTHON = System.getProperty("wattproof.python", "/usr/bin/python3");

    private final Process process;
    private final Path workDir;
    private final int port;
    private final String version;

    private PymodbusServer(Process process, Path workDir, int port, String version) {
        this.process = process;
        this.workDir = workDir;
        this.port = port;
        this.version = version;
    }

    /** No port: the server is on a serial line. */
    private static final int SERIAL = -1;

    /** Starts {@code /pymodbus/<script>} with {@code args}; returns once it serves. */
    public static PymodbusServer start(String script, List<String> args) throws Exception {
        String version = requirePymodbus();
        Path workDir = Files.createTempDirectory("pymodbus-it");
        Path scriptFile = workDir.resolve(script);
        try (InputStream in = PymodbusServer.class.getResourceAsStream("/pymodbus/" + script)) {
            if (in == null) {
                fail("test resource /pymodbus/" + script + " is missing from the test classpath");
            }
            Files.copy(in, scriptFile);
        }
        List<String> command = new ArrayList<>(List.of(PYTHON, scriptFile.toString()));
        command.addAll(args);
        Path stderr = workDir.resolve("stderr.log");
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();

        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String line;
        try {
            line = firstLine.get(20, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            line = null;
        }
        if (line == null || !(line.startsWith("PORT ") || line.equals("READY"))) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            fail("pymodbus " + version + " server " + script + " did not start (first line: " + line + "); stderr:\n"
                    + Files.readString(stderr));
        }
        int port = line.equals("READY") ? SERIAL : Integer.parseInt(line.substring("PORT ".length()).strip());
        return new PymodbusServer(process, workDir, port, version);
    }

    /** Fails (never skips) when {@link #PYTHON} cannot import pymodbus; returns its version. */
    private static String requirePymodbus() throws Exception {
        Process probe;
        try {
            probe = new ProcessBuilder(PYTHON, "-c", "import pymodbus; print(pymodbus.__version__)")
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            fail("cannot run " + PYTHON + " (" + e.getMessage() + "): this test needs Debian's python3 with "
                    + "python3-pymodbus (apt-get install -y python3-pymodbus)");
            throw e;
        }
        // The output is a line or a short traceback: it fits the pipe, so waiting first cannot block.
        boolean exited = probe.waitFor(30, TimeUnit.SECONDS);
        if (!exited) {
            probe.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!exited || probe.exitValue() != 0) {
            fail(PYTHON + " cannot import pymodbus, which this integration test needs: install Debian's "
                    + "python3-pymodbus (apt-get install -y python3-pymodbus; do not pip install), or point "
                    + "-Dwattproof.python at an interpreter that has it. Output:\n" + output);
        }
        return output;
    }

    /** The TCP port the server listens on. */
    public int port() {
        if (port == SERIAL) {
            throw new IllegalStateException("this pymodbus server is on a serial line and has no port");
        }
        return port;
    }

    public String version() {
        return version;
    }

    /** Closes the script's stdin so it exits; kills it if it has not within 5 s. Removes its files. */
    @Override
    public void close() throws Exception {
        process.getOutputStream().close();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        try (var files = Files.list(workDir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(workDir);
    }
}
