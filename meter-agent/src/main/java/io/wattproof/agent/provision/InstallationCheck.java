package io.wattproof.agent.provision;

import io.wattproof.agent.board.BoardProfile;
import io.wattproof.agent.board.BoardProfileException;
import io.wattproof.agent.board.BoardProfiles;
import io.wattproof.agent.config.ConfigParseResult;
import io.wattproof.agent.config.ConfigProblem;
import io.wattproof.agent.config.DeviceConfig;
import io.wattproof.agent.config.DeviceConfig.Atecc608Store;
import io.wattproof.agent.config.DeviceConfig.Pkcs11Store;
import io.wattproof.agent.config.DeviceConfig.SoftwareStore;
import io.wattproof.agent.config.DeviceConfigParser;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyStoreFailure;
import io.wattproof.crypto.soft.SoftwareKeyStore;
import io.wattproof.ota.metadata.TrustStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What {@code provision --check} verifies of an installed device, one {@link CheckResult} per
 * aspect, each failure with what to do. It only reads: no file, key or token is changed.
 */
public final class InstallationCheck {
    private static final Set<String> SECRET_MODES = Set.of("0600", "0400");
    private static final Set<String> FOLDER_MODES = Set.of("0700");

    private final DeviceKeyStores.Chips chips;
    private final Clock clock;
    private final List<CheckResult> results = new ArrayList<>();

    private InstallationCheck(DeviceKeyStores.Chips chips, Clock clock) {
        this.chips = chips;
        this.clock = clock;
    }

    /** Every check of the installation whose configuration is {@code configFile}. */
    public static List<CheckResult> run(Path configFile, DeviceKeyStores.Chips chips, Clock clock) {
        InstallationCheck c = new InstallationCheck(chips, clock);
        c.all(configFile);
        return List.copyOf(c.results);
    }

    private void pass(String name, String detail) {
        results.add(CheckResult.pass(name, detail));
    }

    private void fail(String name, String detail, String remedy) {
        results.add(CheckResult.fail(name, detail, remedy));
    }

    private void all(Path configFile) {
        Optional<DeviceConfig> parsed = config(configFile);
        if (parsed.isEmpty()) {
            return;
        }
        DeviceConfig config = parsed.get();
        mode("config file mode", configFile, SECRET_MODES, "chmod 600 " + configFile);
        Path configDir = configFile.toAbsolutePath().getParent();
        mode("config folder mode", configDir, FOLDER_MODES, "chmod 700 " + configDir);
        Optional<BoardProfile> board = board(config);
        keyStore(config, board);
        certificate(config);
        trustAnchor(config);
        dataDir(config, board);
        updateTrust(config, board);
    }

