package io.wattproof.crypto.pkcs11;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The SoftHSM2 tokens of one integration-test JVM, shared by every *IT that needs a token: each
 * test takes one of its own.
 *
 * <p>All tokens are initialised, in a token directory made for this run, before the first test
 * loads SoftHSM2: SoftHSM2 2.6 reads {@code SOFTHSM2_CONF} and builds its slot list once, in
 * C_Initialize, and afterwards only notices one more token (in the spare "free" slot), so tokens
 * made later by softhsm2-util stay invisible to the loaded library. That is also why there is one
 * pool per JVM and not one per test class.
 */
public final class SoftHsmTokens {
    public static final Path LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");
    public static final String USER_PIN = "246810";
    private static final String SO_PIN = "13579111";
    /** At least the number of tests in all classes that take a token. */
    private static final int TOKENS = 24;
    private static Deque<String> free;

    private SoftHsmTokens() {}

    /** The label of a token no other test uses, user PIN {@link #USER_PIN}. */
    public static synchronized String take() throws IOException, InterruptedException {
        if (free == null) {
            free = initialise();
        }
        String label = free.poll();
        if (label == null) {
            fail("more tests than tokens: raise SoftHsmTokens.TOKENS");
        }
        return label;
    }

    /** Writes {@code pin} to {@code file} with {@code mode} (e.g. "rw-------"). */
    public static Path writePin(Path file, String pin, String mode) throws IOException {
        Files.writeString(file, pin + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    public static void requireTool(String path, String debianPackage) {
        if (!Files.exists(Path.of(path))) {
            fail(path + " is missing: install it with 'apt-get install " + debianPackage + "'");
        }
    }

    private static Deque<String> initialise() throws IOException, InterruptedException {
        requireTool(LIBRARY.toString(), "softhsm2");
        requireTool("/usr/bin/softhsm2-util", "softhsm2");
        String conf = System.getenv("SOFTHSM2_CONF");
        if (conf == null) {
            fail("SOFTHSM2_CONF is not set: run this test through Maven (failsafe sets it in crypto-se/pom.xml)");
        }
        // Written before SoftHSM2 is loaded: it reads the file once, in C_Initialize.
        Path tokens = Files.createTempDirectory("wattproof-softhsm-");
        Files.createDirectories(Path.of(conf).getParent());
        Files.writeString(Path.of(conf), "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n");
        String run = UUID.randomUUID().toString().substring(0, 8);
        Deque<String> labels = new ArrayDeque<>();
        for (int i = 0; i < TOKENS; i++) {
            // Fixed width: pkcs11-tool --token-label matches a prefix, so "x-1" would also pick "x-13".
            String label = String.format("wp-%s-%02d", run, i);
            run("softhsm2-util", "--init-token", "--free", "--label", label, "--pin", USER_PIN, "--so-pin", SO_PIN);
            labels.add(label);
        }
        return labels;
    }

    /** Runs a tool; it must succeed. Returns its output. */
    public static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            fail(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }
}
