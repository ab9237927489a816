package io.wattproof.agent.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.agent.TestDeviceKey;
import io.wattproof.agent.config.DeviceConfig;
import io.wattproof.ota.metadata.TrustStore;
import io.wattproof.ota.release.ReleaseSigning;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code provision --ota-root}: the update trust installed on site, and the configuration's ota section (docs/provisioning.md). */
class ProvisionOtaTest extends ProvisionFixture {
    Path root;
    Path trustFile;

    @BeforeEach
    void aReleaseRoot() throws Exception {
        root = Files.write(tmp.resolve("root.bin"), new OtaStandIns(Files.createDirectories(tmp.resolve("tools"))).signedRoot());
        trustFile = tmp.resolve("data").resolve("ota").resolve(TrustStore.FILE);
    }

    private TrustStore.State.Trusted trusted() {
        return assertInstanceOf(TrustStore.State.Trusted.class, new TrustStore(trustFile.getParent()).load());
    }

    @Test
    void theRootIsInstalledAndTheSectionWrittenAndChecked() throws Exception {
        assertEquals(0, run(provision("--ca", ca.toString(), "--ota-root", root.toString(), "--ota-version", "3")), err + out);
        assertTrue(out.contains("[ota] installed release root version 1 (1 of 1 release keys must sign) in " + trustFile), out);
        assertArrayEquals(Files.readAllBytes(root), trusted().root().signed());
        assertEquals(DeviceConfig.Ota.of(3), config().ota().orElseThrow());
        String checks = check();
        assertTrue(checks.contains("OK   update trust: " + trustFile + " trusts release root version 1 (1 of 1 keys), last targets "
                + "version 0"), checks);
    }

    @Test
    void reRunningKeepsTheTrustAndWithoutTheOptionsTheSection() throws Exception {
        assertEquals(0, run(provision("--ca", ca.toString(), "--ota-root", root.toString(), "--ota-version", "3")), err + out);
        byte[] before = Files.readAllBytes(trustFile);
        // The same root again: the file, with whatever targets it trusts by now, stays; the release is the section's.
        assertEquals(0, run(provision("--ota-root", root.toString())), err + out);
        assertTrue(out.contains("[ota] kept " + trustFile + ": it trusts this release root already (version 1)"), out);
        assertArrayEquals(before, Files.readAllBytes(trustFile));
        assertEquals(3, config().ota().orElseThrow().provisionedVersion());
        // A re-run for another reason (here: another unit id) does not stop updates.
        assertEquals(0, run(provision("--unit", "2")), err + out);
        assertEquals(DeviceConfig.Ota.of(3), config().ota().orElseThrow());
        assertFalse(out.contains("[ota]"), out);
        assertArrayEquals(before, Files.readAllBytes(trustFile));
    }

    @Test
    void anotherRootOrADamagedFileIsReplacedOnlyWhenAsked() throws Exception {
        assertEquals(0, run(provision("--ca", ca.toString(), "--ota-root", root.toString(), "--ota-version", "3")), err + out);
        byte[] before = Files.readAllBytes(trustFile);
        String configBefore = Files.readString(config);
        Path other = Files.write(tmp.resolve("other-root.bin"),
                new OtaStandIns(Files.createDirectories(tmp.resolve("other-tools"))).signedRoot());

        assertEquals(1, run(provision("--ota-root", other.toString(), "--ota-version", "4")), err + out);
        assertTrue(err.contains(trustFile + " already trusts release root version 1 (last targets version 0), not " + other
                + "; provisioning it again forgets the rotations and last targets it holds"), err);
        assertTrue(err.contains("add --ota-replace-trust"), err);
        assertArrayEquals(before, Files.readAllBytes(trustFile));
        assertEquals(configBefore, Files.readString(config), "nothing written");

        byte[] damaged = before.clone();
        damaged[damaged.length - 1] ^= 1;
        Files.write(trustFile, damaged);
        assertEquals(1, run(provision("--ota-root", root.toString())), err + out);
        assertTrue(err.contains(trustFile + " is damaged (ota-trust.bin crc32: expected "), err);
        assertArrayEquals(damaged, Files.readAllBytes(trustFile));

        assertEquals(0, run(provision("--ota-root", other.toString(), "--ota-version", "4", "--ota-replace-trust")), err + out);
        assertTrue(out.contains(", replacing the trust that was there"), out);
        assertArrayEquals(Files.readAllBytes(other), trusted().root().signed());
        assertEquals(4, config().ota().orElseThrow().provisionedVersion());
    }

    @Test
    void aRootThatDoesNotVerifyAndOtherBadInputsExit2AndWriteNothing() throws Exception {
        TestDeviceKey listed = new TestDeviceKey();
        TestDeviceKey stranger = new TestDeviceKey();
        Path unsigned = Files.write(tmp.resolve("unsigned-root.bin"), ReleaseSigning.sign(ReleaseSigning.root(List.of(listed.verifyingKey()),
                1, 1, Instant.now().plus(Duration.ofDays(30))), List.of(stranger)));
        Path junk = Files.writeString(tmp.resolve("junk.bin"), "not a root");
        record Bad(List<String> options, String message) {}
        for (Bad b : List.of(
                new Bad(List.of("--ota-root", unsigned.toString(), "--ota-version", "3"), "error: --ota-root " + unsigned
                        + ": signed.signatures: expected 1 distinct keys of root version 1, got 0 (threshold_not_met)"),
                new Bad(List.of("--ota-root", junk.toString(), "--ota-version", "3"), "error: --ota-root " + junk + ": "),
                new Bad(List.of("--ota-root", tmp.resolve("none.bin").toString(), "--ota-version", "3"),
                        "error: --ota-root: expected a file at " + tmp.resolve("none.bin") + ", found none"),
                new Bad(List.of("--ota-root", root.toString()), "error: --ota-version: expected the release number of the system image "
                        + "the device runs (the update floor), needed with --ota-root; actual nothing"),
                new Bad(List.of("--ota-root", root.toString(), "--ota-version", "0"), "error: --ota-version: expected the release number "
                        + "(1 or more) of the system image the device runs, actual 0"),
                new Bad(List.of("--ota-version", "3"), "--ota-version: only with --ota-root"),
                new Bad(List.of("--ota-replace-trust"), "--ota-replace-trust: only with --ota-root"))) {
            List<String> options = new java.util.ArrayList<>(List.of("--ca", ca.toString()));
            options.addAll(b.options());
            assertEquals(2, run(provision(options.toArray(String[]::new))), b + ": " + err + out);
            assertTrue(err.contains(b.message()), b + ": " + err);
            assertFalse(Files.exists(config), "no configuration: " + b);
            assertFalse(Files.exists(trustFile), "no trust file: " + b);
            assertFalse(Files.exists(keys), "no key: " + b);
        }
    }

    @Test
    void checkNamesAMissingTrustFile() throws Exception {
        assertEquals(0, run(provision("--ca", ca.toString(), "--ota-root", root.toString(), "--ota-version", "3")), err + out);
        Files.delete(trustFile);
        String checks = check();
        assertTrue(checks.contains("FAIL update trust: missing: " + trustFile), checks);
        assertTrue(checks.contains("do: install the fleet's release root: meter-agent provision ... --ota-root FILE --ota-version N"),
                checks);
    }
}
