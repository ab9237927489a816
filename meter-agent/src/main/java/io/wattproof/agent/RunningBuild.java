package io.wattproof.agent;

import io.wattproof.agent.record.FirmwareIdentity;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The agent build this JVM runs: its version (from the build) and, for the firmware identity in
 * every Reading, the SHA-256 of its jar. The hash is taken once per JVM, however many agents run
 * in it (the simulator runs hundreds).
 */
public final class RunningBuild {
    private RunningBuild() {}

    /** Version from {@code version.properties}, written by the build; {@code unknown} without it. */
    public static String version() {
        try (InputStream in = RunningBuild.class.getResourceAsStream("/io/wattproof/agent/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the build version: " + e.getMessage(), e);
        }
    }

    /** Version and SHA-256 of the running build, computed on first use. */
    public static FirmwareIdentity identity() {
        return Holder.IDENTITY;
    }

    private static final class Holder {
        static final FirmwareIdentity IDENTITY = new FirmwareIdentity(version(), hashOfCodeSource());
    }

    /**
     * SHA-256 of the jar this class was loaded from. When running from a classes folder (tests,
     * IDE), the hash is taken over the folder's files in path order, each as path and content.
     */
    private static byte[] hashOfCodeSource() {
        try {
            Path location = Path.of(RunningBuild.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            if (Files.isDirectory(location)) {
                List<Path> files;
                try (Stream<Path> walk = Files.walk(location)) {
                    files = walk.filter(Files::isRegularFile).sorted().toList();
                }
                for (Path file : files) {
                    sha.update(location.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
                    sha.update((byte) 0);
                    sha.update(Files.readAllBytes(file));
                }
            } else {
                try (InputStream in = new DigestInputStream(Files.newInputStream(location), sha)) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
            }
            return sha.digest();
        } catch (IOException | URISyntaxException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot identify the running agent build: " + e.getMessage(), e);
        }
    }
}
