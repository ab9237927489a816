package io.wattproof.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The SoftHSM2 tokens of the PKCS#11 integration tests, made once per test JVM. They must all exist
 * before the first test loads the library: SoftHSM2 reads SOFTHSM2_CONF and its token folder once,
 * at C_Initialize, and the JDK initialises a PKCS#11 library once per process (PKCS#11 v2.40
 * C_Initialize), so a token made later by softhsm2-util is not seen by this JVM.
 */
final class SoftHsmTokens {
    static final String LIBRARY = "/usr/lib/softhsm/libsofthsm2.so";
    static final String PIN = "246810";
    /** One token per test class, so that no class finds another's keys. */
    static final List<String> LABELS = List.of("agent-it-token", "provision-it-token");

    private static boolean made;

    private SoftHsmTokens() {}

    static synchronized void ensure() throws IOException, InterruptedException {
        if (made) {
            return;
        }
        String confVariable = System.getenv("SOFTHSM2_CONF");
        assertNotNull(confVariable, "SOFTHSM2_CONF must be set for this test JVM (meter-agent/pom.xml, failsafe)");
        if (!Files.exists(Path.of(LIBRARY))) {
            fail(LIBRARY + " is missing: apt-get install softhsm2");
        }
        Path conf = Path.of(confVariable);
        Path tokens = conf.resolveSibling("tokens");
        deleteTree(tokens);
        Files.createDirectories(tokens);
        Files.writeString(conf, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n");
        for (String label : LABELS) {
            exec("softhsm2-util", "--init-token", "--free", "--label", label, "--pin", PIN, "--so-pin", "13579111");
        }
        made = true;
    }

    static String exec(String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError(command[0] + " is not installed: apt-get install softhsm2 opensc openssl", e);
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + ": no exit within 30 s");
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + output);
        return output;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
