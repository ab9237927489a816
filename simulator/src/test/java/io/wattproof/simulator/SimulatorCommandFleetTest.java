package io.wattproof.simulator;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fleet options are checked before anything starts: exit status 2, a message naming the option, nothing created. */
class SimulatorCommandFleetTest {
    @TempDir
    Path tmp;

    private void assertRefused(String expectedMessage, String... args) {
        RefusedCommandLines.assertRefused(tmp, expectedMessage, args);
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
