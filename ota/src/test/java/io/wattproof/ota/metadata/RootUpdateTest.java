package io.wattproof.ota.metadata;

import static io.wattproof.ota.metadata.Repo.NOW;
import static io.wattproof.ota.metadata.Repo.accepted;
import static io.wattproof.ota.metadata.Repo.refused;
import static io.wattproof.ota.metadata.Repo.root;
import static io.wattproof.ota.metadata.Repo.signedRoot;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.ota.v1.Role;
import io.wattproof.ota.v1.Root;
import java.util.List;
import org.junit.jupiter.api.Test;

class RootUpdateTest {
    // Root 1: keys a, b, c with threshold 2. Root 2 rotates c out and d, e in, threshold 2.
    private final TestKey a = TestKey.ed25519();
    private final TestKey b = TestKey.p256();
    private final TestKey c = TestKey.ed25519();
    private final TestKey d = TestKey.p256();
    private final TestKey e = TestKey.ed25519();
    private final Root root1 = root(1, 2, List.of(a, b, c));
    private final Root root2 = root(2, 2, List.of(a, d, e));
    private final TrustedRoot trusted = Repo.provision(root1, a, b);

    @Test
    void provisionedRootIsTrusted() {
        assertEquals(1, trusted.version());
        assertEquals(3, trusted.keys().size());
        assertEquals(2, trusted.threshold());
        assertTrue(trusted.keys().containsKey(c.keyId));
    }

    @Test
    void provisionRefusesARootSignedByFewerThanItsThreshold() {
        Refusal why = refused(TrustedRoot.provision(signedRoot(root1, a)));
        assertEquals(Refusal.Reason.THRESHOLD_NOT_MET, why.reason());
        assertEquals("signed.signatures", why.field());
        assertEquals("1", why.actual());
    }

    @Test
    void rotationSignedByOldAndNewThresholdsIsAccepted() {
        // b (old only) and a (both) give the old threshold; a and d give the new one.
        byte[] signed = signedRoot(root2, a, b, d);
        TrustedRoot next = accepted(RootUpdate.verify(trusted, signed, NOW));
        assertEquals(2, next.version());
        assertTrue(next.keys().containsKey(d.keyId));
        assertTrue(!next.keys().containsKey(c.keyId));
        assertArrayEquals(signed, next.signed());
    }

    @Test
    void rotationSignedOnlyByTheOldThresholdIsRefused() {
        // a and b meet the old threshold, but only a of the new keys signed: the new keys are unproven.
        Refusal why = refused(RootUpdate.verify(trusted, signedRoot(root2, a, b), NOW));
        assertEquals(Refusal.Reason.THRESHOLD_NOT_MET, why.reason());
        assertTrue(why.expected().contains("new root version 2"), why.expected());
        assertEquals("1", why.actual());
    }

    @Test
    void rotationSignedOnlyByTheNewThresholdIsRefused() {
        // d and e are the new threshold, but of the old keys only a signed: whoever holds d and e
        // could otherwise crown themselves.
        Refusal why = refused(RootUpdate.verify(trusted, signedRoot(root2, a, d, e), NOW));
        assertEquals(Refusal.Reason.THRESHOLD_NOT_MET, why.reason());
        assertTrue(why.expected().contains("trusted root version 1"), why.expected());
        assertEquals("1", why.actual());
    }

    @Test
    void duplicateSignaturesByOneKeyCountOnce() {
        Refusal why = refused(RootUpdate.verify(trusted, signedRoot(root2, a, a, a, d, d), NOW));
        assertEquals(Refusal.Reason.THRESHOLD_NOT_MET, why.reason());
        assertEquals("1", why.actual());
    }

    @Test
    void signaturesByUnknownKeysAreIgnored() {
        TestKey stranger = TestKey.ed25519();
        assertEquals(2, accepted(RootUpdate.verify(trusted, signedRoot(root2, stranger, a, b, stranger, d), NOW)).version());
    }

