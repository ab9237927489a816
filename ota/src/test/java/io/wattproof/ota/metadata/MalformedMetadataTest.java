package io.wattproof.ota.metadata;

import static io.wattproof.ota.metadata.Repo.NOW;
import static io.wattproof.ota.metadata.Repo.refused;
import static io.wattproof.ota.metadata.Repo.root;
import static io.wattproof.ota.metadata.Repo.signedRoot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.google.protobuf.ByteString;
import io.wattproof.ota.v1.ReleaseKeyAlgorithm;
import io.wattproof.ota.v1.Role;
import io.wattproof.ota.v1.Root;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Bytes from outside never throw: garbage, truncations and bit flips all end in a refusal or a verdict. */
class MalformedMetadataTest {
    private final TestKey a = TestKey.ed25519();
    private final TestKey b = TestKey.p256();
    private final Root root1 = root(1, 2, List.of(a, b));
    private final TrustedRoot trusted = Repo.provision(root1, a, b);

    @Test
    void garbageIsRefusedAsMalformed() {
        Refusal why = refused(TargetsCheck.verify(trusted, new byte[] {(byte) 0xff, (byte) 0xff, 0x01}, NOW, LastTargets.NONE));
        assertEquals(Refusal.Reason.MALFORMED, why.reason());
        assertEquals("signed", why.field());
        assertEquals(Refusal.Reason.MALFORMED, refused(TrustedRoot.provision(new byte[] {0x0a, 0x05, 0x01})).reason());
    }

    @Test
    void randomBytesTruncationsAndBitFlipsNeverThrow() {
        Random random = new Random(42);
        byte[] good = signedRoot(root(2, 1, List.of(a)), a, b);
        byte[] targets = Repo.signedTargets(Repo.targets(1, 1, Repo.image("x", 1, 0, new byte[] {1}, "board")), a, b);
        for (int i = 0; i < 2000; i++) {
            byte[] input = switch (i % 4) {
                case 0 -> randomBytes(random, random.nextInt(200));
                case 1 -> java.util.Arrays.copyOf(good, random.nextInt(good.length));
                case 2 -> flip(random, good);
                default -> flip(random, targets);
            };
            // A verdict of either kind is fine; an exception fails the test.
            assertInstanceOf(Verdict.class, RootUpdate.verify(trusted, input, NOW));
            assertInstanceOf(Verdict.class, TargetsCheck.verify(trusted, input, NOW, LastTargets.NONE));
            assertInstanceOf(Verdict.class, TrustedRoot.provision(input));
        }
    }

    @Test
    void aKeyIdThatIsNotTheKeysHashIsRefused() {
        Root wrongId = root1.toBuilder().setKeys(0, a.releaseKey().toBuilder().setKeyId(ByteString.copyFrom(b.keyId.bytes()))).build();
        Refusal why = refused(TrustedRoot.provision(signedRoot(wrongId, a, b)));
        assertEquals(Refusal.Reason.MALFORMED, why.reason());
        assertEquals("root.keys[0].key_id", why.field());
        assertEquals("0x" + b.keyId.hex(), why.actual());
    }

    @Test
    void anAlgorithmThatIsNotTheKeysIsRefused() {
        Root wrong = root1.toBuilder()
                .setKeys(0, a.releaseKey().toBuilder().setAlgorithm(ReleaseKeyAlgorithm.RELEASE_KEY_ALGORITHM_ECDSA_P256_SHA256)).build();
        Refusal why = refused(TrustedRoot.provision(signedRoot(wrong, a, b)));
        assertEquals("root.keys[0].algorithm", why.field());
        assertEquals("1", why.actual());
    }

    @Test
    void aKeyListedTwiceIsRefused() {
        Root twice = root1.toBuilder().addKeys(a.releaseKey()).build();
        assertEquals("root.keys[2]", refused(TrustedRoot.provision(signedRoot(twice, a, b))).field());
    }

    @Test
    void aThresholdAboveTheKeyCountOrZeroIsRefused() {
        Refusal above = refused(TrustedRoot.provision(signedRoot(root1.toBuilder().setThreshold(3).build(), a, b)));
        assertEquals("root.threshold", above.field());
        assertEquals("1 ≤ threshold ≤ 2 (the number of keys)", above.expected());
        assertEquals("3", above.actual());
        assertEquals("root.threshold", refused(TrustedRoot.provision(signedRoot(root1.toBuilder().setThreshold(0).build(), a, b))).field());
    }

    @Test
    void aKeyThatIsNotAKeyIsRefused() {
        Root bad = root1.toBuilder().setKeys(1, b.releaseKey().toBuilder().setSubjectPublicKeyInfo(ByteString.copyFrom(new byte[] {0x30, 0x00})))
                .build();
        assertEquals("root.keys[1].subject_public_key_info", refused(TrustedRoot.provision(signedRoot(bad, a, b))).field());
    }

    @Test
    void anUnspecifiedRoleIsRefused() {
        byte[] signed = io.wattproof.ota.v1.Signed.newBuilder().setRoleValue(7).setBody(root1.toByteString()).build().toByteArray();
        Refusal why = refused(TrustedRoot.provision(signed));
        assertEquals(Refusal.Reason.WRONG_ROLE, why.reason());
        assertEquals("7 (UNRECOGNIZED)", why.actual());
        assertEquals(Role.ROLE_ROOT.name(), why.expected());
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] out = new byte[n];
        random.nextBytes(out);
        return out;
    }

    private static byte[] flip(Random random, byte[] good) {
        byte[] out = good.clone();
        out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
        return out;
    }
}
