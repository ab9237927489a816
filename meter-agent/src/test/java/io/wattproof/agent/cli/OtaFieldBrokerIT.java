package io.wattproof.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.agent.TestDeviceKey;
import io.wattproof.agent.ota.FakeDevice;
import io.wattproof.agent.ota.FakeDevice.Ending;
import io.wattproof.agent.uplink.WattproofMosquitto;
import io.wattproof.ota.v1.UpdatePhase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ota publish} and {@code ota status} through the field broker: Debian's Mosquitto run from
 * docs/examples/mosquitto as it is, so mutual TLS and the ACL apply. The operator connects with an
 * OpenSSL-made certificate (CN {@code wattproof-operator}) and key; the devices with their device
 * certificates (CN their device id).
 */
class OtaFieldBrokerIT extends CommandLineTest {
    private static final String PREFIX = "wattproof/v1";

    @TempDir
    static Path dir;
    private static WattproofMosquitto broker;
    private static Path release;
    private final List<FakeDevice> devices = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        broker = WattproofMosquitto.start(dir.resolve("broker"));
        CommandLineTest setUp = new CommandLineTest() {};
        assertEquals(0, setUp.run("ota", "release-key", "--dir", dir.resolve("k1").toString()), setUp.err);
        Path root = dir.resolve("root.bin");
        assertEquals(0, setUp.run("ota", "root", "--keys", dir.resolve("k1").toString(), "--threshold", "1", "--version", "1",
                "--expires", "365d", "--out", root.toString()), setUp.err);
        byte[] firmware = new byte[100_000];
        new Random(9).nextBytes(firmware);
        Path image = Files.write(dir.resolve("app.img"), firmware);
        release = dir.resolve("release-7");
        assertEquals(0, setUp.run("ota", "sign", "--root", root.toString(), "--image", image.toString(), "--name", "app", "--version",
                "7", "--board", "pi4", "--expires", "30d", "--keys", dir.resolve("k1").toString(), "--out", release.toString()),
                setUp.err);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @AfterEach
    void stopDevices() {
        devices.forEach(FakeDevice::close);
    }

    /** A device with its own key and device certificate; its id is its device id, as the ACL's %u needs. */
    private FakeDevice device(Ending ending) throws Exception {
        TestDeviceKey key = new TestDeviceKey();
        FakeDevice d = new FakeDevice(broker.uri(), broker.deviceTls(key).getSocketFactory(), PREFIX, key.deviceId().hex(), 6, ending);
        devices.add(d);
        return d;
    }

