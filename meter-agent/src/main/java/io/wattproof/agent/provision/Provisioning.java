package io.wattproof.agent.provision;

import io.wattproof.agent.AgentConfig;
import io.wattproof.agent.board.BoardProfile;
import io.wattproof.agent.board.BoardProfileException;
import io.wattproof.agent.board.BoardProfiles;
import io.wattproof.agent.config.ConfigParseResult;
import io.wattproof.agent.config.ConfigProblem;
import io.wattproof.agent.config.DeviceConfig;
import io.wattproof.agent.config.DeviceConfig.Atecc608Store;
import io.wattproof.agent.config.DeviceConfig.KeyStoreSettings;
import io.wattproof.agent.config.DeviceConfig.Pkcs11Store;
import io.wattproof.agent.config.DeviceConfig.SoftwareStore;
import io.wattproof.agent.config.DeviceConfigParser;
import io.wattproof.agent.config.DeviceConfigWriter;
import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyStoreFailure;
import io.wattproof.crypto.cert.CertificateAuthority;
import io.wattproof.crypto.cert.CertificationRequests;
import io.wattproof.crypto.cert.Certificates;
import io.wattproof.crypto.cert.CsrSubject;
import io.wattproof.modbus.maps.YamlSources;
import io.wattproof.ota.metadata.TrustStore;
import io.wattproof.ota.metadata.TrustedRoot;
import io.wattproof.ota.metadata.Verdict;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * {@code provision}: checks every input first, then creates or keeps the device key, writes the
 * certification request, installs the certificate, broker authority and trust anchor, writes the
 * configuration, and prints the label. Nothing is written until every input has been checked, so a
 * wrong option leaves the device as it was; the identity is never replaced unless the technician
 * asked for it and confirmed it.
 */
public final class Provisioning {
    /** A release root lists a few keys; a file far larger is not one (TrustStore's own limit is 1 MiB). */
    static final int MAX_ROOT_BYTES = 1 << 20;
    /** Asks the technician to confirm that {@code old} is to be replaced. */
    @FunctionalInterface
    public interface Confirmation {
        boolean confirm(DeviceId old);
    }

    private final DeviceKeyStores.Chips chips;
    private final Clock clock;
    private final PrintWriter out;

    public Provisioning(DeviceKeyStores.Chips chips, Clock clock, PrintWriter out) {
        this.chips = Objects.requireNonNull(chips, "chips");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.out = Objects.requireNonNull(out, "out");
    }

    /** What provisioning installed. */
    /** @param dataDir the data folder provisioning prepared (the configuration's, or the board's) */
    public record Outcome(DeviceConfig config, Path configFile, Path dataDir, DeviceLabel label, boolean newIdentity) {}

    /** The checked inputs, before anything is written. */
    private record Plan(BoardProfile board, Path configFile, Path configDir, KeyStoreSettings keyStore, TrustAnchor anchor,
            String anchorText, Optional<CertificateAuthority> ca, Optional<X509Certificate> certificate,
            Optional<X509Certificate> brokerCa, URI broker, Path dataDir, Optional<DeviceConfig.Ota> ota, Optional<OtaTrust> otaTrust) {}

    /**
     * The release root to install as the update trust.
     *
     * @param keep the trust file already holds exactly this root: it stays, with its last targets
     */
    private record OtaTrust(Path file, byte[] signedRoot, TrustedRoot root, boolean keep, boolean replace) {}

    public Outcome run(ProvisionRequest r, Confirmation confirmation) throws ProvisionException {
        Plan plan = plan(r);
        out.println("[board] " + plan.board().name() + ": " + plan.board().description());
        DeviceKeyStores stores = new DeviceKeyStores(plan.board().secureElement(), chips, clock);
        Identity identity = identity(r, plan, stores);
        if (identity.replaces().isPresent() && !confirmation.confirm(identity.replaces().get())) {
            throw ProvisionException.refused("--force-new-identity was not confirmed: device " + identity.replaces().get().hex()
                    + " keeps its identity, nothing was changed");
        }
        try {
            return install(r, plan, stores, identity);
        } catch (IOException e) {
            throw ProvisionException.refused("writing the installation failed: " + e.getMessage()
                    + "; correct the cause and run the same command again");
        }
    }

