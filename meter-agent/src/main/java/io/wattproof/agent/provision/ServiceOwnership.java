package io.wattproof.agent.provision;

import io.wattproof.agent.config.DeviceConfig;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Hands what provisioning wrote to the user the service runs as. A technician provisions as
 * root, but the packaged service runs as {@code wattproof} (docs/packaging.md), and the key
 * store's secret and a token's PIN are owner-only files (0600/0400): owned by root, the agent
 * could not open its own key. So the agent's files become the service user's, modes unchanged:
 * the configuration and what it names in the configuration folder, the key folder, the secret or
 * PIN file, and the data folder. Folders the configuration only lives in ({@code /etc/wattproof})
 * keep their owner.
 */
public final class ServiceOwnership {
    /** The user the Debian package creates. */
    public static final String PACKAGE_USER = "wattproof";

    private ServiceOwnership() {}

    /** The files and folders of an installation that the service must own. */
    public static List<Path> agentFiles(DeviceConfig config, Path configFile, Path dataDir) {
        Set<Path> files = new LinkedHashSet<>();
        files.add(configFile);
        config.mqtt().deviceCert().ifPresent(files::add);
        config.mqtt().brokerCa().ifPresent(files::add);
        config.ledger().trustAnchor().ifPresent(files::add);
        files.add(configFile.resolveSibling(ProvisionFiles.CSR));
        switch (config.keyStore()) {
            case DeviceConfig.SoftwareStore s -> {
                files.add(s.dir());
                files.add(s.secretFile());
            }
            case DeviceConfig.Pkcs11Store p -> files.add(p.pinFile());
            case DeviceConfig.Atecc608Store a -> {
                // The chip is reached through /dev/i2c-N, whose group the package adds the user to.
            }
        }
        files.add(dataDir);
        // The update state (trust, floor, downloads) is the data folder's unless the section puts it elsewhere.
        config.ota().map(o -> o.stateDir(dataDir)).filter(d -> !d.startsWith(dataDir)).ifPresent(files::add);
        return new ArrayList<>(files);
    }

    /**
     * The service user to hand over to: {@code requested} if given (it must exist), else the
     * package's user when running as root and that user exists, else none (a lab install by an
     * ordinary user keeps its own files).
     */
    public static Optional<UserPrincipal> serviceUser(FileSystem fs, Optional<String> requested, boolean root) throws IOException {
        try {
            if (requested.isPresent()) {
                return requested.get().isEmpty() ? Optional.empty()
                        : Optional.of(fs.getUserPrincipalLookupService().lookupPrincipalByName(requested.get()));
            }
            if (!root) {
                return Optional.empty();
            }
            return Optional.of(fs.getUserPrincipalLookupService().lookupPrincipalByName(PACKAGE_USER));
        } catch (UserPrincipalNotFoundException e) {
            if (requested.isPresent()) {
                throw new IOException("--service-user " + requested.get() + ": no such user");
            }
            return Optional.empty();
        }
    }

    /** Whether this process runs as root (uid 0), which is what may change owners. */
    public static boolean runningAsRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Makes {@code user} (and its primary group, when a group of the same name exists) the owner of
     * each existing path, folders with everything in them. Symbolic links are not followed: a
     * link planted in a folder must not hand some other file to the service.
     *
     * @return the paths changed
     */
    public static List<Path> handOver(List<Path> paths, UserPrincipal user) throws IOException {
        Optional<GroupPrincipal> group;
        try {
            group = Optional.of(FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByGroupName(user.getName()));
        } catch (UserPrincipalNotFoundException e) {
            group = Optional.empty();
        }
        List<Path> changed = new ArrayList<>();
        for (Path top : paths) {
            if (!Files.exists(top, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            List<Path> all;
            if (Files.isDirectory(top, LinkOption.NOFOLLOW_LINKS)) {
                try (Stream<Path> walk = Files.walk(top)) {
                    all = walk.toList();
                }
            } else {
                all = List.of(top);
            }
            for (Path p : all) {
                PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
                view.setOwner(user);
                if (group.isPresent()) {
                    view.setGroup(group.get());
                }
                changed.add(p);
            }
        }
        return changed;
    }
}
