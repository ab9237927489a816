package io.wattproof.ota.metadata;

import com.google.protobuf.InvalidProtocolBufferException;
import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.PublicKeys;
import io.wattproof.crypto.VerifyingKey;
import io.wattproof.ota.v1.Image;
import io.wattproof.ota.v1.ReleaseKey;
import io.wattproof.ota.v1.Root;
import io.wattproof.ota.v1.Targets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses and range-checks the bodies of Root and Targets (ranges as documented in ota.proto). */
final class Bodies {
    static final int SHA256_LENGTH = 32;
    static final int MAX_NAME_LENGTH = 128;

    private Bodies() {}

    /** A Root body whose fields are in range; its signatures are not checked here. */
    record RootContent(long version, Instant expires, Map<DeviceId, VerifyingKey> keys, int threshold) {}

    /** A Targets body whose fields are in range; its signatures are not checked here. */
    record TargetsContent(long version, Instant expires, long rootVersion, List<ImageEntry> images) {}

    static Verdict<RootContent> root(byte[] body) {
        Root root;
        try {
            root = Root.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            return Verdict.refused(Refusal.Reason.MALFORMED, "root", "a serialized wattproof.ota.v1.Root",
                    body.length + " bytes that do not parse (" + e.getMessage() + ")");
        }
        if (root.getVersion() < 1) {
            return Verdict.refused(Refusal.Reason.MALFORMED, "root.version", "1 ≤ version < 2^63", Long.toUnsignedString(root.getVersion()));
        }
        if (root.getKeysCount() == 0) {
            return Verdict.refused(Refusal.Reason.MALFORMED, "root.keys", "one or more release keys", "none");
        }
        Map<DeviceId, VerifyingKey> keys = new LinkedHashMap<>();
        for (int i = 0; i < root.getKeysCount(); i++) {
            ReleaseKey k = root.getKeys(i);
            String field = "root.keys[" + i + "]";
            VerifyingKey key;
            try {
                key = PublicKeys.fromSubjectPublicKeyInfo(k.getSubjectPublicKeyInfo().toByteArray());
            } catch (IllegalArgumentException e) {
                return Verdict.refused(Refusal.Reason.MALFORMED, field + ".subject_public_key_info",
                        "a p-256, ed25519 or sm2 SubjectPublicKeyInfo", e.getMessage());
            }
            KeyAlgorithm declared = algorithm(k.getAlgorithmValue());
            if (declared != key.algorithm()) {
                return Verdict.refused(Refusal.Reason.MALFORMED, field + ".algorithm",
                        key.algorithm() + " (" + key.algorithm().wireNumber() + ", the key's own)", k.getAlgorithmValue());
            }
            if (!key.deviceId().equals(keyIdOrNull(k.getKeyId().toByteArray()))) {
                return Verdict.refused(Refusal.Reason.MALFORMED, field + ".key_id", "0x" + key.deviceId().hex()
                        + " (sha-256 of the key's der, first 20 bytes)", "0x" + HexFormat.of().formatHex(k.getKeyId().toByteArray()));
            }
            if (keys.putIfAbsent(key.deviceId(), key) != null) {
                return Verdict.refused(Refusal.Reason.MALFORMED, field, "a key not listed before", "key 0x" + key.deviceId().hex() + " again");
            }
        }
        if (!isInstant(root.getExpires())) {
            return Verdict.refused(Refusal.Reason.MALFORMED, "root.expires", "epoch seconds within java.time.Instant's range", root.getExpires());
        }
        long threshold = Integer.toUnsignedLong(root.getThreshold());
        if (threshold < 1 || threshold > keys.size()) {
            return Verdict.refused(Refusal.Reason.MALFORMED, "root.threshold", "1 ≤ threshold ≤ " + keys.size() + " (the number of keys)", threshold);
        }
        return new Verdict.Accepted<>(new RootContent(root.getVersion(), Instant.ofEpochSecond(root.getExpires()),
                Collections.unmodifiableMap(keys), (int) threshold));
    }