    // ---- step 1: every input, nothing written ----

    private Plan plan(ProvisionRequest r) throws ProvisionException {
        BoardProfile board;
        try {
            board = BoardProfiles.resolve(r.board());
        } catch (BoardProfileException e) {
            throw ProvisionException.badInput("--board: " + e.getMessage());
        }
        Path configFile = r.config().orElse(board.paths().configDir().resolve(ProvisionFiles.CONFIG)).toAbsolutePath().normalize();
        Path configDir = configFile.getParent();
        KeyStoreSettings keyStore = keyStore(r, board, configDir);

        String anchorText = readText(r.trustAnchor(), "--trust-anchor");
        TrustAnchor anchor = switch (TrustAnchorParser.parse(r.trustAnchor().toString(), anchorText)) {
            case TrustAnchorResult.Read read -> read.anchor();
            case TrustAnchorResult.Invalid i -> throw ProvisionException.badInput("--trust-anchor: " + i.message());
        };
        String chainId = r.chainId().orElse(anchor.chainId());
        Optional<TrustAnchorResult.Invalid> unusable = TrustAnchorParser.checkUsable(anchor, chainId, clock.instant());
        if (unusable.isPresent()) {
            throw ProvisionException.badInput("--trust-anchor: " + unusable.get().message());
        }

        URI broker = broker(r.mqtt());
        boolean tls = "ssl".equals(broker.getScheme());
        if (!tls && (r.brokerCa().isPresent() || r.ca().isPresent() || r.certificate().isPresent())) {
            throw ProvisionException.badInput("--mqtt " + r.mqtt() + ": certificates (--broker-ca, --ca, --certificate) are for "
                    + "mutual TLS; use ssl://HOST:PORT or leave them out");
        }
        if (tls && r.brokerCa().isEmpty()) {
            throw ProvisionException.badInput("--broker-ca: expected the authority (PEM) the broker's certificate chains to, "
                    + "needed for " + r.mqtt());
        }
        if (r.ca().isPresent() && r.certificate().isPresent()) {
            throw ProvisionException.badInput("--ca and --certificate: expected one of them, actual both");
        }
        Optional<CertificateAuthority> ca = r.ca().isEmpty() ? Optional.empty() : Optional.of(authority(r.ca().get()));
        Optional<X509Certificate> certificate = r.certificate().isEmpty() ? Optional.empty()
                : Optional.of(certificate(r.certificate().get(), "--certificate"));
        Optional<X509Certificate> brokerCa = r.brokerCa().isEmpty() ? Optional.empty()
                : Optional.of(certificate(r.brokerCa().get(), "--broker-ca"));
        if (ca.isPresent() && !ca.get().validity().contains(r.certificateValidity())) {
            throw ProvisionException.badInput("--cert-days: the certificate would outlive the authority in " + r.ca().get()
                    + " (valid until " + ca.get().validity().notAfter() + ")");
        }
        if (ca.isPresent() && brokerCa.isPresent()) {
            // --check wants the device certificate to chain to broker_ca; refuse now what it would fail.
            Optional<String> chain = DeviceCertificates.isIssuedBy(ca.get().certificate(), brokerCa.get());
            if (chain.isPresent()) {
                throw ProvisionException.badInput("--ca " + r.ca().get() + ": its certificates would not chain to --broker-ca: "
                        + chain.get());
            }
        }
        if (certificate.isPresent() && brokerCa.isPresent()) {
            Optional<String> chain = DeviceCertificates.isIssuedBy(certificate.get(), brokerCa.get());
            if (chain.isPresent()) {
                throw ProvisionException.badInput("--certificate " + r.certificate().get() + ": does not chain to --broker-ca: "
                        + chain.get());
            }
        }
        Optional<String> invalid = certificate.flatMap(c -> DeviceCertificates.isValidAt(c, clock.instant()));
        if (invalid.isPresent()) {
            throw ProvisionException.badInput("--certificate " + r.certificate().get() + ": " + invalid.get());
        }
        Path dataDir = r.dataDir().orElse(board.paths().dataDir()).toAbsolutePath().normalize();
        Optional<DeviceConfig.Ota> existingOta = existingOta(configFile);
        Optional<DeviceConfig.Ota> ota = r.otaRoot().isEmpty() ? existingOta : Optional.of(otaSection(r, existingOta));
        Optional<OtaTrust> otaTrust = r.otaRoot().isEmpty() ? Optional.empty()
                : Optional.of(otaTrust(r, new TrustStore(ota.orElseThrow().stateDir(dataDir))));
        Plan plan = new Plan(board, configFile, configDir, keyStore, anchor, anchorText, ca, certificate, brokerCa, broker, dataDir, ota,
                otaTrust);
        // The configuration is checked by its own parser before anything is written: a location too
        // long or a bad meter serial is refused now, not after a key was made.
        DeviceConfig draft = config(r, plan, DeviceId.of(new byte[DeviceId.LENGTH]));
        if (DeviceConfigParser.parse(configFile.toString(), DeviceConfigWriter.write(draft)) instanceof ConfigParseResult.Invalid i) {
            throw ProvisionException.badInput(i.problems().stream().map(ConfigProblem::message).collect(Collectors.joining("\n")));
        }
        return plan;
    }

