package io.wattproof.ota.metadata;

import static io.wattproof.ota.metadata.Repo.NOW;
import static io.wattproof.ota.metadata.Repo.accepted;
import static io.wattproof.ota.metadata.Repo.image;
import static io.wattproof.ota.metadata.Repo.refused;
import static io.wattproof.ota.metadata.Repo.root;
import static io.wattproof.ota.metadata.Repo.signedRoot;
import static io.wattproof.ota.metadata.Repo.signedTargets;
import static io.wattproof.ota.metadata.Repo.targets;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import io.wattproof.ota.v1.Image;
import io.wattproof.ota.v1.Root;
import io.wattproof.ota.v1.Signed;
import io.wattproof.ota.v1.Targets;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetsCheckTest {
    private static final byte[] FIRMWARE = "firmware 7".getBytes(StandardCharsets.US_ASCII);

    private final TestKey a = TestKey.ed25519();
    private final TestKey b = TestKey.p256();
    private final TestKey c = TestKey.ed25519();
    private final TrustedRoot root = Repo.provision(root(1, 2, List.of(a, b, c)), a, b);
    private final Image image = image("wattproof-agent", 7, 0, FIRMWARE, "raspberry-pi-4b");
    private final Targets targets = targets(3, 1, image);

    @Test
    void targetsSignedByAThresholdAreAccepted() {
        VerifiedTargets verified = accepted(TargetsCheck.verify(root, signedTargets(targets, b, c), NOW, LastTargets.NONE));
        assertEquals(3, verified.version());
        assertEquals(1, verified.rootVersion());
        assertEquals(1, verified.images().size());
        ImageEntry entry = verified.images().get(0);
        assertEquals("wattproof-agent", entry.name());
        assertEquals(7, entry.version());
        assertEquals(FIRMWARE.length, entry.length());
        assertArrayEquals(Repo.sha256(FIRMWARE), entry.sha256());
        assertEquals(new LastTargets(3, Repo.sha256(targets.toByteArray())), verified.last());
    }

    @Test
    void aBadSignatureIsRefused() {
        Signed signed = parse(signedTargets(targets, a, b));
        byte[] sig = signed.getSignatures(1).getSignature().toByteArray();
        sig[5] ^= 0x01;
        Signed broken = signed.toBuilder().setSignatures(1, signed.getSignatures(1).toBuilder().setSignature(ByteString.copyFrom(sig))).build();
        Refusal why = refused(TargetsCheck.verify(root, broken.toByteArray(), NOW, LastTargets.NONE));
        assertEquals(Refusal.Reason.THRESHOLD_NOT_MET, why.reason());
        assertEquals("signed.signatures", why.field());
        assertEquals("2 distinct keys of root version 1", why.expected());
        assertEquals("1", why.actual());
    }

    @Test
    void tooFewSignaturesAreRefused() {
        Refusal why = refused(TargetsCheck.verify(root, signedTargets(targets, c), NOW, LastTargets.NONE));
        assertEquals(Refusal.Reason.THRESHOLD_NOT_MET, why.reason());
        assertEquals("1", why.actual());
    }

    @Test
    void duplicateSignaturesByOneKeyCountOnce() {
        Refusal why = refused(TargetsCheck.verify(root, signedTargets(targets, c, c), NOW, LastTargets.NONE));
        assertEquals(Refusal.Reason.THRESHOLD_NOT_MET, why.reason());
        assertEquals("1", why.actual());
    }

    @Test
    void aKeyRevokedByRotationNoLongerCounts() {
        // Root 2 drops c. Targets made under root 2 and signed by a and c: c is revoked.
        Root root2 = root(2, 2, List.of(a, b));
        TrustedRoot rotated = accepted(RootUpdate.verify(root, signedRoot(root2, a, b), NOW));
        Targets underRoot2 = targets(4, 2, image);
        Refusal why = refused(TargetsCheck.verify(rotated, signedTargets(underRoot2, a, c), NOW, LastTargets.NONE));
        assertEquals(Refusal.Reason.THRESHOLD_NOT_MET, why.reason());
        assertEquals("2 distinct keys of root version 2", why.expected());
        assertEquals("1", why.actual());
        // Under root 1 the same two signatures were enough.
        accepted(TargetsCheck.verify(root, signedTargets(targets(4, 1, image), a, c), NOW, LastTargets.NONE));
        accepted(TargetsCheck.verify(rotated, signedTargets(underRoot2, a, b), NOW, LastTargets.NONE));
    }

    @Test
    void targetsMadeUnderAnotherRootAreRefused() {
        Root root2 = root(2, 2, List.of(a, b));
        TrustedRoot rotated = accepted(RootUpdate.verify(root, signedRoot(root2, a, b), NOW));
        Refusal why = refused(TargetsCheck.verify(rotated, signedTargets(targets, a, b), NOW, LastTargets.NONE));
        assertEquals(Refusal.Reason.ROOT_VERSION_MISMATCH, why.reason());
        assertEquals("targets.root_version", why.field());
        assertEquals("2", why.expected());
        assertEquals("1", why.actual());
    }

    @Test
    void expiredTargetsAreAFreezeAttack() {
        Targets stale = targets.toBuilder().setExpires(NOW.getEpochSecond()).build();
        Refusal why = refused(TargetsCheck.verify(root, signedTargets(stale, a, b), NOW, LastTargets.NONE));
        assertEquals(Refusal.Reason.EXPIRED, why.reason());
        assertEquals("targets.expires", why.field());
        assertEquals(NOW.toString(), why.actual());
    }

    @Test
    void anExpiredRootSignsNoTargets() {
        Root shortRoot = root(1, 2, List.of(a, b, c)).toBuilder().setExpires(NOW.getEpochSecond()).build();
        TrustedRoot expired = Repo.provision(shortRoot, a, b);
        Refusal why = refused(TargetsCheck.verify(expired, signedTargets(targets, a, b), NOW, LastTargets.NONE));
        assertEquals(Refusal.Reason.EXPIRED, why.reason());
        assertEquals("root.expires", why.field());
    }

    @Test
    void anOlderTargetsVersionIsARollback() {
        LastTargets last = new LastTargets(4, new byte[32]);
        Refusal why = refused(TargetsCheck.verify(root, signedTargets(targets, a, b), NOW, last));
        assertEquals(Refusal.Reason.ROLLBACK, why.reason());
        assertEquals("targets.version", why.field());
        assertEquals("3", why.actual());
    }

    @Test
    void theSameTargetsAgainAreAccepted() {
        byte[] signed = signedTargets(targets, a, b);
        LastTargets last = accepted(TargetsCheck.verify(root, signed, NOW, LastTargets.NONE)).last();
        assertEquals(3, accepted(TargetsCheck.verify(root, signed, NOW, last)).version());
        // Signed again by other keys: same body, same version, still the same release.
        assertEquals(3, accepted(TargetsCheck.verify(root, signedTargets(targets, b, c), NOW, last)).version());
    }

    @Test
    void anotherBodyUnderAVersionAlreadyTrustedIsMixAndMatch() {
        LastTargets last = accepted(TargetsCheck.verify(root, signedTargets(targets, a, b), NOW, LastTargets.NONE)).last();
        Targets other = targets(3, 1, image("wattproof-agent", 6, 0, FIRMWARE, "raspberry-pi-4b"));
        Refusal why = refused(TargetsCheck.verify(root, signedTargets(other, a, b), NOW, last));
        assertEquals(Refusal.Reason.MIX_AND_MATCH, why.reason());
        assertEquals("targets body sha256", why.field());
        // A higher version is a new release and is accepted.
        assertEquals(4, accepted(TargetsCheck.verify(root, signedTargets(targets(4, 1, image), a, b), NOW, last)).version());
    }

    @Test
    void aMutatedBodyIsRefused() {
        Signed signed = parse(signedTargets(targets, a, b));
        Targets grown = targets.toBuilder().setImages(0, image.toBuilder().setLength(1 << 30)).build();
        Signed mutated = signed.toBuilder().setBody(grown.toByteString()).build();
        Refusal why = refused(TargetsCheck.verify(root, mutated.toByteArray(), NOW, LastTargets.NONE));
        assertEquals(Refusal.Reason.THRESHOLD_NOT_MET, why.reason());
        assertEquals("0", why.actual());
    }

    @Test
    void aRootPresentedAsTargetsIsRefused() {
        Refusal why = refused(TargetsCheck.verify(root, root.signed(), NOW, LastTargets.NONE));
        assertEquals(Refusal.Reason.WRONG_ROLE, why.reason());
        assertEquals("signed.role", why.field());
        assertEquals("ROLE_TARGETS", why.expected());
    }

    @Test
    void signedButMalformedImagesAreRefusedNamingTheField() {
        Targets shortHash = targets(3, 1, image.toBuilder().setSha256(ByteString.copyFrom(new byte[31])).build());
        Refusal why = refused(TargetsCheck.verify(root, signedTargets(shortHash, a, b), NOW, LastTargets.NONE));
        assertEquals(Refusal.Reason.MALFORMED, why.reason());
        assertEquals("targets.images[0].sha256", why.field());
        assertEquals("31 bytes", why.actual());

        Targets noBoards = targets(3, 1, image.toBuilder().clearCompatibleBoards().build());
        assertEquals("targets.images[0].compatible_boards",
                refused(TargetsCheck.verify(root, signedTargets(noBoards, a, b), NOW, LastTargets.NONE)).field());

        Targets minAboveVersion = targets(3, 1, image.toBuilder().setMinFromVersion(8).build());
        assertEquals("targets.images[0].min_from_version",
                refused(TargetsCheck.verify(root, signedTargets(minAboveVersion, a, b), NOW, LastTargets.NONE)).field());

        Targets hugeVersion = targets(3, 1, image.toBuilder().setVersion(-1L).build());
        Refusal huge = refused(TargetsCheck.verify(root, signedTargets(hugeVersion, a, b), NOW, LastTargets.NONE));
        assertEquals("targets.images[0].version", huge.field());
        assertEquals("18446744073709551615", huge.actual());

        Targets twoForOneBoard = targets(3, 1, image, image("other", 7, 0, new byte[] {1}, "raspberry-pi-5", "raspberry-pi-4b"));
        Refusal ambiguous = refused(TargetsCheck.verify(root, signedTargets(twoForOneBoard, a, b), NOW, LastTargets.NONE));
        assertEquals("targets.images[1].version", ambiguous.field());
        assertEquals("version 7 for 'raspberry-pi-4b' also in targets.images[0]", ambiguous.actual());

        Targets farExpiry = targets.toBuilder().setExpires(Long.MAX_VALUE).build();
        assertEquals("targets.expires", refused(TargetsCheck.verify(root, signedTargets(farExpiry, a, b), NOW, LastTargets.NONE)).field());
    }

    private static Signed parse(byte[] bytes) {
        try {
            return Signed.parseFrom(bytes);
        } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
            throw new AssertionError(ex);
        }
    }
}
