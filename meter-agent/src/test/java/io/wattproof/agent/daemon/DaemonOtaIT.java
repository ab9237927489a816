package io.wattproof.agent.daemon;

import static io.wattproof.agent.daemon.DaemonBench.awaitStatus;
import static io.wattproof.agent.daemon.DaemonBench.awaitTrue;
import static io.wattproof.agent.daemon.DaemonBench.read;
import static io.wattproof.agent.daemon.DaemonBench.startAgent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.wattproof.agent.TestDeviceKey;
import io.wattproof.ota.install.RaucInstaller;
import io.wattproof.ota.metadata.ImageEntry;
import io.wattproof.ota.metadata.TrustStore;
import io.wattproof.ota.metadata.Verdict;
import io.wattproof.ota.release.ReleaseSigning;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code meter-agent run --config} with an {@code ota} section, as systemd runs it (the setting of
 * {@link DaemonIT}): a stand-in rauc that says slot B booted after an install of version 2 there,
 * so the daemon starts on trial; once it meters and reaches the broker it runs {@code rauc status
 * mark-good booted}, and needs no reboot. Started again without its trust file, it meters all the
 * same and says in its status why it takes no updates.
 */
@Timeout(180)
class DaemonOtaIT {
    @TempDir
    Path dir;

    @Test
    void aTrialThatMetersIsMarkedGoodAndAMissingTrustFileIsAStandingAlarm() throws Exception {
        Path state = dir.resolve("ota-state");
        Path tools = Files.createDirectory(dir.resolve("tools"));
        Path rauc = script(tools.resolve("rauc"), """
                #!/bin/sh
                d=$(dirname "$0")
                echo "$*" >> "$d/rauc-calls"
                if [ "$1 $2" = "status --output-format=shell" ]; then echo "RAUC_SYSTEM_BOOTED_BOOTNAME='$(cat "$d/booted")'"; fi
                exit 0
                """);
        Path reboot = script(tools.resolve("reboot"), "#!/bin/sh\necho \"$*\" >> \"$(dirname \"$0\")/reboots\"\n");
        // The state after 'rauc install' of version 2 and the reboot into slot B.
        Files.writeString(tools.resolve("booted"), "A");
        TestDeviceKey releaseKey = new TestDeviceKey();
        byte[] root = ReleaseSigning.sign(ReleaseSigning.root(List.of(releaseKey.verifyingKey()), 1, 1,
                Instant.now().plus(Duration.ofDays(30))), List.of(releaseKey));
        assertTrue(new TrustStore(state).provision(root, false) instanceof Verdict.Accepted<?>);
        new RaucInstaller(rauc, state, 1).install(tools.resolve("update.raucb"),
                new ImageEntry("system", 2, List.of("test-pty"), 3, new byte[32], 0));
        Files.writeString(tools.resolve("booted"), "B");
        Files.delete(tools.resolve("rauc-calls"));

        try (DaemonBench bench = DaemonBench.start(dir)) {
            Path config = bench.writeConfig(
                    "telemetry:",
                    "  enabled: false",
                    "  home_assistant: false",
                    "ota:",
                    "  installer: rauc",
                    "  rauc: " + rauc,
                    "  health_window: 1m",
                    "  reboot_command: [" + reboot + ", ota]",
                    "  state_dir: " + state,
                    "  provisioned_version: 1");

            Path runtime = Files.createDirectory(dir.resolve("run"));
            Path log = dir.resolve("agent.log");
            try (NotifySocketReceiver systemd = NotifySocketReceiver.bind(dir.resolve("notify").toString())) {
                Process agent = startAgent(config, systemd.address(), runtime, log);
                try {
                    systemd.awaitLine("READY=1", 60_000);
                    awaitTrue(() -> lines(tools.resolve("rauc-calls")).contains("status mark-good booted"), 60_000,
                            "mark-good; rauc calls " + lines(tools.resolve("rauc-calls")) + "; log: " + read(log));
                    assertEquals(List.of(), lines(tools.resolve("reboots")), "a good trial needs no reboot");
                    JsonNode status = awaitStatus(runtime, "a status report with a record in it",
                            s -> s.get("records").get("last_sequence").asLong() >= 1);
                    assertTrue(!status.get("alarms").toString().contains("updates not taken"), status.toString());
                    String output = read(log);
                    assertTrue(output.contains("update boot slot=B version=2 trial=true floor=1"), output);
                    assertTrue(output.contains("update committed version=2 slot=B"), output);
                } finally {
                    stop(agent, systemd);
                }
            }

            // Without the trust file: metering as ever, the reason in the status.
            Files.delete(state.resolve(TrustStore.FILE));
            Files.delete(runtime.resolve(StatusFile.NAME));
            Path log2 = dir.resolve("agent2.log");
            try (NotifySocketReceiver systemd = NotifySocketReceiver.bind(dir.resolve("notify2").toString())) {
                Process agent = startAgent(config, systemd.address(), runtime, log2);
                try {
                    systemd.awaitLine("READY=1", 60_000);
                    JsonNode status = awaitStatus(runtime, "a status report that says why no updates are taken",
                            s -> s.get("alarms").toString().contains("updates not taken"));
                    assertTrue(status.get("alarms").toString().contains("updates not taken: " + state.resolve(TrustStore.FILE)
                            + ": no such file"), status.toString());
                    long first = status.get("records").get("last_sequence").asLong();
                    awaitStatus(runtime, "a status report with a later record",
                            s -> s.get("records").get("last_sequence").asLong() > first);
                } finally {
                    stop(agent, systemd);
                }
            }
        }
    }

    private static Path script(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    private static void stop(Process agent, NotifySocketReceiver systemd) throws Exception {
        agent.destroy();
        systemd.awaitLine("STOPPING=1", 30_000);
        if (!agent.waitFor(60, TimeUnit.SECONDS)) {
            agent.destroyForcibly();
        }
    }
}
