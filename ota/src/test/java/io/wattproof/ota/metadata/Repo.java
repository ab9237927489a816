package io.wattproof.ota.metadata;

import com.google.protobuf.ByteString;
import io.wattproof.ota.v1.Image;
import io.wattproof.ota.v1.Role;
import io.wattproof.ota.v1.Root;
import io.wattproof.ota.v1.Signature;
import io.wattproof.ota.v1.Signed;
import io.wattproof.ota.v1.Targets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;

/** Builds and signs metadata the way a release repository would; test code only. */
final class Repo {
    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    static final long IN_A_YEAR = NOW.plusSeconds(365L * 86_400).getEpochSecond();

    private Repo() {}

    static Root root(long version, int threshold, List<TestKey> keys) {
        Root.Builder b = Root.newBuilder().setVersion(version).setExpires(IN_A_YEAR).setThreshold(threshold);
        keys.forEach(k -> b.addKeys(k.releaseKey()));
        return b.build();
    }

    static Image image(String name, long version, long minFrom, byte[] content, String... boards) {
        return Image.newBuilder().setName(name).setVersion(version).addAllCompatibleBoards(List.of(boards))
                .setLength(content.length).setSha256(ByteString.copyFrom(sha256(content))).setMinFromVersion(minFrom).build();
    }

    static Targets targets(long version, long rootVersion, Image... images) {
        return Targets.newBuilder().setVersion(version).setExpires(IN_A_YEAR).setRootVersion(rootVersion).addAllImages(List.of(images)).build();
    }

    /** {@code body} signed by each of {@code signers} in order (a key may appear twice). */
    static byte[] signed(Role role, byte[] body, TestKey... signers) {
        Signed.Builder b = Signed.newBuilder().setRole(role).setBody(ByteString.copyFrom(body));
        byte[] message = Envelope.signBytes(role, body);
        for (TestKey k : signers) {
            b.addSignatures(Signature.newBuilder().setKeyId(ByteString.copyFrom(k.keyId.bytes()))
                    .setSignature(ByteString.copyFrom(k.sign(message))));
        }
        return b.build().toByteArray();
    }

    static byte[] signedRoot(Root root, TestKey... signers) {
        return signed(Role.ROLE_ROOT, root.toByteArray(), signers);
    }

    static byte[] signedTargets(Targets targets, TestKey... signers) {
        return signed(Role.ROLE_TARGETS, targets.toByteArray(), signers);
    }

    static TrustedRoot provision(Root root, TestKey... signers) {
        return accepted(TrustedRoot.provision(signedRoot(root, signers)));
    }

    static <T> T accepted(Verdict<T> verdict) {
        return switch (verdict) {
            case Verdict.Accepted<T> a -> a.value();
            case Verdict.Refused<T> r -> throw new AssertionError("expected accepted, got refused: " + r.refusal());
        };
    }

    static <T> Refusal refused(Verdict<T> verdict) {
        return switch (verdict) {
            case Verdict.Accepted<T> a -> throw new AssertionError("expected refused, got accepted: " + a.value());
            case Verdict.Refused<T> r -> r.refusal();
        };
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
