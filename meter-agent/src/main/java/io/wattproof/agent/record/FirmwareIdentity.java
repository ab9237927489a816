package io.wattproof.agent.record;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Version and SHA-256 of the running agent build, carried in every Reading so a record says which
 * code produced it (and an auditor can match it against a signed release).
 *
 * @param version release version, e.g. {@code 0.1.0}
 * @param sha256 32 bytes
 */
public record FirmwareIdentity(String version, byte[] sha256) {
    public FirmwareIdentity {
        if (version.isEmpty() || version.length() > 32) {
            throw new IllegalArgumentException("firmware version: expected 1..32 characters, got " + version.length());
        }
        if (sha256.length != 32) {
            throw new IllegalArgumentException("firmware hash: expected 32 bytes, got " + sha256.length);
        }
        sha256 = sha256.clone();
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    /**
     * The identity of the code this class was loaded from: the version from the build and the
     * SHA-256 of the agent's jar. When running from a classes folder (tests, IDE), the hash is
     * taken over the folder's files in path order, each as path and content.
     */
    public static FirmwareIdentity ofRunningBuild() {
        try {
            Path location = Path.of(FirmwareIdentity.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            if (Files.isDirectory(location)) {
                List<Path> files;
                try (Stream<Path> walk = Files.walk(location)) {
                    files = walk.filter(Files::isRegularFile).sorted().toList();
                }
                for (Path file : files) {
                    sha.update(location.relativize(file).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    sha.update((byte) 0);
                    sha.update(Files.readAllBytes(file));
                }
            } else {
                try (InputStream in = new DigestInputStream(Files.newInputStream(location), sha)) {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                }
            }
            return new FirmwareIdentity(buildVersion(), sha.digest());
        } catch (IOException | URISyntaxException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot identify the running agent build: " + e.getMessage(), e);
        }
    }

    static String buildVersion() throws IOException {
        try (InputStream in = FirmwareIdentity.class.getResourceAsStream("/io/wattproof/agent/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FirmwareIdentity f && version.equals(f.version) && java.util.Arrays.equals(sha256, f.sha256);
    }

    @Override
    public int hashCode() {
        return version.hashCode() * 31 + java.util.Arrays.hashCode(sha256);
    }

    @Override
    public String toString() {
        return version + " (" + HexFormat.of().formatHex(sha256) + ")";
    }
}