    static Verdict<TargetsContent> targets(byte[] body) {
        Targets targets;
        try {
            targets = Targets.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            return Verdict.refused(Refusal.Reason.MALFORMED, "targets", "a serialized wattproof.ota.v1.Targets",
                    body.length + " bytes that do not parse (" + e.getMessage() + ")");
        }
        if (targets.getVersion() < 1) {
            return Verdict.refused(Refusal.Reason.MALFORMED, "targets.version", "1 ≤ version < 2^63", Long.toUnsignedString(targets.getVersion()));
        }
        if (targets.getRootVersion() < 1) {
            return Verdict.refused(Refusal.Reason.MALFORMED, "targets.root_version", "1 ≤ root_version < 2^63",
                    Long.toUnsignedString(targets.getRootVersion()));
        }
        if (!isInstant(targets.getExpires())) {
            return Verdict.refused(Refusal.Reason.MALFORMED, "targets.expires", "epoch seconds within java.time.Instant's range",
                    targets.getExpires());
        }
        List<ImageEntry> images = new ArrayList<>();
        for (int i = 0; i < targets.getImagesCount(); i++) {
            Image image = targets.getImages(i);
            String field = "targets.images[" + i + "]";
            String name = image.getName();
            if (name.isEmpty() || name.length() > MAX_NAME_LENGTH || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                return Verdict.refused(Refusal.Reason.MALFORMED, field + ".name", "1 to " + MAX_NAME_LENGTH + " printable ascii characters",
                        "'" + name + "'");
            }
            if (image.getVersion() < 1) {
                return Verdict.refused(Refusal.Reason.MALFORMED, field + ".version", "1 ≤ version < 2^63", Long.toUnsignedString(image.getVersion()));
            }
            if (image.getCompatibleBoardsCount() == 0) {
                return Verdict.refused(Refusal.Reason.MALFORMED, field + ".compatible_boards", "one or more board names", "none");
            }
            if (image.getLength() < 1) {
                return Verdict.refused(Refusal.Reason.MALFORMED, field + ".length", "1 ≤ length < 2^63 bytes", Long.toUnsignedString(image.getLength()));
            }
            if (image.getSha256().size() != SHA256_LENGTH) {
                return Verdict.refused(Refusal.Reason.MALFORMED, field + ".sha256", SHA256_LENGTH + " bytes", image.getSha256().size() + " bytes");
            }
            if (image.getMinFromVersion() < 0 || image.getMinFromVersion() > image.getVersion()) {
                return Verdict.refused(Refusal.Reason.MALFORMED, field + ".min_from_version", "0 ≤ min_from_version ≤ version " + image.getVersion(),
                        Long.toUnsignedString(image.getMinFromVersion()));
            }
            for (int j = 0; j < images.size(); j++) {
                ImageEntry earlier = images.get(j);
                if (earlier.version() == image.getVersion()) {
                    for (String board : image.getCompatibleBoardsList()) {
                        if (earlier.runsOn(board)) {
                            // Two images of one version for one board: which one the device
                            // installs would depend on list order, and two devices could differ.
                            return Verdict.refused(Refusal.Reason.MALFORMED, field + ".version",
                                    "one image per version and board", "version " + image.getVersion() + " for '" + board
                                            + "' also in targets.images[" + j + "]");
                        }
                    }
                }
            }
            images.add(new ImageEntry(name, image.getVersion(), image.getCompatibleBoardsList(), image.getLength(),
                    image.getSha256().toByteArray(), image.getMinFromVersion()));
        }
        return new Verdict.Accepted<>(new TargetsContent(targets.getVersion(), Instant.ofEpochSecond(targets.getExpires()),
                targets.getRootVersion(), List.copyOf(images)));
    }

    private static boolean isInstant(long epochSecond) {
        return epochSecond >= Instant.MIN.getEpochSecond() && epochSecond <= Instant.MAX.getEpochSecond();
    }

    private static KeyAlgorithm algorithm(int wireNumber) {
        for (KeyAlgorithm a : KeyAlgorithm.values()) {
            if (a.wireNumber() == wireNumber) {
                return a;
            }
        }
        return null;
    }

    private static DeviceId keyIdOrNull(byte[] bytes) {
        return bytes.length == DeviceId.LENGTH ? DeviceId.of(bytes) : null;
    }
}