    private String[] tls(WattproofMosquitto.ClientFiles operator) {
        return new String[] {"--broker-ca", broker.caFile().toString(), "--client-cert", operator.certificate().toString(),
                "--client-key", operator.key().toString()};
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void theOperatorUpdatesTheFleetThroughTheFieldBroker() throws Exception {
        FakeDevice a = device(Ending.UPDATE);
        FakeDevice b = device(Ending.UPDATE);
        WattproofMosquitto.ClientFiles operator = broker.clientFiles("wattproof-operator");
        String[] publish = concat(new String[] {"ota", "publish", "--broker", broker.uri(), "--release", release.toString(),
                "--until-done", "--for", "60s"}, tls(operator));
        // The fleet announcement reaches both devices (the pattern on ota/announce); each asks for
        // its chunks in its own subtree, and the operator reads the requests and the statuses.
        int code = run(concat(publish, "--device", a.id(), b.id()));
        assertEquals(0, code, err + out + broker.logText());
        assertTrue(out.contains("2 updated, 0 rolled back, 0 refused, 0 pending, of 2 device(s)"), out);
        assertEquals(UpdatePhase.UPDATE_PHASE_UPDATED, a.published.get(a.published.size() - 1).getPhase());
        assertEquals(UpdatePhase.UPDATE_PHASE_UPDATED, b.published.get(b.published.size() - 1).getPhase());

        assertEquals(0, run(concat(new String[] {"ota", "status", "--broker", broker.uri(), "--device", a.id(), "--wait", "2s"},
                tls(operator))), err);
        assertTrue(out.lines().anyMatch(l -> l.matches(a.id() + " +UPDATED +7 +7 +7 +- +-")), out);
    }

    @Test
    void aReleaseFromAClientTheAclDoesNotNameReachesNoDevice() throws Exception {
        FakeDevice a = device(Ending.UPDATE);
        WattproofMosquitto.ClientFiles stranger = broker.clientFiles("someone-else");
        int code = run(concat(new String[] {"ota", "publish", "--broker", broker.uri(), "--release", release.toString(), "--device",
                a.id(), "--for", "5s"}, tls(stranger)));
        assertEquals(1, code, out);
        // Mosquitto grants every subscription and filters reads by the ACL; the announcement is refused.
        assertTrue(err.contains("publish " + PREFIX + "/devices/" + a.id() + "/ota/announce: expected the broker to accept it, got "
                + "reason code 0x87"), err);
        assertEquals(List.of(UpdatePhase.UPDATE_PHASE_IDLE), a.published.stream().map(s -> s.getPhase()).toList(),
                "the device heard of no release");
    }

    @Test
    void tlsOptionsThatCannotWorkExitTwoAndSayWhich() throws Exception {
        WattproofMosquitto.ClientFiles operator = broker.clientFiles("wattproof-operator");
        String[] publish = {"ota", "publish", "--release", release.toString(), "--for", "1s"};

        assertEquals(2, run(concat(publish, "--broker", "tcp://127.0.0.1:1883", "--broker-ca", broker.caFile().toString())));
        assertTrue(err.contains("--broker-ca, --client-cert and --client-key are for an ssl:// broker; --broker is tcp://127.0.0.1:1883"),
                err);
        assertEquals(2, run(concat(publish, "--broker", broker.uri(), "--broker-ca", broker.caFile().toString(), "--client-cert",
                operator.certificate().toString())));
        assertTrue(err.contains("--client-cert and --client-key: expected both or neither, got only --client-cert"), err);
        assertEquals(2, run(concat(publish, "--broker", broker.uri(), "--client-cert", operator.certificate().toString(),
                "--client-key", operator.key().toString())));
        assertTrue(err.contains("--broker-ca: expected the broker's authority with a client certificate"), err);

        // Another client's key for this certificate.
        WattproofMosquitto.ClientFiles other = broker.clientFiles("other");
        assertEquals(2, run(concat(publish, "--broker", broker.uri(), "--broker-ca", broker.caFile().toString(), "--client-cert",
                operator.certificate().toString(), "--client-key", other.key().toString())));
        assertTrue(err.contains("client key: expected the private key of the client certificate (CN=wattproof-operator), got another key"),
                err);
        // A key file others can read, and a certificate where the key should be.
        Files.setPosixFilePermissions(other.key(), PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(2, run(concat(publish, "--broker", broker.uri(), "--broker-ca", broker.caFile().toString(), "--client-cert",
                other.certificate().toString(), "--client-key", other.key().toString())));
        assertTrue(err.contains("expected a file only its owner can read (chmod 600)"), err);
        Files.setPosixFilePermissions(other.key(), PosixFilePermissions.fromString("rw-------"));
        assertEquals(2, run(concat(publish, "--broker", broker.uri(), "--broker-ca", other.key().toString())));
        assertTrue(err.contains("--broker-ca " + other.key() + ": certificate pem: expected one block from '-----BEGIN CERTIFICATE-----'"),
                err);
    }

    @Test
    void aBrokerWhoseCertificateChainsToAnotherAuthorityIsRefused() throws Exception {
        WattproofMosquitto.ClientFiles operator = broker.clientFiles("wattproof-operator");
        Path otherCa = dir.resolve("other-ca.pem");
        Files.copy(broker.clientFiles("not-a-ca").certificate(), otherCa);
        assertEquals(1, run("ota", "status", "--broker", broker.uri(), "--wait", "1s", "--broker-ca", otherCa.toString(), "--client-cert",
                operator.certificate().toString(), "--client-key", operator.key().toString()));
        assertTrue(err.contains("cannot connect"), err);
        assertTrue(err.contains("PKIX path"), err);
    }
}