    /**
     * The update section an earlier provisioning wrote: kept when this run names no release root,
     * so re-provisioning (a new certificate, say) does not quietly stop updates.
     */
    private static Optional<DeviceConfig.Ota> existingOta(Path configFile) {
        try {
            return DeviceConfigParser.parse(configFile.toString(), Files.readString(configFile, StandardCharsets.UTF_8))
                    instanceof ConfigParseResult.Parsed p ? p.config().ota() : Optional.empty();
        } catch (IOException | RuntimeException e) {
            // No configuration yet, or one the identity step reports.
            return Optional.empty();
        }
    }

    /** The section with --ota-version, or the existing section's release when the option is left out. */
    private static DeviceConfig.Ota otaSection(ProvisionRequest r, Optional<DeviceConfig.Ota> existing) throws ProvisionException {
        if (r.otaVersion().isPresent()) {
            long version = r.otaVersion().get();
            if (version < 1) {
                throw ProvisionException.badInput("--ota-version: expected the release number (1 or more) of the system image the "
                        + "device runs, actual " + version);
            }
            return existing.map(o -> o.withProvisionedVersion(version)).orElse(DeviceConfig.Ota.of(version));
        }
        return existing.orElseThrow(() -> ProvisionException.badInput("--ota-version: expected the release number of the system "
                + "image the device runs (the update floor), needed with --ota-root; actual nothing"));
    }

    /**
     * Checks the release root as {@link TrustStore#provision} will (it must be signed by a threshold
     * of its own keys), and what the trust file holds now: another root, or a damaged file, is
     * replaced only with --ota-replace-trust, since that forgets the rotations and the last targets
     * that keep the device from being rolled back (docs/ota.md, "Trust store").
     */
    private static OtaTrust otaTrust(ProvisionRequest r, TrustStore store) throws ProvisionException {
        Path file = r.otaRoot().orElseThrow();
        byte[] signed;
        try {
            if (Files.size(file) > MAX_ROOT_BYTES) {
                throw ProvisionException.badInput("--ota-root: expected a signed root of at most " + MAX_ROOT_BYTES + " bytes, actual "
                        + Files.size(file) + " bytes in " + file);
            }
            signed = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw ProvisionException.badInput("--ota-root: expected a file at " + file + ", found none");
        } catch (IOException e) {
            throw ProvisionException.badInput("--ota-root: cannot read " + file + ": " + e.getMessage());
        }
        TrustedRoot root = switch (TrustedRoot.provision(signed)) {
            case Verdict.Refused<TrustedRoot> refused -> throw ProvisionException.badInput("--ota-root " + file + ": "
                    + refused.refusal().message());
            case Verdict.Accepted<TrustedRoot> accepted -> accepted.value();
        };
        String replace = "; provisioning it again forgets the rotations and last targets it holds, which keep older releases out. "
                + "Leave --ota-root out to keep it, or add --ota-replace-trust to replace it";
        boolean keep = switch (store.load()) {
            case TrustStore.State.Empty e -> false;
            case TrustStore.State.Trusted t when java.util.Arrays.equals(t.root().signed(), signed) -> !r.otaReplaceTrust();
            case TrustStore.State.Trusted t -> {
                if (!r.otaReplaceTrust()) {
                    throw ProvisionException.refused(store.file() + " already trusts release root version " + t.root().version()
                            + " (last targets version " + t.last().version() + "), not " + file + replace);
                }
                yield false;
            }
            case TrustStore.State.Corrupt c -> {
                if (!r.otaReplaceTrust()) {
                    throw ProvisionException.refused(store.file() + " is damaged (" + c.reason() + ")" + replace);
                }
                yield false;
            }
        };
        return new OtaTrust(store.file(), signed, root, keep, r.otaReplaceTrust());
    }