    private Optional<DeviceConfig> config(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            fail("config", "no configuration at " + file, "provision the device first: meter-agent provision --help");
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            fail("config", "cannot read " + file + ": " + e.getMessage(), "check the path and that this user may read it");
            return Optional.empty();
        }
        return switch (DeviceConfigParser.parse(file.toString(), text)) {
            case ConfigParseResult.Parsed p -> {
                pass("config", file + " parses (" + DeviceConfig.SCHEMA + ", device " + p.config().deviceId().hex() + ")");
                yield Optional.of(p.config());
            }
            case ConfigParseResult.Invalid i -> {
                fail("config", i.problems().stream().map(ConfigProblem::message).collect(Collectors.joining("; ")),
                        "correct the named fields (docs/provisioning.md), or provision again");
                yield Optional.empty();
            }
        };
    }

    private Optional<BoardProfile> board(DeviceConfig config) {
        try {
            BoardProfile b = BoardProfiles.resolve(config.board());
            pass("board profile", "'" + config.board() + "' resolves: " + b.description());
            return Optional.of(b);
        } catch (BoardProfileException | RuntimeException e) {
            fail("board profile", e.getMessage(), "name a built-in board (meter-agent boards) or a readable profile file in board:");
            return Optional.empty();
        }
    }

    private void keyStore(DeviceConfig config, Optional<BoardProfile> board) {
        DeviceKeyStores stores = new DeviceKeyStores(board.flatMap(BoardProfile::secureElement), chips, clock);
        try (DeviceKey key = stores.open(config.keyStore())) {
            if (key.deviceId().equals(config.deviceId())) {
                pass("device key", config.keyStore().kind() + " store holds device " + key.deviceId().hex()
                        + " (fingerprint " + DeviceLabel.fingerprint(key.publicKeyInfo()) + ")");
            } else {
                fail("device key", "the " + config.keyStore().kind() + " store holds device " + key.deviceId().hex()
                        + ", the configuration names device " + config.deviceId().hex(),
                        "put the provisioned key back, or provision again with --force-new-identity (a new identity)");
            }
        } catch (KeyStoreFailure | RuntimeException e) {
            fail("device key", "cannot open the " + config.keyStore().kind() + " store: " + e.getMessage(),
                    "check the key_store settings and the store (meter-agent keys show)");
        }
        switch (config.keyStore()) {
            case SoftwareStore s -> {
                mode("key folder mode", s.dir(), FOLDER_MODES, "chmod 700 " + s.dir());
                mode("private key file mode", s.dir().resolve(SoftwareKeyStore.PRIVATE_KEY_FILE), SECRET_MODES,
                        "chmod 600 " + s.dir().resolve(SoftwareKeyStore.PRIVATE_KEY_FILE));
                mode("key secret file mode", s.secretFile(), SECRET_MODES, "chmod 600 " + s.secretFile());
            }
            case Pkcs11Store p -> mode("pin file mode", p.pinFile(), SECRET_MODES, "chmod 600 " + p.pinFile());
            case Atecc608Store a -> { }
        }
    }

    private void certificate(DeviceConfig config) {
        if (!config.mqtt().tls()) {
            pass("certificate", "none needed: " + config.mqtt().broker() + " is not TLS");
            return;
        }
        Path certFile = config.mqtt().deviceCert().orElseThrow();
        Path caFile = config.mqtt().brokerCa().orElseThrow();
        Optional<X509Certificate> cert = certificateFile(certFile, "device certificate",
                "send " + certFile.resolveSibling(ProvisionFiles.CSR) + " to the fleet's authority and install the answer: "
                        + "meter-agent provision ... --certificate FILE");
        Optional<X509Certificate> ca = certificateFile(caFile, "broker authority",
                "install the authority the broker's certificate chains to: meter-agent provision ... --broker-ca FILE");
        if (cert.isEmpty()) {
            return;
        }
        List<String> problems = new ArrayList<>();
        DeviceCertificates.holdsKeyOf(cert.get(), config.deviceId()).ifPresent(p -> problems.add("key: " + p));
        Instant now = clock.instant();
        DeviceCertificates.isValidAt(cert.get(), now).ifPresent(p -> problems.add("validity: " + p));
        ca.flatMap(authority -> DeviceCertificates.isIssuedBy(cert.get(), authority)).ifPresent(p -> problems.add("chain: " + p));
        if (problems.isEmpty()) {
            Duration left = Duration.between(now, cert.get().getNotAfter().toInstant());
            pass("certificate", certFile + " certifies device " + config.deviceId().hex() + ", valid for " + days(left) + " more"
                    + (ca.isPresent() ? ", chains to " + cert.get().getIssuerX500Principal().getName() : ""));
        } else {
            fail("certificate", certFile + ": " + String.join("; ", problems),
                    "have a certificate issued for this device's request (" + certFile.resolveSibling(ProvisionFiles.CSR)
                            + ") and install it: meter-agent provision ... --certificate FILE");
        }
    }

    private Optional<X509Certificate> certificateFile(Path file, String what, String remedy) {
        try {
            return Optional.of(DeviceCertificates.read(file.toString(), Files.readString(file, StandardCharsets.ISO_8859_1)));
        } catch (NoSuchFileException e) {
            fail(what, "missing: " + file, remedy);
        } catch (IOException | IllegalArgumentException e) {
            fail(what, file + ": " + e.getMessage(), remedy);
        }
        return Optional.empty();
    }

    private void trustAnchor(DeviceConfig config) {
        String remedy = "get a fresh trust anchor from the ledger operator and install it: meter-agent provision ... --trust-anchor FILE";
        Optional<Path> file = config.ledger().trustAnchor();
        if (file.isEmpty()) {
            fail("trust anchor", "the configuration names none (ledger.trust_anchor)", remedy);
            return;
        }
        String text;
        try {
            text = Files.readString(file.get(), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            fail("trust anchor", "missing: " + file.get(), remedy);
            return;
        } catch (IOException e) {
            fail("trust anchor", "cannot read " + file.get() + ": " + e.getMessage(), remedy);
            return;
        }
        switch (TrustAnchorParser.parse(file.get().toString(), text)) {
            case TrustAnchorResult.Invalid i -> fail("trust anchor", i.message(), remedy);
            case TrustAnchorResult.Read r -> {
                Instant now = clock.instant();
                Optional<TrustAnchorResult.Invalid> unusable = TrustAnchorParser.checkUsable(r.anchor(), config.ledger().chainId(), now);
                if (unusable.isPresent()) {
                    fail("trust anchor", unusable.get().message(), remedy);
                } else {
                    pass("trust anchor", "height " + r.anchor().height() + " of " + r.anchor().chainId() + ", trusted for "
                            + days(r.anchor().remaining(now)) + " more (until " + r.anchor().expiresAt() + ")");
                }
            }
        }
        mode("trust anchor file mode", file.get(), SECRET_MODES, "chmod 600 " + file.get());
    }

    private void dataDir(DeviceConfig config, Optional<BoardProfile> board) {
        Optional<Path> dir = config.dataDir().or(() -> board.map(b -> b.paths().dataDir()));
        if (dir.isEmpty()) {
            fail("data folder", "unknown: no data_dir in the configuration and no board profile", "set data_dir or fix the board");
            return;
        }
        Path d = dir.get();
        if (!Files.isDirectory(d)) {
            fail("data folder", "missing: " + d, "mkdir -m 700 " + d + " (as the agent's user)");
        } else if (!Files.isWritable(d)) {
            fail("data folder", d + " is not writable by this user", "chown it to the agent's user");
        } else {
            pass("data folder", d + " exists and is writable");
            mode("data folder mode", d, FOLDER_MODES, "chmod 700 " + d);
        }
    }

    /** With an ota section: the release root the daemon's update shell needs (docs/daemon.md, "Updates"). */
    private void updateTrust(DeviceConfig config, Optional<BoardProfile> board) {
        if (config.ota().isEmpty()) {
            return;
        }
        Optional<Path> dataDir = config.dataDir().or(() -> board.map(b -> b.paths().dataDir()));
        if (dataDir.isEmpty() && config.ota().get().stateDir().isEmpty()) {
            fail("update trust", "unknown folder: no ota.state_dir, data_dir or board profile", "set ota.state_dir or fix the board");
            return;
        }
        TrustStore store = new TrustStore(config.ota().get().stateDir(dataDir.orElse(Path.of("/"))));
        String remedy = "install the fleet's release root: meter-agent provision ... --ota-root FILE --ota-version N";
        switch (store.load()) {
            case TrustStore.State.Empty e -> fail("update trust", "missing: " + store.file(), remedy);
            case TrustStore.State.Corrupt c -> fail("update trust", store.file() + " is damaged: " + c.reason(),
                    remedy + " --ota-replace-trust");
            case TrustStore.State.Trusted t -> pass("update trust", store.file() + " trusts release root version " + t.root().version()
                    + " (" + t.root().threshold() + " of " + t.root().keys().size() + " keys), last targets version " + t.last().version());
        }
    }

    private void mode(String name, Path path, Set<String> allowed, String remedy) {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            fail(name, "missing: " + path, "provision again, or restore " + path);
            return;
        }
        Optional<String> mode = InstallFiles.mode(path);
        if (mode.isEmpty()) {
            fail(name, "cannot read the mode of " + path, "check that the file system keeps POSIX modes");
        } else if (allowed.contains(mode.get())) {
            pass(name, path + " is " + mode.get());
        } else {
            fail(name, path + ": expected mode " + String.join(" or ", allowed.stream().sorted().toList()) + ", actual " + mode.get(),
                    remedy);
        }
    }

    /** "12 days 3 hours", "5 hours", "expired". */
    static String days(Duration d) {
        if (d.isNegative() || d.isZero()) {
            return "for no time (expired)";
        }
        long days = d.toDays();
        long hours = d.minusDays(days).toHours();
        return days > 0 ? days + " days " + hours + " hours" : hours > 0 ? hours + " hours" : d.toMinutes() + " minutes";
    }
}
