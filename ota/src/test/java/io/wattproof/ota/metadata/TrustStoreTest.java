package io.wattproof.ota.metadata;

import static io.wattproof.ota.metadata.Repo.NOW;
import static io.wattproof.ota.metadata.Repo.accepted;
import static io.wattproof.ota.metadata.Repo.refused;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.ota.v1.Root;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustStoreTest {
    private static final TestKey A = TestKey.ed25519();
    private static final TestKey B = TestKey.p256();
    private static final TestKey C = TestKey.ed25519();
    private static final byte[] ROOT_1 = Repo.signedRoot(Repo.root(1, 1, List.of(A, B)), A);

    @TempDir
    Path dir;

    private TrustStore provisioned() throws IOException {
        TrustStore store = new TrustStore(dir);
        accepted(store.provision(ROOT_1, false));
        return store;
    }

    private static byte[] targets(long version, long rootVersion, TestKey... signers) {
        return Repo.signedTargets(Repo.targets(version, rootVersion, Repo.image("app", version, 0, new byte[] {1, 2, 3}, "pi4")), signers);
    }

    @Test
    void noFileIsEmpty() {
        assertInstanceOf(TrustStore.State.Empty.class, new TrustStore(dir).load());
    }

    @Test
    void aProvisionedRootRoundTrips() throws IOException {
        provisioned();
        TrustStore.State.Trusted t = assertInstanceOf(TrustStore.State.Trusted.class, new TrustStore(dir).load());
        assertEquals(1, t.root().version());
        assertArrayEquals(ROOT_1, t.root().signed());
        assertEquals(LastTargets.NONE, t.last());
    }

    @Test
    void provisioningTwiceIsRefusedUnlessToldAndTheFileStays() throws IOException {
        TrustStore store = provisioned();
        accepted(store.acceptTargets(targets(1, 1, A), NOW));
        byte[] before = Files.readAllBytes(store.file());
        byte[] other = Repo.signedRoot(Repo.root(1, 1, List.of(C)), C);
        assertThrows(FileAlreadyExistsException.class, () -> store.provision(other, false));
        assertArrayEquals(before, Files.readAllBytes(store.file()));
        accepted(store.provision(other, true));
        TrustStore.State.Trusted t = assertInstanceOf(TrustStore.State.Trusted.class, store.load());
        assertTrue(t.root().keys().containsKey(C.keyId));
        assertEquals(LastTargets.NONE, t.last());
    }

    @Test
    void aRefusedProvisionWritesNothing() throws IOException {
        TrustStore store = new TrustStore(dir);
        byte[] unsigned = Repo.signedRoot(Repo.root(1, 2, List.of(A, B)), A);
        assertEquals(Refusal.Reason.THRESHOLD_NOT_MET, refused(store.provision(unsigned, false)).reason());
        assertFalse(Files.exists(store.file()));
    }

    @Test
    void aRotationIsPersistedAndKeepsTheLastTargets() throws IOException {
        TrustStore store = provisioned();
        VerifiedTargets first = accepted(store.acceptTargets(targets(3, 1, A), NOW));
        Root root2 = Repo.root(2, 1, List.of(C));
        Root root3 = Repo.root(3, 1, List.of(B));
        byte[] signed2 = Repo.signedRoot(root2, A, C);
        byte[] signed3 = Repo.signedRoot(root3, C, B);
        assertEquals(3, accepted(store.applyRoots(List.of(signed2, signed3), NOW)).version());

        TrustStore.State.Trusted t = assertInstanceOf(TrustStore.State.Trusted.class, new TrustStore(dir).load());
        assertEquals(3, t.root().version());
        assertArrayEquals(signed3, t.root().signed());
        assertEquals(first.last(), t.last());
        // The rotated root is the one that counts now: A was rotated out.
        assertEquals(Refusal.Reason.THRESHOLD_NOT_MET, refused(store.acceptTargets(targets(4, 3, A), NOW)).reason());
        accepted(store.acceptTargets(targets(4, 3, B), NOW));
    }

    @Test
    void aRefusedRootChainLeavesTheFileByteForByte() throws IOException {
        TrustStore store = provisioned();
        accepted(store.acceptTargets(targets(1, 1, A), NOW));
        byte[] before = Files.readAllBytes(store.file());
        byte[] good2 = Repo.signedRoot(Repo.root(2, 1, List.of(C)), A, C);
        byte[] badNext = Repo.signedRoot(Repo.root(3, 1, List.of(B)), B); // not signed by C, the root 2 key
        Refusal r = refused(store.applyRoots(List.of(good2, badNext), NOW));
        assertEquals(Refusal.Reason.THRESHOLD_NOT_MET, r.reason());
        assertTrue(r.field().startsWith("roots[1]."), r.message());
        assertArrayEquals(before, Files.readAllBytes(store.file()));
    }

    @Test
    void refusedTargetsLeaveTheFileByteForByte() throws IOException {
        TrustStore store = provisioned();
        accepted(store.acceptTargets(targets(2, 1, A), NOW));
        byte[] before = Files.readAllBytes(store.file());
        assertEquals(Refusal.Reason.THRESHOLD_NOT_MET, refused(store.acceptTargets(targets(3, 1, C), NOW)).reason());
        assertEquals(Refusal.Reason.EXPIRED, refused(store.acceptTargets(targets(3, 1, A), NOW.plusSeconds(400L * 86_400))).reason());
        assertEquals(Refusal.Reason.MIX_AND_MATCH, refused(store.acceptTargets(Repo.signedTargets(Repo.targets(2, 1), A), NOW)).reason());
        assertArrayEquals(before, Files.readAllBytes(store.file()));
    }

    @Test
    void aReplayOfOlderTargetsAfterARestartIsStillRefused() throws IOException {
        byte[] older = targets(1, 1, A);
        byte[] newerBytes = targets(2, 1, A);
        TrustStore store = provisioned();
        accepted(store.acceptTargets(older, NOW));
        VerifiedTargets newer = accepted(store.acceptTargets(newerBytes, NOW));

        TrustStore afterRestart = new TrustStore(dir);
        assertEquals(newer.last(), assertInstanceOf(TrustStore.State.Trusted.class, afterRestart.load()).last());
        Refusal r = refused(afterRestart.acceptTargets(older, NOW));
        assertEquals(Refusal.Reason.ROLLBACK, r.reason());
        assertEquals("targets.version", r.field());
        // The same targets again are fine (a device re-checking what it holds).
        accepted(afterRestart.acceptTargets(newerBytes, NOW));
    }

    @Test
    void everyFlippedBitAndTruncationLoadsAsCorruptAndStaysInPlace() throws IOException {
        TrustStore store = provisioned();
        accepted(store.acceptTargets(targets(1, 1, A), NOW));
        byte[] good = Files.readAllBytes(store.file());
        for (int bit = 0; bit < good.length * 8; bit++) {
            byte[] bad = good.clone();
            bad[bit / 8] ^= (byte) (1 << (bit % 8));
            assertInstanceOf(TrustStore.State.Corrupt.class, TrustStore.decode(bad), "bit " + bit);
        }
        for (int length = 0; length < good.length; length++) {
            assertInstanceOf(TrustStore.State.Corrupt.class, TrustStore.decode(java.util.Arrays.copyOf(good, length)), "length " + length);
        }
        byte[] bad = good.clone();
        bad[20] ^= 1;
        Files.write(store.file(), bad);
        TrustStore.State.Corrupt c = assertInstanceOf(TrustStore.State.Corrupt.class, store.load());
        assertTrue(c.reason().contains("crc32"), c.reason());
        Refusal r = refused(store.acceptTargets(targets(2, 1, A), NOW));
        assertEquals(TrustStore.FILE, r.field());
        refused(store.applyRoots(List.of(Repo.signedRoot(Repo.root(2, 1, List.of(C)), A, C)), NOW));
        assertArrayEquals(bad, Files.readAllBytes(store.file()));
        assertThrows(FileAlreadyExistsException.class, () -> store.provision(ROOT_1, false));
    }

    @Test
    void aRootThatNoLongerVerifiesIsCorruptEvenWithAGoodCrc() {
        byte[] unsigned = Repo.signedRoot(Repo.root(1, 2, List.of(A, B)), A);
        byte[] bytes = TrustStore.encode(accepted(TrustedRoot.provision(ROOT_1)), LastTargets.NONE);
        // Re-encode around a root signed by too few keys: only the verification on load catches it.
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(bytes.length - ROOT_1.length + unsigned.length);
        b.putInt(TrustStore.MAGIC).putShort(TrustStore.FORMAT).putInt(unsigned.length).put(unsigned).putLong(0).put((byte) 0);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        TrustStore.State.Corrupt c = assertInstanceOf(TrustStore.State.Corrupt.class, TrustStore.decode(b.array()));
        assertTrue(c.reason().contains("threshold_not_met"), c.reason());
    }

    @Test
    void operationsWithoutAProvisionedRootAreRefused() throws IOException {
        TrustStore store = new TrustStore(dir);
        assertEquals(TrustStore.FILE, refused(store.acceptTargets(targets(1, 1, A), NOW)).field());
        assertEquals(TrustStore.FILE, refused(store.applyRoots(List.of(), NOW)).field());
        assertFalse(Files.exists(store.file()));
    }
}