    private static KeyStoreSettings keyStore(ProvisionRequest r, BoardProfile board, Path configDir) throws ProvisionException {
        String kind = r.keyStore().orElse(board.keyStore().fileName()).toLowerCase(Locale.ROOT);
        return switch (kind) {
            case "software" -> new SoftwareStore(r.keyDir().orElse(board.paths().keyDir()).toAbsolutePath().normalize(),
                    r.secretFile().orElse(configDir.resolve(ProvisionFiles.KEY_SECRET)).toAbsolutePath().normalize());
            case "pkcs11" -> {
                if (r.pkcs11Library().isEmpty() || r.tokenLabel().isEmpty() || r.pinFile().isEmpty()) {
                    throw ProvisionException.badInput("--key-store pkcs11: needs --pkcs11-library, --token-label and --pin-file");
                }
                yield new Pkcs11Store(r.pkcs11Library().get().toAbsolutePath().normalize(), r.tokenLabel().get(), r.keyLabel(),
                        r.pinFile().get().toAbsolutePath().normalize());
            }
            case "atecc608" -> {
                if (board.secureElement().isEmpty()) {
                    throw ProvisionException.badInput("--key-store atecc608: board '" + board.name()
                            + "' has no secure_element (I2C bus and address); use a board profile that names one");
                }
                if (r.slot() < 0 || r.slot() > 15) {
                    throw ProvisionException.badInput("--slot: expected 0..15, actual " + r.slot());
                }
                yield new Atecc608Store(r.slot());
            }
            default -> throw ProvisionException.badInput("--key-store: expected software, pkcs11 or atecc608, actual '" + kind + "'");
        };
    }

