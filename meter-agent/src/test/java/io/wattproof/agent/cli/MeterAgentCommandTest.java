package io.wattproof.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.crypto.soft.SoftwareKeyStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeterAgentCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return MeterAgentCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void keygenCreatesAKeyOnceAndRefusesToReplaceIt() throws Exception {
        String keys = dir.resolve("keys").toString();
        String secret = dir.resolve("secret").toString();
        assertEquals(0, run("keygen", "--keys", keys, "--secret", secret, "--alg", "ed25519"), err.toString());
        assertTrue(out.toString().matches("(?s)device id: [0-9a-f]{40}\\n.*"), out.toString());
        byte[] before = Files.readAllBytes(dir.resolve("keys").resolve(SoftwareKeyStore.PRIVATE_KEY_FILE));

        assertEquals(1, run("keygen", "--keys", keys, "--secret", secret));
        assertTrue(err.toString().startsWith("error: "), err.toString());
        assertEquals(java.util.Arrays.toString(before),
                java.util.Arrays.toString(Files.readAllBytes(dir.resolve("keys").resolve(SoftwareKeyStore.PRIVATE_KEY_FILE))),
                "the existing identity is untouched");
    }

    @Test
    void badArgumentsGetUsageErrorsNotStackTraces() {
        assertEquals(2, run("keygen", "--keys", "k", "--secret", "s", "--alg", "rsa"));
        assertTrue(err.toString().contains("--alg: expected p256 or ed25519, got 'rsa'"), err.toString());
        assertEquals(2, run("run", "--keys", "k", "--secret", "s", "--data", "d", "--modbus", "meter", "--mqtt", "tcp://x:1"));
        assertTrue(err.toString().contains("--modbus: expected HOST:PORT"), err.toString());
        assertEquals(2, run("run", "--keys", "k", "--secret", "s", "--data", "d", "--modbus", "meter:502", "--mqtt", "tcp://x:1",
                "--model", "SDM999"));
        assertTrue(err.toString().contains("--model: name: expected a built-in model (SDM630"), err.toString());
        assertEquals(2, run("run", "--keys", "k", "--secret", "s", "--data", "d", "--modbus", "meter:502", "--mqtt", "tcp://x:1",
                "--model", "no/such/map.yaml"));
        assertTrue(err.toString().contains("--model: no/such/map.yaml: (file): expected an existing map file, actual no such file"),
                err.toString());
        assertEquals(2, run("frobnicate"));
    }
}
