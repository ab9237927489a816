package io.wattproof.ota.release;

import com.google.protobuf.ByteString;
import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyStoreFailure;
import io.wattproof.crypto.VerifyingKey;
import io.wattproof.ota.metadata.SignBytes;
import io.wattproof.ota.v1.Image;
import io.wattproof.ota.v1.ReleaseKey;
import io.wattproof.ota.v1.Role;
import io.wattproof.ota.v1.Root;
import io.wattproof.ota.v1.Signature;
import io.wattproof.ota.v1.Signed;
import io.wattproof.ota.v1.Targets;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds update metadata and signs it. Only the signing and reading an image touch anything
 * outside; the ranges checked are those of ota.proto, so a mistake is found here rather than by
 * every device refusing the release.
 */
public final class ReleaseSigning {
    static final int MAX_NAME_LENGTH = 128;
    private static final int CHUNK = 64 * 1024;

    private ReleaseSigning() {}

    /** A Root listing {@code keys} in order, {@code threshold} of which must sign. */
    public static Root root(List<VerifyingKey> keys, int threshold, long version, Instant expires) {
        require(version >= 1, "root.version", "≥ 1", version);
        require(!keys.isEmpty(), "root.keys", "one or more release keys", "none");
        require(threshold >= 1 && threshold <= keys.size(), "root.threshold", "1 ≤ threshold ≤ " + keys.size() + " (the number of keys)", threshold);
        Root.Builder b = Root.newBuilder().setVersion(version).setExpires(expires.getEpochSecond()).setThreshold(threshold);
        Set<DeviceId> seen = new HashSet<>();
        for (VerifyingKey key : keys) {
            require(seen.add(key.deviceId()), "root.keys", "distinct keys", "key " + key.deviceId().hex() + " twice");
            b.addKeys(ReleaseKey.newBuilder()
                    .setKeyId(ByteString.copyFrom(key.deviceId().bytes()))
                    .setAlgorithmValue(key.algorithm().wireNumber())
                    .setSubjectPublicKeyInfo(ByteString.copyFrom(key.subjectPublicKeyInfo())));
        }
        return b.build();
    }

    /**
     * An Image entry for {@code file}: its length and SHA-256 computed by streaming it, so an image
     * of any size needs only a small buffer.
     */
    public static Image image(Path file, String name, long version, List<String> boards, long minFromVersion) throws IOException {
        require(!name.isEmpty() && name.length() <= MAX_NAME_LENGTH && name.chars().allMatch(c -> c > 0x20 && c < 0x7f),
                "image.name", "1 to " + MAX_NAME_LENGTH + " printable ascii characters", "'" + name + "'");
        require(version >= 1, "image.version", "≥ 1", version);
        require(!boards.isEmpty(), "image.compatible_boards", "one or more board names", "none");
        require(boards.stream().noneMatch(String::isBlank), "image.compatible_boards", "non-empty board names", boards);
        require(minFromVersion >= 0 && minFromVersion <= version, "image.min_from_version", "0 ≤ min_from_version ≤ version " + version,
                minFromVersion);
        MessageDigest sha256 = sha256();
        long length = 0;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[CHUNK];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha256.update(buffer, 0, n);
                length += n;
            }
        }
        require(length >= 1, "image.length", "≥ 1 byte (" + file + ")", length);
        return Image.newBuilder().setName(name).setVersion(version).addAllCompatibleBoards(boards).setLength(length)
                .setSha256(ByteString.copyFrom(sha256.digest())).setMinFromVersion(minFromVersion).build();
    }

    /** Targets of release {@code version}, made under root {@code rootVersion}. */
    public static Targets targets(long version, Instant expires, long rootVersion, List<Image> images) {
        require(version >= 1, "targets.version", "≥ 1", version);
        require(rootVersion >= 1, "targets.root_version", "≥ 1", rootVersion);
        for (int i = 0; i < images.size(); i++) {
            for (int j = 0; j < i; j++) {
                Image a = images.get(i);
                Image b = images.get(j);
                if (a.getVersion() == b.getVersion()) {
                    for (String board : a.getCompatibleBoardsList()) {
                        require(!b.getCompatibleBoardsList().contains(board), "targets.images[" + i + "].version",
                                "one image per version and board", "version " + a.getVersion() + " for '" + board + "' also in images[" + j + "]");
                    }
                }
            }
        }
        return Targets.newBuilder().setVersion(version).setExpires(expires.getEpochSecond()).setRootVersion(rootVersion)
                .addAllImages(images).build();
    }

    /** The Signed bytes of {@code root}, one signature by each of {@code keys}. */
    public static byte[] sign(Root root, List<DeviceKey> keys) throws KeyStoreFailure {
        return sign(Role.ROLE_ROOT, root.toByteArray(), keys);
    }

    /** The Signed bytes of {@code targets}, one signature by each of {@code keys}. */
    public static byte[] sign(Targets targets, List<DeviceKey> keys) throws KeyStoreFailure {
        return sign(Role.ROLE_TARGETS, targets.toByteArray(), keys);
    }

    static byte[] sign(Role role, byte[] body, List<DeviceKey> keys) throws KeyStoreFailure {
        require(!keys.isEmpty(), "signing keys", "one or more", "none");
        // The body is serialized once and carried as these bytes: the verifier checks exactly them
        // and never re-serializes (protobuf has no canonical form).
        byte[] message = SignBytes.of(role, body);
        Signed.Builder b = Signed.newBuilder().setRole(role).setBody(ByteString.copyFrom(body));
        Set<DeviceId> seen = new HashSet<>();
        for (DeviceKey key : keys) {
            // A second signature by one key counts once on the device; it would only hide a mistake.
            require(seen.add(key.deviceId()), "signing keys", "distinct keys", "key " + key.deviceId().hex() + " twice");
            b.addSignatures(Signature.newBuilder().setKeyId(ByteString.copyFrom(key.deviceId().bytes()))
                    .setSignature(ByteString.copyFrom(key.sign(message))));
        }
        return b.build().toByteArray();
    }

    private static void require(boolean ok, String field, Object expected, Object actual) {
        if (!ok) {
            throw new IllegalArgumentException(field + ": expected " + expected + ", got " + actual);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