    private static URI broker(String mqtt) throws ProvisionException {
        try {
            URI uri = new URI(mqtt.strip());
            if (("tcp".equals(uri.getScheme()) || "ssl".equals(uri.getScheme())) && uri.getHost() != null && uri.getPort() > 0) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw ProvisionException.badInput("--mqtt: expected tcp://HOST:PORT or ssl://HOST:PORT, actual '" + mqtt + "'");
    }

    private static CertificateAuthority authority(String ca) throws ProvisionException {
        String lower = ca.toLowerCase(Locale.ROOT);
        if (lower.startsWith("https://") || lower.startsWith("http://")) {
            // No enrolment protocol is implemented (EST, RFC 7030, would be the candidate): a URL is
            // refused rather than half supported. Without --ca the request is left for the operator.
            throw ProvisionException.badInput("--ca " + ca + ": online enrolment is not supported; leave --ca out, send the "
                    + "request provisioning writes (" + ProvisionFiles.CSR + ") to the authority, then run again with --certificate FILE");
        }
        try {
            return CertificateAuthority.open(Path.of(ca));
        } catch (KeyStoreFailure | RuntimeException e) {
            throw ProvisionException.badInput("--ca " + ca + ": expected a folder made by 'meter-agent ca init': " + e.getMessage());
        }
    }

    private static X509Certificate certificate(Path file, String option) throws ProvisionException {
        String text = readText(file, option);
        try {
            return DeviceCertificates.read(file.toString(), text);
        } catch (IllegalArgumentException e) {
            throw ProvisionException.badInput(option + ": " + e.getMessage());
        }
    }

    private static String readText(Path file, String option) throws ProvisionException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw ProvisionException.badInput(option + ": expected a file at " + file + ", found none");
        } catch (IOException | RuntimeException e) {
            throw ProvisionException.badInput(option + ": cannot read " + file + ": " + e.getMessage());
        }
    }

    private DeviceConfig config(ProvisionRequest r, Plan p, DeviceId id) {
        boolean tls = "ssl".equals(p.broker().getScheme());
        // A profile file is recorded by its absolute path: the daemon's working folder is not the technician's.
        String board = YamlSources.namesAFile(r.board().strip()) ? Path.of(r.board().strip()).toAbsolutePath().normalize().toString()
                : r.board().strip();
        return new DeviceConfig(p.configFile().toString(), board, id, r.location(), p.keyStore(),
                new DeviceConfig.Mqtt(p.broker(),
                        tls ? Optional.of(p.configDir().resolve(ProvisionFiles.DEVICE_CERT)) : Optional.empty(),
                        tls ? Optional.of(p.configDir().resolve(ProvisionFiles.BROKER_CA)) : Optional.empty()),
                new DeviceConfig.Ledger(p.anchor().chainId(), Optional.of(p.configDir().resolve(ProvisionFiles.TRUST_ANCHOR))),
                new DeviceConfig.MeterOverrides(r.meterModel(), r.meterUnit(), r.meterSerial()),
                Optional.empty(), r.dataDir().isPresent() ? Optional.of(p.dataDir()) : Optional.empty(),
                AgentConfig.DEFAULT_OUTBOX_BUDGET_BYTES, DeviceConfig.Telemetry.DEFAULT).withOta(p.ota());
    }

    // ---- step 2: whose identity ----

    /**
     * @param keep the store's key is the device's key and stays
     * @param replaces the identity a forced run replaces
     */
    private record Identity(boolean keep, Optional<DeviceId> replaces) {}

    private Identity identity(ProvisionRequest r, Plan p, DeviceKeyStores stores) throws ProvisionException {
        Optional<DeviceId> configured = Optional.empty();
        boolean configExists = Files.exists(p.configFile());
        if (configExists) {
            String text = readText(p.configFile(), "--config");
            switch (DeviceConfigParser.parse(p.configFile().toString(), text)) {
                case ConfigParseResult.Parsed parsed -> configured = Optional.of(parsed.config().deviceId());
                case ConfigParseResult.Invalid i -> {
                    if (!r.forceNewIdentity()) {
                        throw ProvisionException.refused("an installation exists at " + p.configFile() + " but does not parse ("
                                + i.problems().getFirst().message() + "); correct it, or replace the device's identity with "
                                + "--force-new-identity");
                    }
                }
            }
        }
        Optional<DeviceId> stored;
        try {
            stored = stores.existing(p.keyStore());
        } catch (KeyStoreFailure | RuntimeException e) {
            throw ProvisionException.refused("cannot reach the " + p.keyStore().kind() + " key store: " + e.getMessage());
        }
        String force = "; to replace the identity (the old one is gone for the ledger) add --force-new-identity and confirm it";
        if (r.forceNewIdentity()) {
            if (stored.isPresent() && p.keyStore() instanceof Pkcs11Store) {
                throw ProvisionException.refused("--force-new-identity: the token already holds device " + stored.get().hex()
                        + " under key label '" + ((Pkcs11Store) p.keyStore()).keyLabel() + "'; a token key is never replaced by the agent: "
                        + "delete it on the token first (pkcs11-tool --delete-object) or use another --key-label");
            }
            Optional<DeviceId> old = configured.or(() -> stored);
            if (old.isEmpty() && !configExists) {
                throw ProvisionException.refused("--force-new-identity: there is no identity to replace (no configuration at "
                        + p.configFile() + ", no key in the store); run without it");
            }
            if (r.certificate().isPresent()) {
                throw ProvisionException.badInput("--certificate: a new key has no certificate yet; provision without it, have the "
                        + "request certified, then run again with --certificate");
            }
            return new Identity(false, Optional.of(old.orElse(DeviceId.of(new byte[DeviceId.LENGTH]))));
        }
        if (configured.isPresent() && stored.isPresent()) {
            if (configured.get().equals(stored.get())) {
                return new Identity(true, Optional.empty());
            }
            throw ProvisionException.refused(p.configFile() + " names device " + configured.get().hex() + " but the "
                    + p.keyStore().kind() + " store holds device " + stored.get().hex() + force);
        }
        if (configured.isPresent()) {
            throw ProvisionException.refused(p.configFile() + " names device " + configured.get().hex() + " but the "
                    + p.keyStore().kind() + " store holds no key (a different store, or the key was lost)" + force);
        }
        if (stored.isPresent()) {
            if (r.useExistingKey()) {
                return new Identity(true, Optional.empty());
            }
            throw ProvisionException.refused("the " + p.keyStore().kind() + " store already holds device " + stored.get().hex()
                    + " and no configuration names it; to provision with that key add --use-existing-key" + force);
        }
        if (r.certificate().isPresent()) {
            throw ProvisionException.badInput("--certificate: the store holds no key yet, so no certificate can be for it; provision "
                    + "without --certificate, have the request certified, then run again with --certificate");
        }
        return new Identity(false, Optional.empty());
    }

    // ---- step 3: install ----

    private Outcome install(ProvisionRequest r, Plan p, DeviceKeyStores stores, Identity identity)
            throws ProvisionException, IOException {
        InstallFiles.createPrivateDirectories(p.configDir());
        try (DeviceKey key = key(r, p, stores, identity)) {
            if (p.certificate().isPresent()) {
                Optional<String> mismatch = DeviceCertificates.holdsKeyOf(p.certificate().get(), key.deviceId());
                if (mismatch.isPresent()) {
                    throw ProvisionException.badInput("--certificate " + r.certificate().get() + ": " + mismatch.get()
                            + "; nothing was changed");
                }
            }
            PKCS10CertificationRequest request;
            try {
                request = CertificationRequests.create(key, CsrSubject.deviceIdOnly());
            } catch (KeyStoreFailure e) {
                throw ProvisionException.refused("signing the certification request with the device key failed: " + e.getMessage());
            }
            Path csr = p.configDir().resolve(ProvisionFiles.CSR);
            InstallFiles.writeAtomically(csr, CertificationRequests.toPem(request).getBytes(StandardCharsets.US_ASCII));
            out.println("[csr] wrote the certification request to " + csr);

            certificate(r, p, key, request);

            Path anchorFile = p.configDir().resolve(ProvisionFiles.TRUST_ANCHOR);
            InstallFiles.writeAtomically(anchorFile, p.anchorText().getBytes(StandardCharsets.UTF_8));
            out.println("[trust anchor] installed " + anchorFile + ": height " + p.anchor().height() + " of " + p.anchor().chainId()
                    + ", trusted until " + p.anchor().expiresAt());

            InstallFiles.createPrivateDirectories(p.dataDir());
            out.println("[data] " + p.dataDir() + " ready");

            if (p.otaTrust().isPresent()) {
                otaTrust(p.otaTrust().get());
            }

            DeviceConfig config = config(r, p, key.deviceId());
            InstallFiles.writeAtomically(p.configFile(), DeviceConfigWriter.write(config).getBytes(StandardCharsets.UTF_8));
            out.println("[config] wrote " + p.configFile() + " (" + DeviceConfig.SCHEMA + ", mode 0600)");

            DeviceLabel label = new DeviceLabel(key.deviceId(), key.algorithm(), DeviceLabel.fingerprint(key.publicKeyInfo()),
                    p.board().name(), r.location());
            if (r.labelOut().isPresent()) {
                Files.writeString(r.labelOut().get(), String.join("\n", label.lines()) + "\n", StandardCharsets.UTF_8);
            }
            return new Outcome(config, p.configFile(), p.dataDir(), label, !identity.keep());
        } catch (KeyStoreFailure e) {
            throw ProvisionException.refused("the " + p.keyStore().kind() + " key store: " + e.getMessage());
        }
    }

    private void otaTrust(OtaTrust t) throws IOException, ProvisionException {
        TrustedRoot root = t.root();
        if (t.keep()) {
            out.println("[ota] kept " + t.file() + ": it trusts this release root already (version " + root.version() + ")");
            return;
        }
        InstallFiles.createPrivateDirectories(t.file().getParent());
        if (new TrustStore(t.file().getParent()).provision(t.signedRoot(), t.replace()) instanceof Verdict.Refused<TrustedRoot> refused) {
            // Checked in the plan already; only a file changed since then ends here.
            throw ProvisionException.badInput("--ota-root: " + refused.refusal().message());
        }
        out.println("[ota] installed release root version " + root.version() + " (" + root.threshold() + " of " + root.keys().size()
                + " release keys must sign) in " + t.file() + (t.replace() ? ", replacing the trust that was there" : ""));
    }

    private DeviceKey key(ProvisionRequest r, Plan p, DeviceKeyStores stores, Identity identity) throws KeyStoreFailure, IOException {
        if (identity.keep()) {
            DeviceKey key = stores.open(p.keyStore());
            out.println("[key] kept device " + key.deviceId().hex() + " in the " + p.keyStore().kind() + " store");
            return key;
        }
        boolean replace = identity.replaces().isPresent();
        DeviceKey key = stores.create(p.keyStore(), r.algorithm(), replace);
        out.println("[key] created device " + key.deviceId().hex() + " (" + key.algorithm() + ") inside the "
                + p.keyStore().kind() + " store" + (replace ? ", replacing device " + identity.replaces().get().hex() : ""));
        return key;
    }

    private void certificate(ProvisionRequest r, Plan p, DeviceKey key, PKCS10CertificationRequest request)
            throws IOException, ProvisionException {
        if (!"ssl".equals(p.broker().getScheme())) {
            out.println("[certificate] none: " + p.broker() + " is not TLS");
            return;
        }
        Path brokerCa = p.configDir().resolve(ProvisionFiles.BROKER_CA);
        InstallFiles.writeAtomically(brokerCa, Certificates.toPem(p.brokerCa().orElseThrow()).getBytes(StandardCharsets.US_ASCII));
        out.println("[broker ca] installed " + brokerCa);
        Path certFile = p.configDir().resolve(ProvisionFiles.DEVICE_CERT);
        X509Certificate certificate;
        if (p.ca().isPresent()) {
            try {
                certificate = p.ca().get().issueDevice(request, r.certificateValidity());
            } catch (KeyStoreFailure e) {
                throw ProvisionException.refused("--ca: the authority refused the request: " + e.getMessage());
            }
        } else if (p.certificate().isPresent()) {
            certificate = p.certificate().get();
        } else {
            if (Files.exists(certFile)) {
                Optional<X509Certificate> installed;
                try {
                    installed = Optional.of(DeviceCertificates.read(certFile.toString(), Files.readString(certFile, StandardCharsets.ISO_8859_1)));
                } catch (IllegalArgumentException e) {
                    installed = Optional.empty();
                }
                if (installed.isPresent() && DeviceCertificates.holdsKeyOf(installed.get(), key.deviceId()).isEmpty()) {
                    out.println("[certificate] kept " + certFile + " (it certifies this key)");
                    return;
                }
                out.println("[certificate] " + certFile + " does not certify this key: it is of no use to this device any more");
            }
            out.println("[certificate] not installed: send " + p.configDir().resolve(ProvisionFiles.CSR)
                    + " to the fleet's authority, then run this command again with --certificate FILE");
            return;
        }
        InstallFiles.writeAtomically(certFile, Certificates.toPem(certificate).getBytes(StandardCharsets.US_ASCII));
        out.println("[certificate] installed " + certFile + " (issuer " + certificate.getIssuerX500Principal().getName()
                + ", valid until " + certificate.getNotAfter().toInstant() + ")");
    }
}
