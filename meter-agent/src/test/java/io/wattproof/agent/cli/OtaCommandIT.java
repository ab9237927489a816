package io.wattproof.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.agent.driver.TestMosquitto;
import io.wattproof.agent.ota.FakeDevice;
import io.wattproof.agent.ota.FakeDevice.Ending;
import io.wattproof.ota.v1.UpdatePhase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ota publish} and {@code ota status} over Debian's Mosquitto, with devices played by raw Paho clients. */
class OtaCommandIT extends CommandLineTest {
    private static final String PREFIX = "wattproof/v1";

    @TempDir
    Path dir;
    private TestMosquitto broker;
    private final List<FakeDevice> devices = new ArrayList<>();
    private Path release;

    @BeforeEach
    void start() throws Exception {
        broker = TestMosquitto.start(dir);
        assertEquals(0, run("ota", "release-key", "--dir", dir.resolve("k1").toString()), err);
        Path root = dir.resolve("root.bin");
        assertEquals(0, run("ota", "root", "--keys", dir.resolve("k1").toString(), "--threshold", "1", "--version", "1", "--expires", "365d",
                "--out", root.toString()), err);
        byte[] firmware = new byte[150_000];
        new Random(5).nextBytes(firmware);
        Path image = Files.write(dir.resolve("app.img"), firmware);
        release = dir.resolve("release-7");
        assertEquals(0, run("ota", "sign", "--root", root.toString(), "--image", image.toString(), "--name", "app", "--version", "7",
                "--board", "pi4", "--expires", "30d", "--keys", dir.resolve("k1").toString(), "--out", release.toString()), err);
    }

    @AfterEach
    void stop() throws Exception {
        devices.forEach(FakeDevice::close);
        if (broker != null) {
            broker.close();
        }
    }

    private FakeDevice device(String id, Ending ending) throws Exception {
        FakeDevice d = new FakeDevice(broker.uri(), PREFIX, id, 6, ending);
        devices.add(d);
        return d;
    }

    @Test
    void publishToChosenDevicesServesThemUntilEachIsUpdated() throws Exception {
        FakeDevice a = device("dev-a", Ending.UPDATE);
        device("dev-b", Ending.UPDATE);
        FakeDevice c = device("dev-c", Ending.UPDATE);
        assertEquals(0, run("ota", "publish", "--broker", broker.uri(), "--release", release.toString(), "--device", "dev-a", "dev-b",
                "--until-done", "--for", "60s"), err + out);
        assertTrue(out.contains("announced to 2 device(s)"), out);
        assertTrue(out.contains("dev-a DOWNLOADING 65536/150000 target 7 running 6"), out);
        assertTrue(out.contains("dev-b UPDATED target 7 running 7"), out);
        assertTrue(out.contains("2 updated, 0 rolled back, 0 refused, 0 pending, of 2 device(s)"), out);
        // Three chunks each; more if a device asked again for a chunk that was slow to come.
        Matcher served = Pattern.compile("served (\\d+) chunk\\(s\\), (\\d+) bytes").matcher(out);
        assertTrue(served.find(), out);
        assertTrue(Integer.parseInt(served.group(1)) >= 6 && Long.parseLong(served.group(2)) >= 300_000, served.group());
        assertEquals(1, out.lines().filter(l -> l.equals("dev-b UPDATED target 7 running 7")).count(), out);
        assertEquals(UpdatePhase.UPDATE_PHASE_UPDATED, a.published.get(a.published.size() - 1).getPhase());
        // dev-c was not announced to: it only said it was idle.
        assertEquals(List.of(UpdatePhase.UPDATE_PHASE_IDLE), c.published.stream().map(s -> s.getPhase()).toList());

        // Their retained statuses, as a table.
        assertEquals(0, run("ota", "status", "--broker", broker.uri(), "--device", "dev-a", "dev-c", "ghost", "--wait", "2s"), err);
        List<String> lines = out.lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.matches("DEVICE +PHASE +RUNNING +FLOOR +TARGET +PROGRESS +DETAIL")), out);
        assertTrue(lines.stream().anyMatch(l -> l.matches("dev-a +UPDATED +7 +7 +7 +- +-")), out);
        assertTrue(lines.stream().anyMatch(l -> l.matches("dev-c +IDLE +6 +6 +- +- +-")), out);
        assertTrue(lines.stream().anyMatch(l -> l.matches("ghost +- +- +- +- +- +no status")), out);
        assertTrue(out.contains("3 device(s) reported, 3 asked for"), out);
    }

    @Test
    void publishToTheFleetEndsWithExitOneWhenADeviceRollsBackOrRefuses() throws Exception {
        device("dev-a", Ending.ROLL_BACK);
        assertEquals(1, run("ota", "publish", "--broker", broker.uri(), "--release", release.toString(), "--for", "60s", "--until-done"));
        assertTrue(out.contains("announced to the fleet on wattproof/v1/ota/announce"), out);
        assertTrue(out.contains("dev-a ROLLED_BACK target 7 running 6: health.brokerReachable: expected true, got false (health)"), out);
        assertTrue(out.contains("0 updated, 1 rolled back, 0 refused, 0 pending, of 1 device(s)"), out);

        // Published again, to a device that refuses it; the first device is not targeted this time.
        device("dev-r", Ending.REFUSE);
        assertEquals(1, run("ota", "publish", "--broker", broker.uri(), "--release", release.toString(), "--device", "dev-r"));
        assertTrue(out.contains("dev-r REFUSED target 7 running 6: image.compatible_boards: expected fake"), out);
        assertTrue(out.contains("0 updated, 0 rolled back, 1 refused, 0 pending, of 1 device(s)"), out);
    }

    @Test
    void publishEndsWithExitOneWhenTimeRunsOut() {
        assertEquals(1, run("ota", "publish", "--broker", broker.uri(), "--release", release.toString(), "--device", "silent",
                "--for", "1s"));
        assertTrue(out.contains("0 updated, 0 rolled back, 0 refused, 1 pending, of 1 device(s) (time ran out)"), out);
        assertTrue(out.contains("  silent PENDING"), out);
    }

    @Test
    void wrongArgumentsExitTwoAndABrokenReleaseOrBrokerOne() throws Exception {
        assertEquals(2, run("ota", "publish", "--broker", broker.uri(), "--release", dir.resolve("missing").toString()));
        assertTrue(err.contains("--release: expected a release folder"), err);
        assertEquals(2, run("ota", "publish", "--broker", broker.uri(), "--release", release.toString(), "--device", "a/b"));
        assertTrue(err.contains("--device: expected a device id (one topic level without wildcards), actual 'a/b'"), err);
        assertEquals(2, run("ota", "publish", "--release", release.toString()));
        assertTrue(err.contains("--broker"), err);
        assertEquals(2, run("ota", "status", "--broker", broker.uri(), "--wait", "soon"));
        assertTrue(err.contains("--wait: expected a positive duration"), err);
        assertEquals(2, run("ota", "status", "--broker", broker.uri(), "--prefix", "a/#"));
        assertTrue(err.contains("--prefix: prefix: expected topic levels without wildcards"), err);

        Files.write(release.resolve("app-7"), new byte[] {1, 2, 3});
        assertEquals(1, run("ota", "publish", "--broker", broker.uri(), "--release", release.toString(), "--for", "1s"));
        assertTrue(err.contains("app-7: expected 150000 bytes (targets), got 3"), err);
        assertEquals(1, run("ota", "status", "--broker", "tcp://127.0.0.1:1", "--wait", "1s"));
        assertTrue(err.contains("error: broker tcp://127.0.0.1:1: cannot connect"), err);
    }
}