    @Test
    void aSkippedVersionIsRefused() {
        Refusal why = refused(RootUpdate.verify(trusted, signedRoot(root(3, 2, List.of(a, d, e)), a, b, d), NOW));
        assertEquals(Refusal.Reason.ROOT_VERSION_MISMATCH, why.reason());
        assertEquals("root.version", why.field());
        assertEquals("3", why.actual());
    }

    @Test
    void anOlderOrEqualVersionIsARollback() {
        Refusal why = refused(RootUpdate.verify(trusted, signedRoot(root1, a, b), NOW));
        assertEquals(Refusal.Reason.ROLLBACK, why.reason());
        assertEquals("root.version", why.field());
        assertEquals("2 (trusted root version + 1)", why.expected());
    }

    @Test
    void anExpiredNewRootIsRefused() {
        Root expired = root2.toBuilder().setExpires(NOW.getEpochSecond()).build();
        Refusal why = refused(RootUpdate.verify(trusted, signedRoot(expired, a, b, d), NOW));
        assertEquals(Refusal.Reason.EXPIRED, why.reason());
        assertEquals("root.expires", why.field());
        // One second earlier it was still valid.
        accepted(RootUpdate.verify(trusted, signedRoot(expired, a, b, d), NOW.minusSeconds(1)));
    }

    @Test
    void aChainMayCrossExpiredIntermediateRootsButNotEndInOne() {
        Root expired2 = root2.toBuilder().setExpires(NOW.minusSeconds(86_400).getEpochSecond()).build();
        Root root3 = root(3, 1, List.of(e));
        byte[] r2 = signedRoot(expired2, a, b, d);
        byte[] r3 = signedRoot(root3, d, e);
        assertEquals(3, accepted(RootUpdate.verifyChain(trusted, List.of(r2, r3), NOW)).version());
        Refusal why = refused(RootUpdate.verifyChain(trusted, List.of(r2), NOW));
        assertEquals(Refusal.Reason.EXPIRED, why.reason());
    }

    @Test
    void aChainNamesTheRootThatFailed() {
        Root root3 = root(3, 1, List.of(e));
        Refusal why = refused(RootUpdate.verifyChain(trusted, List.of(signedRoot(root2, a, b, d), signedRoot(root3, a, b)), NOW));
        assertEquals(Refusal.Reason.THRESHOLD_NOT_MET, why.reason());
        assertEquals("roots[1].signed.signatures", why.field());
    }

    @Test
    void aMutatedBodyIsRefused() {
        byte[] signed = signedRoot(root2, a, b, d);
        // Sign the original body, then replace it by one with threshold 1: no signature matches.
        Root lowered = root2.toBuilder().setThreshold(1).build();
        io.wattproof.ota.v1.Signed swapped = parse(signed).toBuilder()
                .setBody(com.google.protobuf.ByteString.copyFrom(lowered.toByteArray())).build();
        Refusal why = refused(RootUpdate.verify(trusted, swapped.toByteArray(), NOW));
        assertEquals(Refusal.Reason.THRESHOLD_NOT_MET, why.reason());
        assertEquals("0", why.actual());
    }

    @Test
    void aTargetsSignatureCannotPassAsARootSignature() {
        // The same body signed under the targets domain tag, then relabelled as a root.
        byte[] asTargets = Repo.signed(Role.ROLE_TARGETS, root2.toByteArray(), a, b, d);
        io.wattproof.ota.v1.Signed relabelled = parse(asTargets).toBuilder().setRole(Role.ROLE_ROOT).build();
        Refusal why = refused(RootUpdate.verify(trusted, relabelled.toByteArray(), NOW));
        assertEquals(Refusal.Reason.THRESHOLD_NOT_MET, why.reason());
        assertEquals(Refusal.Reason.WRONG_ROLE, refused(RootUpdate.verify(trusted, asTargets, NOW)).reason());
    }

    private static io.wattproof.ota.v1.Signed parse(byte[] bytes) {
        try {
            return io.wattproof.ota.v1.Signed.parseFrom(bytes);
        } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
            throw new AssertionError(ex);
        }
    }
}
