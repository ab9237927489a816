package io.wattproof.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChargeCommandTest extends CommandLineTest {
    static final String PILE = "00112233445566778899aabbccddeeff00112233";

    @TempDir
    Path dir;

    private String keys() {
        return dir.resolve("owner").toString();
    }

    @Test
    void keysAreCreatedOnceAndShownAgain() {
        assertEquals(0, run("charge", "keys", "--keys", keys()), err);
        assertTrue(out.startsWith("created the car owner's keys in " + keys()), out);
        Matcher id = Pattern.compile("car owner id: ([0-9a-f]{40})").matcher(out);
        assertTrue(id.find(), out);
        assertTrue(out.contains("ledger account: driver:" + id.group(1)), out);
        assertTrue(out.contains("last accepted booking nonce: 0"), out);
        String first = id.group(1);
        assertEquals(0, run("charge", "keys", "--keys", keys()), err);
        assertTrue(out.startsWith("car owner's keys in "), out);
        assertTrue(out.contains("car owner id: " + first), "the same identity: " + out);
        assertTrue(Files.exists(dir.resolve("owner").resolve("seal-key.bin")));
    }

    @Test
    void withoutASubcommandItPrintsUsage() {
        assertEquals(0, run("charge"));
        assertTrue(out.contains("book") && out.contains("start") && out.contains("stop") && out.contains("watch"), out);
    }

    @Test
    void badArgumentsAreUsageErrorsNamingTheOption() {
        assertEquals(2, run("charge", "book", "--keys", keys(), "--pile", "xyz", "--energy", "1", "--amount", "1"));
        assertTrue(err.contains("--pile: expected the pile's device id (40 hex characters), actual 'xyz'"), err);
        assertEquals(2, run("charge", "book", "--keys", keys(), "--pile", PILE, "--energy", "0", "--amount", "1"));
        assertTrue(err.contains("--energy: expected 1..10^9 Wh, actual 0"), err);
        assertEquals(2, run("charge", "book", "--keys", keys(), "--pile", PILE, "--energy", "10", "--amount", "100", "--deposit", "99"));
        assertTrue(err.contains("--deposit: expected --amount (100) ..10^15 micro-units, actual 99"), err);
        assertEquals(2, run("charge", "book", "--keys", keys(), "--pile", PILE, "--energy", "10", "--amount", "100", "--from", "soon"));
        assertTrue(err.contains("--from: expected an ISO-8601 instant (2026-11-27T18:00:00Z) or a duration from now"), err);
        assertEquals(2, run("charge", "book", "--keys", keys(), "--pile", PILE, "--energy", "10", "--amount", "100", "--offer", "abc"));
        assertTrue(err.contains("--offer: expected a tx hash (64 hex characters), actual 'abc'"), err);
        assertEquals(2, run("charge", "book", "--keys", keys(), "--pile", PILE, "--energy", "ten", "--amount", "100"));
        assertEquals(2, run("charge", "watch", "--keys", keys(), "--booking", "zz"));
        assertTrue(err.contains("--booking: expected a tx hash (64 hex characters), actual 'zz'"), err);
        assertEquals(2, run("charge", "book", "--keys", keys(), "--pile", PILE, "--amount", "100"));
        assertTrue(err.contains("Missing required option: '--energy=WH'"), err);
    }

    @Test
    void startWithoutASavedBookingNeedsThePile() {
        assertEquals(0, run("charge", "keys", "--keys", keys()), err);
        assertEquals(2, run("charge", "start", "--keys", keys(), "--booking", "ab".repeat(32)));
        assertTrue(err.contains("--pile: needed, since " + keys() + " holds no booking " + "ab".repeat(32)), err);
    }

    @Test
    void aMissingFolderIsAnErrorForStart() {
        assertEquals(1, run("charge", "start", "--keys", keys(), "--booking", "ab".repeat(32), "--pile", PILE));
        assertTrue(err.startsWith("error: " + keys() + ": expected a car owner's key"), err);
    }

    @Test
    void anUnreachableBrokerIsExitCodeOne() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertEquals(1, run("charge", "book", "--keys", keys(), "--broker", "tcp://127.0.0.1:" + port, "--pile", PILE, "--energy", "10",
                "--amount", "100"));
        assertTrue(err.contains("error: broker tcp://127.0.0.1:" + port + ": cannot connect"), err);
    }

    @Test
    void tlsOptionsAreForAnSslBrokerAndComeAsCertificateAndKeyTogether() {
        assertEquals(0, run("charge", "keys", "--keys", keys()), err);
        assertEquals(2, run("charge", "info", "--keys", keys(), "--pile", PILE, "--broker", "tcp://127.0.0.1:1883", "--broker-ca", "ca.pem"));
        assertTrue(err.contains("--broker-ca, --client-cert and --client-key are for an ssl:// broker; --broker is tcp://127.0.0.1:1883"),
                err);
        assertEquals(2, run("charge", "info", "--keys", keys(), "--pile", PILE, "--broker", "ssl://127.0.0.1:8883", "--client-key", "k.pem"));
        assertTrue(err.contains("--client-cert and --client-key: expected both or neither, got only --client-key"), err);
        assertEquals(2, run("charge", "info", "--keys", keys(), "--pile", PILE, "--broker", "ssl://127.0.0.1:8883", "--broker-ca",
                "missing-ca.pem"));
        assertTrue(err.contains("--broker-ca missing-ca.pem: "), err);
    }
}
