package io.wattproof.agent.ota;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.wattproof.ota.transport.OtaTopics;
import io.wattproof.ota.v1.Announcement;
import io.wattproof.ota.v1.Image;
import io.wattproof.ota.v1.Role;
import io.wattproof.ota.v1.Signed;
import io.wattproof.ota.v1.Targets;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A release as {@code ota sign} writes it and {@code ota publish} reads it (docs/ota.md,
 * "Publishing"): a folder holding {@value #TARGETS_FILE} (the signed targets),
 * {@value #ANNOUNCEMENT_FILE} (a serialized {@code Announcement}: those targets and the newer
 * roots) and each image as {@code <name>-<version>}.
 *
 * <p>Reading checks what the publisher can check without a trusted root: the files parse, the
 * announcement carries the very targets of {@value #TARGETS_FILE}, fits in
 * {@link OtaTopics#MAX_ANNOUNCEMENT_BYTES}, and every image file has the length and SHA-256 the
 * targets name, so a release devices would refuse for a wrong file is never sent. The signatures
 * are the devices' to check ({@code ota verify} runs the same checks with a root).
 *
 * @param images each image's entry in the targets and its file, in the targets' order
 */
public record ReleaseFolder(Path dir, Announcement announcement, long targetsVersion, Map<Image, Path> images) {
    public static final String TARGETS_FILE = "targets.bin";
    public static final String ANNOUNCEMENT_FILE = "announcement.bin";

    public ReleaseFolder {
        images = Collections.unmodifiableMap(new LinkedHashMap<>(images));
    }

    /** A release folder that cannot be published; the message names the file or field, expected and actual. */
    public static final class Unusable extends Exception {
        public Unusable(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The file name of an image in a release folder and on a device ({@code DownloadFile} uses the
     * same): an image name that is not a plain file name is refused, since targets allow any
     * printable ASCII.
     */
    public static String imageFileName(String name, long version) {
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw new IllegalArgumentException("image name: expected a plain file name (no '/', '\\', leading '.'), got '" + name + "'");
        }
        return name + "-" + Long.toUnsignedString(version);
    }

    /**
     * Writes a new release folder: {@code dir} must not exist or be empty, and no file in it is
     * ever overwritten. The image is copied, not moved.
     */
    public static void write(Path dir, byte[] signedTargets, List<byte[]> newerRoots, Path image, String name, long version)
            throws IOException {
        Announcement.Builder a = Announcement.newBuilder().setSignedTargets(ByteString.copyFrom(signedTargets));
        newerRoots.forEach(r -> a.addSignedRoots(ByteString.copyFrom(r)));
        byte[] announcement = a.build().toByteArray();
        if (announcement.length > OtaTopics.MAX_ANNOUNCEMENT_BYTES) {
            throw new IllegalArgumentException("announcement: expected at most " + OtaTopics.MAX_ANNOUNCEMENT_BYTES
                    + " bytes (devices drop longer ones unread), got " + announcement.length);
        }
        String imageFile = imageFileName(name, version);
        if (Files.exists(dir)) {
            try (var entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new FileAlreadyExistsException(dir.toString(), null, "not empty");
                }
            }
        }
        Files.createDirectories(dir);
        Files.write(dir.resolve(TARGETS_FILE), signedTargets, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        Files.copy(image, dir.resolve(imageFile), StandardCopyOption.COPY_ATTRIBUTES);
        Files.write(dir.resolve(ANNOUNCEMENT_FILE), announcement, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    /** Reads and checks a release folder (see the class comment). */
    public static ReleaseFolder read(Path dir) throws IOException, Unusable {
        byte[] announcementBytes = file(dir, ANNOUNCEMENT_FILE);
        if (announcementBytes.length > OtaTopics.MAX_ANNOUNCEMENT_BYTES) {
            throw new Unusable(ANNOUNCEMENT_FILE + ": expected at most " + OtaTopics.MAX_ANNOUNCEMENT_BYTES + " bytes, got "
                    + announcementBytes.length);
        }
        Announcement announcement;
        try {
            announcement = Announcement.parseFrom(announcementBytes);
        } catch (InvalidProtocolBufferException e) {
            throw new Unusable(ANNOUNCEMENT_FILE + ": expected a serialized Announcement, got " + announcementBytes.length
                    + " bytes that do not parse (" + e.getMessage() + ")");
        }
        byte[] signedTargets = file(dir, TARGETS_FILE);
        if (!announcement.getSignedTargets().equals(ByteString.copyFrom(signedTargets))) {
            throw new Unusable(ANNOUNCEMENT_FILE + ".signed_targets: expected the bytes of " + TARGETS_FILE + " (" + signedTargets.length
                    + " bytes), got other bytes (" + announcement.getSignedTargets().size() + ")");
        }
        Targets targets;
        try {
            Signed signed = Signed.parseFrom(signedTargets);
            if (signed.getRole() != Role.ROLE_TARGETS) {
                throw new Unusable(TARGETS_FILE + ".role: expected ROLE_TARGETS, got " + signed.getRole());
            }
            targets = Targets.parseFrom(signed.getBody());
        } catch (InvalidProtocolBufferException e) {
            throw new Unusable(TARGETS_FILE + ": expected a serialized Signed targets, got bytes that do not parse (" + e.getMessage() + ")");
        }
        if (targets.getImagesCount() == 0) {
            throw new Unusable(TARGETS_FILE + ".images: expected at least one image, got none");
        }
        Map<Image, Path> images = new LinkedHashMap<>();
        for (Image image : targets.getImagesList()) {
            String name;
            try {
                name = imageFileName(image.getName(), image.getVersion());
            } catch (IllegalArgumentException e) {
                throw new Unusable(TARGETS_FILE + ".images: " + e.getMessage());
            }
            Path file = dir.resolve(name);
            check(file, image);
            images.put(image, file);
        }
        return new ReleaseFolder(dir, announcement, targets.getVersion(), images);
    }

    private static byte[] file(Path dir, String name) throws IOException, Unusable {
        try {
            return Files.readAllBytes(dir.resolve(name));
        } catch (NoSuchFileException e) {
            throw new Unusable(dir.resolve(name) + ": expected a file of the release (made by ota sign), got none");
        }
    }

    private static void check(Path file, Image image) throws IOException, Unusable {
        if (!Files.isRegularFile(file)) {
            throw new Unusable(file + ": expected the image " + image.getName() + " version " + image.getVersion() + ", got no file");
        }
        long size = Files.size(file);
        if (size != image.getLength()) {
            throw new Unusable(file + ": expected " + image.getLength() + " bytes (targets), got " + size);
        }
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
            }
        }
        byte[] actual = sha.digest();
        if (!MessageDigest.isEqual(actual, image.getSha256().toByteArray())) {
            throw new Unusable(file + ": expected sha256 " + HexFormat.of().formatHex(image.getSha256().toByteArray()) + " (targets), got "
                    + HexFormat.of().formatHex(actual));
        }
    }

    /** The versions of the release's images. */
    public Set<Long> imageVersions() {
        Set<Long> v = new TreeSet<>();
        images.keySet().forEach(i -> v.add(i.getVersion()));
        return v;
    }

    /** Serves every image of the release. */
    public void serveOn(UpdateServer server) throws IOException, UpdateServer.ConnectionException {
        for (Map.Entry<Image, Path> e : images.entrySet()) {
            server.serve(e.getKey().getName(), e.getKey().getVersion(), e.getValue());
        }
    }

    /** What the announcement carries, for a log line. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add("targets version " + targetsVersion + ", " + announcement.getSignedRootsCount() + " newer root(s), announcement "
                + announcement.getSerializedSize() + " bytes");
        images.forEach((i, f) -> lines.add("  image " + i.getName() + " version " + i.getVersion() + " for "
                + String.join(",", i.getCompatibleBoardsList()) + ": " + i.getLength() + " bytes from " + f));
        return lines;
    }
}
