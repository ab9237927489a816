package io.wattproof.agent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wattproof.agent.board.BoardProfileException;
import io.wattproof.agent.board.BoardProfiles;
import io.wattproof.agent.provision.CheckResult;
import io.wattproof.agent.provision.InstallationCheck;
import io.wattproof.agent.provision.ProvisionException;
import io.wattproof.agent.provision.ProvisionFiles;
import io.wattproof.agent.provision.ProvisionRequest;
import io.wattproof.agent.provision.Provisioning;
import io.wattproof.agent.provision.ServiceOwnership;
import io.wattproof.agent.board.BoardProfile;
import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.KeyAlgorithm;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileSystems;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bin/meter-agent provision}: the technician's one command on site (docs/provisioning.md),
 * and {@code provision --check}, which says what is wrong with an installation.
 */
@Command(name = "provision", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Provisions this device in one step: creates the device key inside its store, writes the "
                + "certification request (and installs the certificate from --ca or --certificate), installs the broker "
                + "authority and the ledger trust anchor (and with --ota-root the update trust), writes the configuration "
                + "(0600, written whole) and prints a label "
                + "with a QR code. Defaults come from the board profile. Every input is checked before anything is written.",
            "",
            "An existing identity (a configuration naming a device id, or a key already in the store) is never replaced: "
                + "re-running with the same key updates the configuration and keeps the key. --force-new-identity replaces "
                + "it after confirmation: on a terminal type the first 8 characters of the old device id; without a "
                + "terminal add --yes.",
            "",
            "--check verifies an installation instead and lists each check with OK or FAIL and what to do.",
            "",
            "Exit codes: 0 done (--check: all passed); 1 refused, or a check failed; 2 bad option or input file, "
                + "nothing written. Procedure: docs/provisioning.md"})
final class ProvisionCommand implements Callable<Integer> {
    /** Reads a line from the technician, or empty without a terminal. Tests put a scripted one here. */
    @FunctionalInterface
    interface Terminal {
        Optional<String> readLine(String prompt);
    }

    static Terminal terminal = prompt -> {
        Console console = System.console();
        return console == null || !isTerminal(console) ? Optional.empty() : Optional.ofNullable(console.readLine("%s", prompt));
    };

    /**
     * From JDK 22 on, {@code System.console()} answers a console also when the standard streams are
     * redirected, and {@code Console.isTerminal()} tells the difference (JDK-8308591); up to 21 a
     * console exists only on a terminal. The build targets 21, so the method is looked up.
     */
    private static boolean isTerminal(Console console) {
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    @Option(names = "--check", description = "verify the installation named by --config (or the board's) instead of provisioning")
    boolean check;

    @Option(names = "--json", description = "--check: print the checks as JSON")
    boolean json;

    @Option(names = "--board", paramLabel = "NAME|FILE", description = "board profile: a built-in name (meter-agent boards) or a .yaml file")
    String board;

    @Option(names = "--config", paramLabel = "FILE",
            description = "the configuration to write or check (default: the board's config_dir/agent.yaml, /etc/wattproof/agent.yaml)")
    Path config;

    @Option(names = "--key-store", paramLabel = "software|pkcs11|atecc608", description = "where the key lives (default: the board's key_store)")
    String keyStore;

    @Option(names = "--dir", paramLabel = "DIR", description = "software: the key folder (default: the board's key_dir)")
    Path dir;

    @Option(names = "--secret-file", paramLabel = "FILE",
            description = "software: the store's encryption secret, created 0600 if absent (default: config folder/" + ProvisionFiles.KEY_SECRET + ")")
    Path secretFile;

    @CommandLine.Mixin
    KeysCommand.TokenOptions token = new KeysCommand.TokenOptions();

    @Option(names = "--slot", paramLabel = "N", description = "atecc608: the key slot 0..15 (default: ${DEFAULT-VALUE}); "
            + "bus and address are the board's secure_element")
    int slot = 0;

    @Option(names = "--alg", paramLabel = "p256|ed25519|sm2", description = "algorithm of a new key (default: ${DEFAULT-VALUE}; "
            + "tokens and the atecc608 make p256 only)")
    String algorithm = "p256";

    @Option(names = "--location", paramLabel = "TEXT", description = "where the meter is, for owners and the label, e.g. \"Garage\"")
    String location;

    @Option(names = "--mqtt", paramLabel = "URI", description = "broker: tcp://HOST:PORT, or ssl://HOST:PORT for mutual TLS")
    String mqtt;

    @Option(names = "--broker-ca", paramLabel = "FILE", description = "ssl://: the authority (PEM) the broker's certificate chains to; installed")
    Path brokerCa;

    @Option(names = "--ca", paramLabel = "DIR",
            description = "ssl://: a certificate authority folder (meter-agent ca init) that issues the device certificate now (lab). "
                    + "Online enrolment (a URL) is not supported: without --ca or --certificate the request is left for the operator")
    String ca;

    @Option(names = "--certificate", paramLabel = "FILE",
            description = "ssl://: the certificate the operator issued for this device's request; checked (this key, valid, chains to --broker-ca) and installed")
    Path certificate;

    @Option(names = "--cert-days", paramLabel = "N", description = "--ca: validity of the issued certificate in days (default: ${DEFAULT-VALUE})")
    int certDays = 365;

    @Option(names = "--trust-anchor", paramLabel = "FILE", description = "the ledger trust anchor (" + io.wattproof.agent.provision.TrustAnchor.SCHEMA
            + ", from the ledger operator); checked and installed")
    Path trustAnchor;

    @Option(names = "--chain-id", paramLabel = "ID", description = "the ledger's chain id (default: the trust anchor's; must equal it)")
    String chainId;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "durable state (default: the board's data_dir)")
    Path dataDir;

