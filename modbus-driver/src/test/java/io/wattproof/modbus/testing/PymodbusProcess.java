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
 * A pymodbus server script from src/test/resources/pymodbus, run by Debian's python3-pymodbus
 * ({@code /usr/bin/python3}, override with {@code -Dwattproof.python=...}). The script prints
 * {@code PORT <n>} once it listens on an ephemeral port and exits when its stdin closes.
 *
 * <p>A missing interpreter or pymodbus fails the test with an install hint; it never skips, because
 * a skipped interoperability test looks green in CI.
 */
public final class PymodbusProcess implements AutoCloseable {
    private static final String PYTHON = System.getProperty("wattproof.python", "/usr/bin/python3");

    private final Process process;
    private final Path workDir;
    private final int port;

    private PymodbusProcess(Process process, Path workDir, int port) {
        this.process = process;
        this.workDir = workDir;
        this.port = port;
    }

    /**
     * Copies {@code script} (a resource under /pymodbus/) and {@code files} into a temporary folder
     * and runs the script there with {@code args}; a file argument is passed by its name.
     */
    public static PymodbusProcess start(String script, List<String> args, java.util.Map<String, String> files)
            throws Exception {
        String version = requirePymodbus();
        Path workDir = Files.createTempDirectory("pymodbus-it");
        Path scriptPath = workDir.resolve(script);
        try (InputStream in = PymodbusProcess.class.getResourceAsStream("/pymodbus/" + script)) {
            if (in == null) {
                fail("test resource /pymodbus/" + script + " is missing from the test classpath");
            }
            Files.copy(in, scriptPath);
        }
        for (var f : files.entrySet()) {
            Files.writeString(workDir.resolve(f.getKey()), f.getValue(), StandardCharsets.US_ASCII);
        }
        List<String> command = new ArrayList<>(List.of(PYTHON, scriptPath.toString()));
        command.addAll(args);
        Path stderr = workDir.resolve("stderr.log");
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectError(stderr.toFile()).start();
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
        if (line == null || !line.startsWith("PORT ")) {
            process.destroyForcibly();
            fail("pymodbus " + version + " server " + script + " did not start (first line: " + line + "); stderr:\n"
                    + Files.readString(stderr));
        }
        return new PymodbusProcess(process, workDir, Integer.parseInt(line.substring("PORT ".length()).strip()));
    }

    public int port() {
        return port;
    }

    /** Fails (never skips) when the interpreter cannot import pymodbus; returns its version. */
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
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!probe.waitFor(30, TimeUnit.SECONDS) || probe.exitValue() != 0) {
            fail(PYTHON + " cannot import pymodbus, which this integration test needs: install Debian's "
                    + "python3-pymodbus (apt-get install -y python3-pymodbus; do not pip install), or point "
                    + "-Dwattproof.python at an interpreter that has it. Output:\n" + output);
        }
        return output;
    }

    @Override
    public void close() throws Exception {
        process.getOutputStream().close(); // the script exits when its stdin closes
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        try (var paths = Files.list(workDir)) {
            for (Path p : paths.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(workDir);
    }
}
