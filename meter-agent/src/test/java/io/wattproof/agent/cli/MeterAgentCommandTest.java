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
        assertTrue(err.toString().contains("--alg: expected p256, ed25519 or sm2, got 'rsa'"), err.toString());
        assertEquals(2, run("run", "--keys", "k", "--secret", "s", "--data", "d", "--tcp", "meter:x", "--mqtt", "tcp://x:1"));
        assertTrue(err.toString().contains("--tcp: expected HOST[:PORT] with a port number, actual 'meter:x'"), err.toString());
        assertEquals(2, run("run", "--keys", "k", "--secret", "s", "--data", "d", "--tcp", "meter:502", "--mqtt", "tcp://x:1",
                "--model", "SDM999"));
        assertTrue(err.toString().contains("--model: name: expected a built-in model (SDM630"), err.toString());
        assertEquals(2, run("run", "--keys", "k", "--secret", "s", "--data", "d", "--tcp", "meter:502", "--mqtt", "tcp://x:1",
                "--model", "no/such/map.yaml"));
        assertTrue(err.toString().contains("--model: no/such/map.yaml: (file): expected an existing map file, actual no such file"),
                err.toString());
        assertEquals(2, run("frobnicate"));
    }

    @Test
    void anUnknownClockSyncSourceIsAUsageErrorNamingTheChoices() {
        assertEquals(2, run("run", "--keys", "k", "--secret", "s", "--data", "d", "--tcp", "meter:502", "--mqtt", "tcp://x:1",
                "--clock-sync", "ntpd"));
        assertTrue(err.toString().contains("--clock-sync: clock sync source: expected one of auto, timedated, chrony, timesyncd, "
                + "assume-synchronised, got \"ntpd\""), err.toString());
    }

    /** The TLS options are checked before the meter or the broker is touched. */
    @Test
    void runChecksItsTlsOptionsAgainstTheBrokerScheme() throws Exception {
        String keys = dir.resolve("keys").toString();
        String secret = dir.resolve("secret").toString();
        assertEquals(0, run("keygen", "--keys", keys, "--secret", secret));
        String[] base = {"run", "--keys", keys, "--secret", secret, "--data", dir.resolve("d").toString(), "--tcp", "meter:502"};

        assertEquals(2, run(concat(base, "--mqtt", "ssl://broker:8883")));
        assertTrue(err.toString().contains("--mqtt ssl://broker:8883: mutual TLS needs --device-cert and --broker-ca"), err.toString());

        assertEquals(2, run(concat(base, "--mqtt", "tcp://broker:1883", "--broker-ca", "ca.pem")));
        assertTrue(err.toString().contains("--device-cert and --broker-ca are for an ssl:// broker; --mqtt is tcp://broker:1883"),
                err.toString());

        Path notPem = Files.writeString(dir.resolve("device.pem"), "not a certificate");
        assertEquals(2, run(concat(base, "--mqtt", "ssl://broker:8883", "--device-cert", notPem.toString(), "--broker-ca", "ca.pem")));
        assertTrue(err.toString().contains("--device-cert " + notPem + ": "), err.toString());
    }

    private static String[] concat(String[] base, String... more) {
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void readRefusesContradictoryOrImpossibleLineSettings() {
        assertEquals(2, run("read", "--tcp", "meter", "--baud", "9600", "--unit", "1", "--model", "SDM630"));
        assertTrue(err.toString().contains("--baud: applies to --serial only"), err.toString());
        assertEquals(2, run("read", "--serial", "/dev/ttyUSB9", "--tcp", "meter", "--unit", "1", "--model", "SDM630"));
        assertTrue(err.toString().contains("mutually exclusive"), err.toString());
        assertEquals(2, run("read", "--serial", "/dev/ttyUSB9", "--parity", "X", "--unit", "1", "--model", "SDM630"));
        assertTrue(err.toString().contains("serial line: "), err.toString());
        assertEquals(2, run("read", "--serial", "/dev/ttyUSB9", "--unit", "0", "--model", "SDM630"));
        assertTrue(err.toString().contains("--unit: expected 1..247 on /dev/ttyUSB9 9600 8E1, actual 0"), err.toString());
        assertEquals(2, run("read", "--tcp", "meter", "--unit", "1", "--model", "SDM630", "--format", "xml"));
        assertTrue(err.toString().contains("--format: expected table or json, actual 'xml'"), err.toString());
        assertEquals(2, run("read", "--tcp", "meter", "--unit", "1"));
        assertTrue(err.toString().contains("Missing required option: '--model=NAME|FILE|auto'"), err.toString());
    }

    @Test
    void readOfAMissingPortSaysWhatIsWrong() {
        assertEquals(1, run("read", "--serial", "/dev/no-such-port", "--unit", "1", "--model", "SDM630"));
        assertTrue(err.toString().contains("/dev/no-such-port"), err.toString());
    }

    @Test
    void modelsListsTheBuiltInMaps() {
        assertEquals(0, run("models"));
        for (String model : new String[] {"SDM630", "SDM120", "SDM230", "B21", "B23", "EM340", "iEM3155"}) {
            assertTrue(out.toString().contains(model), model + " in\n" + out);
        }
    }

    @Test
    void runOffersToTurnTelemetryOff() {
        assertEquals(0, run("run", "--help"));
        assertTrue(out.toString().contains("--no-telemetry"), out.toString());
    }
}