    @Option(names = "--meter-model", paramLabel = "NAME|FILE", description = "override the board's meter model")
    String meterModel;

    @Option(names = "--unit", paramLabel = "ID", description = "override the board's Modbus unit id, 1..247")
    Integer unit;

    @Option(names = "--meter-serial", paramLabel = "SERIAL", description = "the meter's serial number, recorded in each reading")
    String meterSerial;

    @Option(names = "--ota-root", paramLabel = "FILE", description = "signed updates through RAUC: the fleet's release root "
            + "('meter-agent ota root'); checked (signed by its own threshold) and installed as the update trust "
            + "<data dir>/ota/ota-trust.bin; writes the configuration's ota section")
    Path otaRoot;

    @Option(names = "--ota-version", paramLabel = "N", description = "with --ota-root: the release number of the system image the "
            + "device runs now; nothing at or below it is ever installed (default: the existing ota section's)")
    Long otaVersion;

    @Option(names = "--ota-replace-trust", description = "with --ota-root: replace an update trust file that holds another root or "
            + "is damaged (forgets its root rotations and last targets)")
    boolean otaReplaceTrust;

    @Option(names = "--label-out", paramLabel = "FILE", description = "also write the label (text and QR code) to FILE")
    Path labelOut;

    @Option(names = "--service-user", paramLabel = "USER",
            description = "make USER own the agent's files afterwards (configuration, certificates, trust anchor, key folder, "
                    + "secret or PIN file, data folder), so the service can read its own key; default: "
                    + ServiceOwnership.PACKAGE_USER + " when run as root and that user exists; \"\" for nobody")
    String serviceUser;

    @Option(names = "--use-existing-key", description = "provision with the key the store already holds although no configuration names it")
    boolean useExistingKey;

    @Option(names = "--force-new-identity", description = "replace the device's identity: a new key (a software key is moved aside, "
            + "an atecc608 slot is overwritten); needs confirmation")
    boolean forceNewIdentity;

