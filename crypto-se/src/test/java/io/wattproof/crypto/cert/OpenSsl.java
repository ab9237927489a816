package io.wattproof.crypto.cert;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The system's OpenSSL 3, run as an outside judge of what we write. Fails the test when missing. */
final class OpenSsl {
    static final Path BINARY = Path.of("/usr/bin/openssl");

    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    private OpenSsl() {}

    static Result run(Path workDir, String... args) throws IOException, InterruptedException {
        assertTrue(Files.isExecutable(BINARY), BINARY + " is required for this test: install the Debian package openssl");
        List<String> command = new ArrayList<>(List.of(BINARY.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "openssl did not finish: " + command);
        return new Result(process.exitValue(), output.strip());
    }

    /** Like {@link #run}, and the command must succeed. */
    static String ok(Path workDir, String... args) throws IOException, InterruptedException {
        Result result = run(workDir, args);
        assertTrue(result.ok(), "openssl " + String.join(" ", args) + " failed: " + result.output());
        return result.output();
    }
}
