package io.wattproof.agent.cli;

import io.wattproof.agent.TestDeviceKey;
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

/**
 * A device's update tools in a folder, for tests of the daemon's update shell: a stand-in
 * {@code rauc} (a shell script that appends its arguments to {@code rauc-calls}, prints
 * {@code RAUC_SYSTEM_BOOTED_BOOTNAME} from {@code booted} for {@code status --output-format=shell},
 * and exits with the number in {@code rauc-exit} if present, printing {@code rauc-stderr}), a
 * stand-in reboot command (appends its arguments to {@code reboots}, exits with {@code reboot-exit}
 * if present), and a release root signed by one fresh key.
 */
final class OtaStandIns {
    final Path dir;
    final Path rauc;
    final Path reboot;
    final TestDeviceKey releaseKey = new TestDeviceKey();

    OtaStandIns(Path dir) throws IOException {
        this.dir = dir;
        rauc = script("rauc", """
                #!/bin/sh
                d=$(dirname "$0")
                echo "$*" >> "$d/rauc-calls"
                if [ -f "$d/rauc-exit" ]; then cat "$d/rauc-stderr" >&2; exit $(cat "$d/rauc-exit"); fi
                if [ "$1 $2" = "status --output-format=shell" ]; then
                  echo "RAUC_SYSTEM_COMPATIBLE='wattproof'"
                  echo "RAUC_SYSTEM_BOOTED_BOOTNAME='$(cat "$d/booted")'"
                fi
                exit 0
                """);
        reboot = script("reboot", """
                #!/bin/sh
                d=$(dirname "$0")
                echo "$*" >> "$d/reboots"
                [ -f "$d/reboot-exit" ] && exit $(cat "$d/reboot-exit")
                exit 0
                """);
        booted("A");
    }

    private Path script(String name, String text) throws IOException {
        Path file = Files.writeString(dir.resolve(name), text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    void booted(String slot) throws IOException {
        Files.writeString(dir.resolve("booted"), slot);
    }

    void raucFails(int exit, String stderr) throws IOException {
        Files.writeString(dir.resolve("rauc-stderr"), stderr);
        Files.writeString(dir.resolve("rauc-exit"), Integer.toString(exit));
    }

    List<String> raucCalls() throws IOException {
        return lines("rauc-calls");
    }

    List<String> reboots() throws IOException {
        return lines("reboots");
    }

    private List<String> lines(String name) throws IOException {
        Path file = dir.resolve(name);
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    /** A root version 1 signed by {@link #releaseKey}, threshold 1, valid for a year. */
    byte[] signedRoot() throws Exception {
        return ReleaseSigning.sign(ReleaseSigning.root(List.of(releaseKey.verifyingKey()), 1, 1, Instant.now().plus(Duration.ofDays(365))),
                List.of(releaseKey));
    }

    /** Provisions {@code stateDir} with {@link #signedRoot}. */
    void trust(Path stateDir) throws Exception {
        if (!(new TrustStore(stateDir).provision(signedRoot(), false) instanceof Verdict.Accepted<?>)) {
            throw new AssertionError("the test's root was refused");
        }
    }

    static ImageEntry image(long version) {
        return new ImageEntry("system", version, List.of("raspberry-pi-4b"), 3, new byte[32], 0);
    }
}
