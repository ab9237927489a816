package io.wattproof.agent.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.wattproof.agent.ota.ReleaseFolder;
import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.PublicKeys;
import io.wattproof.crypto.soft.SoftwareKeyStore;
import io.wattproof.ota.metadata.LastTargets;
import io.wattproof.ota.metadata.RootUpdate;
import io.wattproof.ota.metadata.TargetsCheck;
import io.wattproof.ota.metadata.TrustedRoot;
import io.wattproof.ota.metadata.Verdict;
import io.wattproof.ota.metadata.VerifiedTargets;
import io.wattproof.ota.v1.Announcement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OtaCommandTest extends CommandLineTest {
    @TempDir
    Path tmp;

    private String releaseKey(String name) {
        Path dir = tmp.resolve(name);
        assertEquals(0, run("ota", "release-key", "--dir", dir.toString()), err);
        Matcher id = Pattern.compile("key id: ([0-9a-f]{40})").matcher(out);
        assertTrue(id.find(), out);
        assertTrue(out.contains(dir.resolve(SoftwareKeyStore.PUBLIC_KEY_FILE).toString()), out);
        return id.group(1);
    }

    @Test
    void keysRootTargetsAndVerifyGoTogether() throws Exception {
        String k1 = releaseKey("k1");
        String k2 = releaseKey("k2");
        releaseKey("k3");
        assertEquals(k1, PublicKeys.fromPem(Files.readString(tmp.resolve("k1").resolve(SoftwareKeyStore.PUBLIC_KEY_FILE))).deviceId().hex());

        Path root = tmp.resolve("root.bin");
        assertEquals(0, run("ota", "root", "--keys", tmp.resolve("k1").toString(), tmp.resolve("k2").toString(), tmp.resolve("k3").toString(),
                "--threshold", "2", "--version", "1", "--expires", "365d", "--out", root.toString()), err);
        assertTrue(out.contains("root version 1: threshold 2 of 3 keys"), out);
        assertTrue(out.contains(k2), out);

        Path image = Files.write(tmp.resolve("app.img"), "firmware 7".getBytes());
        Path targets = tmp.resolve("targets.bin");
        assertEquals(0, run("ota", "targets", "--root", root.toString(), "--image", image.toString(), "--name", "app", "--version", "7",
                "--board", "pi4", "pi5", "--min-from", "3", "--expires", "30d", "--keys", tmp.resolve("k1").toString(),
                tmp.resolve("k3").toString(), "--out", targets.toString()), err);

        assertEquals(0, run("ota", "verify", "--root", root.toString(), "--targets", targets.toString()), err);
        assertTrue(out.contains("targets version 7 under root version 1"), out);
        assertTrue(out.contains("image app version 7 for pi4,pi5: 10 bytes"), out);
        assertTrue(out.contains("from version 3"), out);

        // One key of a threshold of two: written, but every device refuses it, and verify says why.
        Path weak = tmp.resolve("weak.bin");
        assertEquals(1, run("ota", "targets", "--root", root.toString(), "--image", image.toString(), "--name", "app", "--version", "8",
                "--board", "pi4", "--expires", "30d", "--keys", tmp.resolve("k2").toString(), "--out", weak.toString()));
        assertEquals(1, run("ota", "verify", "--root", root.toString(), "--targets", weak.toString()));
        assertTrue(err.contains("signed.signatures: expected 2 distinct keys of root version 1, got 1 (threshold_not_met)"), err);
    }

    @Test
    void aRotationSignedByTheOutgoingKeysIsAcceptedByADevice() throws Exception {
        releaseKey("old");
        String next = releaseKey("new");
        Path root1 = tmp.resolve("root1.bin");
        Path root2 = tmp.resolve("root2.bin");
        assertEquals(0, run("ota", "root", "--keys", tmp.resolve("old").toString(), "--threshold", "1", "--version", "1",
                "--expires", "365d", "--out", root1.toString()), err);
        assertEquals(0, run("ota", "root", "--keys", tmp.resolve("new").toString(), "--threshold", "1", "--version", "2",
                "--expires", "365d", "--signed-by", tmp.resolve("old").toString(), "--out", root2.toString()), err);
        TrustedRoot trusted = accepted(TrustedRoot.provision(Files.readAllBytes(root1)));
        TrustedRoot rotated = accepted(RootUpdate.verify(trusted, Files.readAllBytes(root2), Instant.now()));
        assertEquals(2, rotated.version());
        assertEquals(List.of(next), rotated.keys().keySet().stream().map(DeviceId::hex).toList());
        // Signed by the new key only: a valid root on its own, but not a rotation a device on root 1 takes.
        Path takeover = tmp.resolve("root2-new-only.bin");
        assertEquals(0, run("ota", "root", "--keys", tmp.resolve("new").toString(), "--threshold", "1", "--version", "2",
                "--expires", "365d", "--out", takeover.toString()), err);
        assertInstanceOf(Verdict.Refused.class, RootUpdate.verify(trusted, Files.readAllBytes(takeover), Instant.now()));
    }

    private static <T> T accepted(Verdict<T> verdict) {
        return switch (verdict) {
            case Verdict.Accepted<T> a -> a.value();
            case Verdict.Refused<T> r -> throw new AssertionError("expected accepted, got refused: " + r.refusal());
        };
    }

    @Test
    void usageErrorsExitTwoAndWriteNothing() throws Exception {
        releaseKey("k1");
        Path root = tmp.resolve("root.bin");
        assertEquals(2, run("ota", "root", "--keys", tmp.resolve("k1").toString(), "--threshold", "2", "--version", "1",
                "--expires", "365d", "--out", root.toString()));
        assertTrue(err.contains("root.threshold: expected 1 ≤ threshold ≤ 1 (the number of keys), got 2"), err);
        assertFalse(Files.exists(root));
        assertEquals(2, run("ota", "root", "--keys", tmp.resolve("k1").toString(), "--threshold", "1", "--version", "1",
                "--expires", "soon", "--out", root.toString()));
        assertTrue(err.contains("--expires: expected a positive duration"), err);
        assertEquals(2, run("ota", "verify", "--root", tmp.resolve("missing.bin").toString()));
        assertTrue(err.contains("--root: expected an existing file"), err);
        assertEquals(2, run("ota", "release-key", "--dir", tmp.resolve("k1").toString()));
        assertTrue(err.contains("holds one"), err);

        assertEquals(0, run("ota", "root", "--keys", tmp.resolve("k1").toString(), "--threshold", "1", "--version", "1",
                "--expires", "365d", "--out", root.toString()), err);
        byte[] first = Files.readAllBytes(root);
        assertEquals(2, run("ota", "root", "--keys", tmp.resolve("k1").toString(), "--threshold", "1", "--version", "1",
                "--expires", "365d", "--out", root.toString()));
        assertTrue(err.contains("(exists)"), err);
        assertArrayEquals(first, Files.readAllBytes(root));
    }

    @Test
    void aDamagedRootIsRefusedWithExitOne() throws Exception {
        Path root = Files.write(tmp.resolve("root.bin"), new byte[] {1, 2, 3});
        assertEquals(1, run("ota", "verify", "--root", root.toString()));
        assertTrue(err.contains("(malformed)"), err);
    }

    @Test
    void signWritesAReleaseFolderADeviceAcceptsAfterItsRotations() throws Exception {
        releaseKey("old");
        releaseKey("new");
        Path root1 = tmp.resolve("root1.bin");
        Path root2 = tmp.resolve("root2.bin");
        assertEquals(0, run("ota", "root", "--keys", tmp.resolve("old").toString(), "--threshold", "1", "--version", "1",
                "--expires", "365d", "--out", root1.toString()), err);
        assertEquals(0, run("ota", "root", "--keys", tmp.resolve("new").toString(), "--threshold", "1", "--version", "2",
                "--expires", "365d", "--signed-by", tmp.resolve("old").toString(), "--out", root2.toString()), err);
        byte[] firmware = new byte[100_000];
        new java.util.Random(3).nextBytes(firmware);
        Path image = Files.write(tmp.resolve("app.img"), firmware);
        Path release = tmp.resolve("release-7");
        assertEquals(0, run("ota", "sign", "--root", root1.toString(), "--root", root2.toString(), "--image", image.toString(),
                "--name", "app", "--version", "7", "--board", "pi4", "--expires", "30d", "--keys", tmp.resolve("new").toString(),
                "--out", release.toString()), err);
        assertTrue(out.contains("wrote " + release + ": targets.bin, app-7, announcement.bin (1 newer root(s))"), out);
        assertTrue(out.contains("targets version 7 under root version 2"), out);
        assertTrue(out.contains("a device trusting root version 1 accepts it (root version 2 after the rotations)"), out);

        try (var files = Files.list(release)) {
            assertEquals(List.of("announcement.bin", "app-7", "targets.bin"), files.map(f -> f.getFileName().toString()).sorted().toList());
        }
        assertArrayEquals(firmware, Files.readAllBytes(release.resolve("app-7")));
        Announcement a = Announcement.parseFrom(Files.readAllBytes(release.resolve("announcement.bin")));
        assertArrayEquals(Files.readAllBytes(release.resolve("targets.bin")), a.getSignedTargets().toByteArray());
        assertEquals(List.of(ByteString.copyFrom(Files.readAllBytes(root2))), a.getSignedRootsList());
        // A device trusting root 1 takes root 2 from the announcement, then the targets under it.
        TrustedRoot trusted = accepted(RootUpdate.verifyChain(accepted(TrustedRoot.provision(Files.readAllBytes(root1))),
                List.of(a.getSignedRoots(0).toByteArray()), Instant.now()));
        VerifiedTargets targets = accepted(TargetsCheck.verify(trusted, a.getSignedTargets().toByteArray(), Instant.now(), LastTargets.NONE));
        assertEquals(100_000, targets.images().get(0).length());
        ReleaseFolder folder = ReleaseFolder.read(release);
        assertEquals(java.util.Set.of(7L), folder.imageVersions());
        assertEquals(7, folder.targetsVersion());

        // Without rotations the announcement carries no roots.
        Path plain = tmp.resolve("release-8");
        assertEquals(0, run("ota", "sign", "--root", root2.toString(), "--image", image.toString(), "--name", "app", "--version", "8",
                "--board", "pi4", "--expires", "30d", "--keys", tmp.resolve("new").toString(), "--out", plain.toString()), err);
        assertEquals(0, Announcement.parseFrom(Files.readAllBytes(plain.resolve("announcement.bin"))).getSignedRootsCount());

        // Signed by the outgoing key only: written, but a device on root 2 refuses it.
        Path weak = tmp.resolve("release-9");
        assertEquals(1, run("ota", "sign", "--root", root1.toString(), root2.toString(), "--image", image.toString(), "--name", "app",
                "--version", "9", "--board", "pi4", "--expires", "30d", "--keys", tmp.resolve("old").toString(), "--out", weak.toString()));
        assertTrue(err.contains("but devices refuse its targets: signed.signatures: expected 1 distinct keys of root version 2, got 0"), err);
    }

    @Test
    void signRefusesWrongArgumentsAndNeverOverwrites() throws Exception {
        releaseKey("k1");
        Path root = tmp.resolve("root.bin");
        assertEquals(0, run("ota", "root", "--keys", tmp.resolve("k1").toString(), "--threshold", "1", "--version", "1",
                "--expires", "365d", "--out", root.toString()), err);
        Path image = Files.write(tmp.resolve("app.img"), "firmware 7".getBytes());
        Path release = tmp.resolve("release");
        String[] sign = {"ota", "sign", "--root", root.toString(), "--image", image.toString(), "--name", "app", "--version", "7",
                "--board", "pi4", "--expires", "30d", "--keys", tmp.resolve("k1").toString(), "--out", release.toString()};
        assertEquals(0, run(sign), err);
        byte[] targets = Files.readAllBytes(release.resolve("targets.bin"));
        assertEquals(2, run(sign));
        assertTrue(err.contains("--out: expected a folder that does not exist yet or is empty"), err);
        assertArrayEquals(targets, Files.readAllBytes(release.resolve("targets.bin")));

        // Root 1 twice is no rotation: a device refuses it, so nothing is signed.
        Path other = tmp.resolve("other");
        assertEquals(2, run("ota", "sign", "--root", root.toString(), root.toString(), "--image", image.toString(), "--name", "app",
                "--version", "7", "--board", "pi4", "--expires", "30d", "--keys", tmp.resolve("k1").toString(), "--out", other.toString()));
        assertTrue(err.contains("--root: a device trusting " + root + " refuses the rotation"), err);
        assertEquals(2, run("ota", "sign", "--root", root.toString(), "--image", image.toString(), "--name", "../app", "--version", "7",
                "--board", "pi4", "--expires", "30d", "--keys", tmp.resolve("k1").toString(), "--out", other.toString()));
        assertTrue(err.contains("--name: image name: expected a plain file name"), err);
        assertFalse(Files.exists(other));

        // A release folder whose image or announcement changed after signing is not published.
        Files.write(release.resolve("app-7"), "firmware 8".getBytes());
        ReleaseFolder.Unusable e = assertThrows(ReleaseFolder.Unusable.class, () -> ReleaseFolder.read(release));
        assertTrue(e.getMessage().contains("app-7: expected sha256 "), e.getMessage());
        Files.write(release.resolve("app-7"), "firmware 7".getBytes());
        ReleaseFolder.read(release);
        Files.write(release.resolve("announcement.bin"), new byte[] {(byte) 0xff});
        e = assertThrows(ReleaseFolder.Unusable.class, () -> ReleaseFolder.read(release));
        assertTrue(e.getMessage().startsWith("announcement.bin: expected a serialized Announcement"), e.getMessage());
        Files.write(release.resolve("announcement.bin"), Announcement.newBuilder().setSignedTargets(ByteString.copyFromUtf8("x")).build()
                .toByteArray());
        e = assertThrows(ReleaseFolder.Unusable.class, () -> ReleaseFolder.read(release));
        assertTrue(e.getMessage().startsWith("announcement.bin.signed_targets: expected the bytes of targets.bin"), e.getMessage());
    }

    @Test
    void helpListsTheSubcommands() {
        assertEquals(0, run("ota", "--help"));
        for (String sub : new String[] {"release-key", "root", "targets", "verify", "sign", "publish", "status"}) {
            assertTrue(out.contains(sub), out);
        }
        assertEquals(0, run("ota", "targets", "--help"));
        assertTrue(out.contains("--min-from"), out);
        assertEquals(0, run("ota", "sign", "--help"));
        assertTrue(out.contains("announcement.bin"), out);
        assertEquals(0, run("ota", "publish", "--help"));
        assertTrue(out.contains("--until-done") && out.contains("--device"), out);
        assertEquals(0, run("ota", "status", "--help"));
        assertTrue(out.contains("--wait"), out);
    }
}
