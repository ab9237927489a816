package io.wattproof.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fleet options are checked before anything starts: exit status 2, a message naming the option, nothing created. */
class SimulatorCommandFleetTest {
    @TempDir
    Path tmp;

    private record Outcome(int code, String out, String err) {}

    private Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SimulatorCommand.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                args);
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private void assertRefused(String expectedMessage, String... args) throws Exception {
        Path data = tmp.resolve("run");
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of("--data", data.toString()))
                .toArray(String[]::new);
        Outcome o = run(all);
        assertEquals(2, o.code(), o.out() + o.err());
        assertTrue(o.err().contains(expectedMessage), o.err());
        assertTrue(Files.notExists(data), "nothing is started for a refused command line");
    }

    @Test
    void moreMetersThanTheCapAreRefused() throws Exception {
        assertRefused("--meters: expected 1..10000, got 10001", "--meters", "10001");
        assertRefused("--meters: expected 1..10000, got 0", "--meters", "0");
    }

    @Test
    void aBrokerThatIsNoTcpHostAndPortIsRefused() throws Exception {
        assertRefused("--broker: expected tcp://HOST:PORT with a port 1..65535, got 'localhost:1883'", "--broker", "localhost:1883");
        assertRefused("--broker: expected tcp://HOST:PORT with a port 1..65535, got 'tcp://localhost'", "--broker", "tcp://localhost");
    }

    @Test
    void anEmbeddedBrokerPortBesideAnExternalBrokerIsRefused() throws Exception {
        assertRefused("--broker-port: expected none with --broker", "--broker", "tcp://127.0.0.1:1883", "--broker-port", "1884");
    }

    @Test
    void aBenchShorterThanItsWarmUpIsRefused() throws Exception {
        assertRefused("--bench: expected a --duration of at least 4 intervals (60s), got 45s", "--bench", "--interval", "15s",
                "--duration", "45s");
    }

    @Test
    void aCompressedBenchIsRefused() throws Exception {
        assertRefused("--bench: expected --speed 1 (latencies are real time), got 10", "--bench", "--interval", "15s", "--duration", "1m",
                "--speed", "10");
    }
}
