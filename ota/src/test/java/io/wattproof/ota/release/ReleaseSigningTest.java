package io.wattproof.ota.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.soft.SoftwareKeyStore;
import io.wattproof.ota.metadata.ImageCheck;
import io.wattproof.ota.metadata.ImageEntry;
import io.wattproof.ota.metadata.LastTargets;
import io.wattproof.ota.metadata.Refusal;
import io.wattproof.ota.metadata.RootUpdate;
import io.wattproof.ota.metadata.TargetsCheck;
import io.wattproof.ota.metadata.TrustedRoot;
import io.wattproof.ota.metadata.Verdict;
import io.wattproof.ota.metadata.VerifiedTargets;
import io.wattproof.ota.v1.Image;
import io.wattproof.ota.v1.Root;
import io.wattproof.ota.v1.Targets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleaseSigningTest {
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private static final Instant IN_A_YEAR = NOW.plusSeconds(365L * 86_400);

    @TempDir
    static Path keys;

    private static DeviceKey a;
    private static DeviceKey b;
    private static DeviceKey c;

    @TempDir
    Path dir;

    /** Real software key stores, as an operator's release keys would be (one p256, two ed25519). */
    @BeforeAll
    static void createKeys() throws Exception {
        Path secret = keys.resolve("secret");
        SoftwareKeyStore.createSecret(secret);
        a = SoftwareKeyStore.create(keys.resolve("a"), KeyAlgorithm.ECDSA_P256_SHA256, secret);
        b = SoftwareKeyStore.create(keys.resolve("b"), KeyAlgorithm.ED25519, secret);
        c = SoftwareKeyStore.create(keys.resolve("c"), KeyAlgorithm.ED25519, secret);
    }

    private static <T> T accepted(Verdict<T> verdict) {
        return switch (verdict) {
            case Verdict.Accepted<T> x -> x.value();
            case Verdict.Refused<T> r -> throw new AssertionError("expected accepted, got refused: " + r.refusal());
        };
    }

    private static <T> Refusal refused(Verdict<T> verdict) {
        return switch (verdict) {
            case Verdict.Accepted<T> x -> throw new AssertionError("expected refused, got accepted: " + x.value());
            case Verdict.Refused<T> r -> r.refusal();
        };
    }

    private static TrustedRoot root1() throws Exception {
        Root root = ReleaseSigning.root(List.of(a.verifyingKey(), b.verifyingKey(), c.verifyingKey()), 2, 1, IN_A_YEAR);
        return accepted(TrustedRoot.provision(ReleaseSigning.sign(root, List.of(a, b))));
    }

    @Test
    void aSignedRootIsProvisionedWithItsKeysAndThreshold() throws Exception {
        TrustedRoot trusted = root1();
        assertEquals(1, trusted.version());
        assertEquals(2, trusted.threshold());
        assertEquals(IN_A_YEAR, trusted.expires());
        assertEquals(List.of(a.deviceId(), b.deviceId(), c.deviceId()), List.copyOf(trusted.keys().keySet()));
    }

    @Test
    void aRootSignedByFewerKeysThanItsThresholdIsRefused() throws Exception {
        Root root = ReleaseSigning.root(List.of(a.verifyingKey(), b.verifyingKey(), c.verifyingKey()), 2, 1, IN_A_YEAR);
        Refusal r = refused(TrustedRoot.provision(ReleaseSigning.sign(root, List.of(c))));
        assertEquals(Refusal.Reason.THRESHOLD_NOT_MET, r.reason());
        assertEquals("1", r.actual());
    }

    @Test
    void aRotationSignedByOldAndNewKeysIsAccepted() throws Exception {
        TrustedRoot trusted = root1();
        Root next = ReleaseSigning.root(List.of(c.verifyingKey()), 1, 2, IN_A_YEAR);
        // a and b meet the old threshold of two; c is the new root's only key.
        assertEquals(2, accepted(RootUpdate.verify(trusted, ReleaseSigning.sign(next, List.of(a, b, c)), NOW)).version());
        // Without c the new root's own threshold is not met; with c alone the old one is not.
        Refusal withoutNew = refused(RootUpdate.verify(trusted, ReleaseSigning.sign(next, List.of(a, b)), NOW));
        assertEquals(Refusal.Reason.THRESHOLD_NOT_MET, withoutNew.reason());
        assertTrue(withoutNew.expected().contains("new root version 2"), withoutNew.message());
        Refusal withoutOld = refused(RootUpdate.verify(trusted, ReleaseSigning.sign(next, List.of(c)), NOW));
        assertTrue(withoutOld.expected().contains("trusted root version 1"), withoutOld.message());
    }

    @Test
    void targetsFromAnImageFileAreAcceptedAndTheImageChecksAgainstThem() throws Exception {
        byte[] content = new byte[200_000]; // more than one read chunk
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31);
        }
        Path file = Files.write(dir.resolve("app-7.img"), content);
        Image image = ReleaseSigning.image(file, "app", 7, List.of("pi4", "pi5"), 3);
        assertEquals(content.length, image.getLength());
        assertEquals(com.google.protobuf.ByteString.copyFrom(MessageDigest.getInstance("SHA-256").digest(content)), image.getSha256());
        Targets targets = ReleaseSigning.targets(5, NOW.plusSeconds(30L * 86_400), 1, List.of(image));

        VerifiedTargets verified = accepted(TargetsCheck.verify(root1(), ReleaseSigning.sign(targets, List.of(b, c)), NOW, LastTargets.NONE));
        assertEquals(5, verified.version());
        ImageEntry entry = verified.images().getFirst();
        assertEquals(List.of("pi4", "pi5"), entry.compatibleBoards());
        assertEquals(3, entry.minFromVersion());
        ImageCheck check = new ImageCheck(entry);
        check.feed(content);
        assertInstanceOf(Verdict.Accepted.class, check.finish());
    }

    @Test
    void targetsSignedByOneKeyOfAThresholdOfTwoAreRefused() throws Exception {
        Path file = Files.write(dir.resolve("app.img"), new byte[] {1, 2, 3});
        Targets targets = ReleaseSigning.targets(1, IN_A_YEAR, 1, List.of(ReleaseSigning.image(file, "app", 1, List.of("pi4"), 0)));
        Refusal r = refused(TargetsCheck.verify(root1(), ReleaseSigning.sign(targets, List.of(a)), NOW, LastTargets.NONE));
        assertEquals(Refusal.Reason.THRESHOLD_NOT_MET, r.reason());
        assertEquals("signed.signatures", r.field());
    }

    @Test
    void argumentsOutOfRangeAreRefusedBeforeSigning() throws IOException {
        Path file = Files.write(dir.resolve("app.img"), new byte[] {1});
        Path empty = Files.write(dir.resolve("empty.img"), new byte[0]);
        List<IllegalArgumentException> errors = List.of(
                assertThrows(IllegalArgumentException.class, () -> ReleaseSigning.root(List.of(a.verifyingKey()), 2, 1, IN_A_YEAR)),
                assertThrows(IllegalArgumentException.class, () -> ReleaseSigning.root(List.of(a.verifyingKey(), a.verifyingKey()), 1, 1, IN_A_YEAR)),
                assertThrows(IllegalArgumentException.class, () -> ReleaseSigning.root(List.of(), 1, 1, IN_A_YEAR)),
                assertThrows(IllegalArgumentException.class, () -> ReleaseSigning.image(file, "app", 2, List.of("pi4"), 3)),
                assertThrows(IllegalArgumentException.class, () -> ReleaseSigning.image(file, "a b", 2, List.of("pi4"), 0)),
                assertThrows(IllegalArgumentException.class, () -> ReleaseSigning.image(file, "app", 2, List.of(), 0)),
                assertThrows(IllegalArgumentException.class, () -> ReleaseSigning.image(empty, "app", 2, List.of("pi4"), 0)),
                assertThrows(IllegalArgumentException.class, () -> ReleaseSigning.sign(ReleaseSigning.targets(1, IN_A_YEAR, 1, List.of()), List.of(a, a))));
        assertTrue(errors.get(0).getMessage().startsWith("root.threshold: expected 1 ≤ threshold ≤ 1"), errors.get(0).getMessage());
        assertTrue(errors.get(3).getMessage().startsWith("image.min_from_version"), errors.get(3).getMessage());
        Image image = ReleaseSigning.image(file, "app", 2, List.of("pi4"), 0);
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> ReleaseSigning.targets(1, IN_A_YEAR, 1, List.of(image, image.toBuilder().setName("other").build())));
        assertTrue(twice.getMessage().contains("one image per version and board"), twice.getMessage());
    }
}