    @Option(names = "--yes", description = "confirm --force-new-identity without a terminal (scripts)")
    boolean yes;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        return check ? check() : provision();
    }

    private int check() {
        CommandLine cli = spec.commandLine();
        Path file = config;
        if (file == null) {
            file = board == null ? Path.of(BoardProfile.DataPaths.DEFAULT_CONFIG_DIR, ProvisionFiles.CONFIG) : boardConfig(cli);
        }
        List<CheckResult> results = InstallationCheck.run(file, KeysCommand.atecc608Chips::open, Clock.systemUTC());
        long failed = results.stream().filter(r -> !r.ok()).count();
        PrintWriter out = cli.getOut();
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode root = mapper.createObjectNode();
            root.put("config", file.toString());
            root.put("ok", failed == 0);
            ArrayNode checks = root.putArray("checks");
            for (CheckResult r : results) {
                ObjectNode c = checks.addObject();
                c.put("name", r.name());
                c.put("ok", r.ok());
                c.put("detail", r.detail());
                if (!r.ok()) {
                    c.put("remedy", r.remedy());
                }
            }
            out.println(root.toPrettyString());
        } else {
            for (CheckResult r : results) {
                out.println((r.ok() ? "OK   " : "FAIL ") + r.name() + ": " + r.detail());
                if (!r.ok()) {
                    out.println("     do: " + r.remedy());
                }
            }
            out.println(failed == 0 ? "all " + results.size() + " checks passed"
                    : failed + " of " + results.size() + " checks failed");
        }
        out.flush();
        return failed == 0 ? 0 : 1;
    }

    private Path boardConfig(CommandLine cli) {
        try {
            return BoardProfiles.resolve(board).paths().configDir().resolve(ProvisionFiles.CONFIG);
        } catch (BoardProfileException e) {
            throw new ParameterException(cli, "--board: " + e.getMessage());
        }
    }

    private int provision() {
        CommandLine cli = spec.commandLine();
        if (board == null || mqtt == null || trustAnchor == null) {
            throw new ParameterException(cli, "provision: needs --board, --mqtt and --trust-anchor (or --check)");
        }
        if (json) {
            throw new ParameterException(cli, "--json: only with --check");
        }
        if (yes && !forceNewIdentity) {
            throw new ParameterException(cli, "--yes: only confirms --force-new-identity");
        }
        if ((otaVersion != null || otaReplaceTrust) && otaRoot == null) {
            throw new ParameterException(cli, (otaVersion != null ? "--ota-version" : "--ota-replace-trust") + ": only with --ota-root");
        }
        KeyAlgorithm alg;
        try {
            alg = KeyAlgorithm.fromShortName(algorithm);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cli, "--alg: " + e.getMessage());
        }
        ProvisionRequest request = new ProvisionRequest(board, Optional.ofNullable(keyStore), Optional.ofNullable(dir),
                Optional.ofNullable(secretFile), Optional.ofNullable(token.library), Optional.ofNullable(token.tokenLabel), token.keyLabel,
                Optional.ofNullable(token.pinFile), slot, alg, Optional.ofNullable(location), mqtt, Optional.ofNullable(brokerCa),
                Optional.ofNullable(ca), Optional.ofNullable(certificate), CaCommand.validity(cli, "--cert-days", certDays), trustAnchor,
                Optional.ofNullable(chainId), Optional.ofNullable(config), Optional.ofNullable(dataDir), Optional.ofNullable(meterModel),
                Optional.ofNullable(unit), Optional.ofNullable(meterSerial), Optional.ofNullable(labelOut), useExistingKey,
                forceNewIdentity, Optional.ofNullable(otaRoot), Optional.ofNullable(otaVersion), otaReplaceTrust);
        PrintWriter out = cli.getOut();
        Provisioning.Outcome outcome;
        try {
            outcome = new Provisioning(KeysCommand.atecc608Chips::open, Clock.systemUTC(), out).run(request, this::confirm);
        } catch (ProvisionException e) {
            out.flush();
            cli.getErr().println("error: " + e.getMessage());
            return e.kind() == ProvisionException.Kind.BAD_INPUT ? 2 : 1;
        }
        try {
            handOver(out, outcome);
        } catch (IOException | RuntimeException e) {
            out.flush();
            cli.getErr().println("error: provisioned, but handing the files to the service user failed: " + e.getMessage()
                    + "; fix it with chown (docs/packaging.md) or run again with --service-user");
            return 1;
        }
        out.println();
        out.println("provisioned device " + outcome.config().deviceId().hex()
                + (outcome.newIdentity() ? " (new identity)" : " (identity kept)"));
        out.println("configuration: " + outcome.configFile());
        out.println("check it: meter-agent provision --check --config " + outcome.configFile());
        out.println();
        outcome.label().lines().forEach(out::println);
        labelOutNote(out);
        out.flush();
        return 0;
    }

    private void handOver(PrintWriter out, Provisioning.Outcome outcome) throws IOException {
        Optional<UserPrincipal> user = ServiceOwnership.serviceUser(FileSystems.getDefault(), Optional.ofNullable(serviceUser),
                ServiceOwnership.runningAsRoot());
        if (user.isEmpty()) {
            return;
        }
        List<Path> changed = ServiceOwnership.handOver(
                ServiceOwnership.agentFiles(outcome.config(), outcome.configFile(), outcome.dataDir()), user.get());
        out.println("[owner] " + changed.size() + " files and folders now belong to " + user.get().getName()
                + ", the user the service runs as");
    }

    private void labelOutNote(PrintWriter out) {
        if (labelOut != null) {
            out.println("label written to " + labelOut);
        }
    }

    /** --force-new-identity: --yes, or the old id's first 8 characters typed on the terminal. */
    private boolean confirm(DeviceId old) {
        PrintWriter out = spec.commandLine().getOut();
        if (yes) {
            out.println("--force-new-identity --yes: replacing device " + old.hex());
            return true;
        }
        out.flush();
        Optional<String> typed = terminal.readLine("replace device " + old.hex()
                + "? Its records stop here and the new key is a new device for the ledger.\n"
                + "type the old device id's first 8 characters to confirm: ");
        if (typed.isEmpty()) {
            spec.commandLine().getErr().println("--force-new-identity: no terminal to confirm on; add --yes to confirm in a script");
            return false;
        }
        return typed.get().strip().equalsIgnoreCase(old.hex().substring(0, 8));
    }
}
