package io.wattproof.agent.cli;

import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.KeyStoreFailure;
import io.wattproof.crypto.VerifyingKey;
import io.wattproof.crypto.soft.SoftwareKeyStore;
import io.wattproof.ota.metadata.ImageEntry;
import io.wattproof.ota.metadata.LastTargets;
import io.wattproof.ota.metadata.Refusal;
import io.wattproof.ota.metadata.TargetsCheck;
import io.wattproof.ota.metadata.TrustedRoot;
import io.wattproof.ota.metadata.Verdict;
import io.wattproof.ota.metadata.VerifiedTargets;
import io.wattproof.ota.release.ReleaseSigning;
import io.wattproof.ota.v1.Image;
import io.wattproof.ota.v1.Root;
import io.wattproof.ota.v1.Targets;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bin/meter-agent ota}: the operator's side of signed updates (docs/ota.md, "Release
 * signing"): release keys in software key stores, signed roots and targets, and the device's
 * verdict on them. Exit codes: 0 done or accepted, 1 refused (or a key or file failure), 2 a wrong
 * argument.
 */
@Command(name = "ota", mixinStandardHelpOptions = true,
        description = {"Makes release keys, signs update roots and targets, and checks them as a device would; publishes a release to",
                "the fleet over MQTT, serves its image and follows the devices' update statuses.",
                "",
                "A release key lives in its own folder (a software key store); its secret is DIR/secret unless --secret-file is given.",
                "Exit codes: 0 done or accepted, 1 refused or a key or file failure, 2 a wrong argument.",
                "Typical: ota release-key --dir K1 (and K2, K3); ota root --keys K1 K2 K3 --threshold 2 --version 1 --expires 365d --out root.bin;",
                "ota targets --root root.bin --image app.img --name app --version 7 --board pi4 --expires 30d --keys K1 K2 --out targets.bin;",
                "ota verify --root root.bin --targets targets.bin; or, in one step, ota sign ... --out release-7 (a release folder);",
                "ota publish --broker URI --release release-7 --until-done; ota status --broker URI (docs/ota.md, \"Publishing\")."},
        subcommands = {OtaCommand.ReleaseKey.class, OtaCommand.RootCmd.class, OtaCommand.TargetsCmd.class, OtaCommand.Verify.class,
                OtaPublishing.Sign.class, OtaPublishing.Publish.class, OtaPublishing.Status.class})
final class OtaCommand implements Runnable {
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})([dhms])");

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** "365d", "12h", "30m", "90s": how long from now the metadata stays valid. */
    static Duration duration(CommandLine cli, String option, String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new ParameterException(cli, option + ": expected a positive duration such as 365d, 12h, 30m or 90s, actual '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "d" -> Duration.ofDays(n);
            case "h" -> Duration.ofHours(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofSeconds(n);
        };
    }

    /** A file named by an option, or a usage error naming the option if it is missing. */
    static byte[] read(CommandLine cli, String option, Path file) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ParameterException(cli, option + ": expected an existing file, actual '" + file + "' (not found)");
        }
    }

    /** Signed metadata is written once: a second signing never overwrites the first by accident. */
    static void writeNew(CommandLine cli, Path out, byte[] bytes) throws IOException {
        try {
            Files.write(out, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            throw new ParameterException(cli, "--out: expected a file that does not exist yet, actual '" + out + "' (exists)");
        }
    }

    static TrustedRoot trustedRoot(CommandLine cli, Path file) throws IOException {
        return switch (TrustedRoot.provision(read(cli, "--root", file))) {
            case Verdict.Accepted<TrustedRoot> a -> a.value();
            case Verdict.Refused<TrustedRoot> r -> throw new ParameterException(cli, "--root " + file + ": refused: " + r.refusal().message());
        };
    }

    /** The release keys, one software key store per folder, all opened before anything is signed. */
    static final class KeyFolders {
        @Option(names = "--keys", paramLabel = "DIR", arity = "1..*", required = true,
                description = "release key folders (made by 'ota release-key'); each signs once")
        List<Path> dirs;

        @Option(names = "--secret-file", paramLabel = "FILE",
                description = "the secret of every key folder (default: DIR/secret of each; mode 0600 or 0400)")
        Path secretFile;

        List<DeviceKey> open() throws KeyStoreFailure {
            List<DeviceKey> keys = new ArrayList<>();
            for (Path dir : dirs) {
                keys.add(SoftwareKeyStore.open(dir, secretFile != null ? secretFile : dir.resolve("secret")));
            }
            return keys;
        }
    }

    static void printRoot(PrintWriter out, TrustedRoot root) {
        out.println("root version " + root.version() + ": threshold " + root.threshold() + " of " + root.keys().size()
                + " keys, expires " + root.expires());
        root.keys().forEach((id, key) -> out.println("  key " + id.hex() + " " + key.algorithm()));
    }

    static void printTargets(PrintWriter out, VerifiedTargets targets) {
        out.println("targets version " + targets.version() + " under root version " + targets.rootVersion() + ", expires " + targets.expires());
        for (ImageEntry image : targets.images()) {
            out.println("  image " + image.name() + " version " + image.version() + " for " + String.join(",", image.compatibleBoards())
                    + ": " + image.length() + " bytes, sha256 " + HexFormat.of().formatHex(image.sha256())
                    + ", from version " + image.minFromVersion());
        }
    }

    @Command(name = "release-key", mixinStandardHelpOptions = true,
            description = "Creates a release key in a software key store folder and prints its key id and public key file. "
                    + "Keep the folder offline; its secret file should live on another medium.")
    static final class ReleaseKey implements Callable<Integer> {
        @Option(names = "--dir", paramLabel = "DIR", required = true, description = "the new key's folder (created 0700)")
        Path dir;

        @Option(names = "--secret-file", paramLabel = "FILE",
                description = "the secret that encrypts the key, created if absent (default: DIR/secret)")
        Path secretFile;

        @Option(names = "--alg", paramLabel = "p256|ed25519|sm2", description = "key algorithm (default: ${DEFAULT-VALUE})")
        String algorithm = "ed25519";

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            CommandLine cli = spec.commandLine();
            KeyAlgorithm alg;
            try {
                alg = KeyAlgorithm.fromShortName(algorithm);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(cli, "--alg: " + e.getMessage());
            }
            Path secret = secretFile != null ? secretFile : dir.resolve("secret");
            if (Files.exists(dir.resolve(SoftwareKeyStore.PRIVATE_KEY_FILE)) || Files.exists(dir.resolve(SoftwareKeyStore.PUBLIC_KEY_FILE))) {
                throw new ParameterException(cli, "--dir: expected a folder without a key, actual '" + dir + "' (holds one; a release key is never replaced)");
            }
            if (secret.toAbsolutePath().getParent() != null) {
                Files.createDirectories(secret.toAbsolutePath().getParent());
            }
            SoftwareKeyStore.createSecret(secret);
            try (DeviceKey key = SoftwareKeyStore.create(dir, alg, secret)) {
                PrintWriter out = cli.getOut();
                out.println("key id: " + key.deviceId().hex());
                out.println("algorithm: " + key.algorithm());
                out.println("public key (SubjectPublicKeyInfo PEM): " + dir.resolve(SoftwareKeyStore.PUBLIC_KEY_FILE));
            }
            return 0;
        }
    }

    @Command(name = "root",
            description = "Signs a root listing the given release keys, each of which signs it. For a rotation (version > 1) "
                    + "a threshold of the previous root's keys must sign too: those not listed again go in --signed-by.")
    static final class RootCmd implements Callable<Integer> {
        // No mixinStandardHelpOptions: its --version would take the name the metadata's version needs.
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;

        @CommandLine.Mixin
        KeyFolders keys;

        @Option(names = "--threshold", paramLabel = "N", required = true, description = "how many of the keys must sign")
        int threshold;

        @Option(names = "--version", paramLabel = "V", required = true, description = "1 for the first root; each rotation adds one")
        long version;

        @Option(names = "--expires", paramLabel = "DURATION", required = true, description = "validity from now, e.g. 365d")
        String expires;

        @Option(names = "--signed-by", paramLabel = "DIR", arity = "1..*",
                description = "further key folders that sign but are not listed in the new root (a rotation's outgoing keys)")
        List<Path> outgoing = List.of();

        @Option(names = "--out", paramLabel = "FILE", required = true, description = "the signed root (must not exist)")
        Path out;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            CommandLine cli = spec.commandLine();
            Duration valid = duration(cli, "--expires", expires);
            List<DeviceKey> listed = keys.open();
            List<DeviceKey> signers = new ArrayList<>(listed);
            for (Path dir : outgoing) {
                signers.add(SoftwareKeyStore.open(dir, keys.secretFile != null ? keys.secretFile : dir.resolve("secret")));
            }
            List<VerifyingKey> publicKeys = listed.stream().map(DeviceKey::verifyingKey).toList();
            byte[] signed;
            try {
                Root root = ReleaseSigning.root(publicKeys, threshold, version, Instant.now().plus(valid));
                signed = ReleaseSigning.sign(root, signers);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(cli, e.getMessage());
            }
            writeNew(cli, out, signed);
            // Checked as a device checks a provisioned root, so a mistake shows here and not in the field.
            return switch (TrustedRoot.provision(signed)) {
                case Verdict.Accepted<TrustedRoot> a -> {
                    cli.getOut().println("wrote " + out);
                    printRoot(cli.getOut(), a.value());
                    yield 0;
                }
                case Verdict.Refused<TrustedRoot> r -> refused(cli, "wrote " + out + ", but devices refuse it", r.refusal());
            };
        }
    }

    @Command(name = "targets",
            description = "Signs targets listing one image, made under the given root; each key folder signs once.")
    static final class TargetsCmd implements Callable<Integer> {
        // No mixinStandardHelpOptions: its --version would take the name the metadata's version needs.
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;

        @Option(names = "--root", paramLabel = "FILE", required = true, description = "the signed root the keys belong to")
        Path root;

        @CommandLine.Mixin
        ImageOptions imageOptions;

        @CommandLine.Mixin
        KeyFolders keys;

        @Option(names = "--out", paramLabel = "FILE", required = true, description = "the signed targets (must not exist)")
        Path out;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            CommandLine cli = spec.commandLine();
            Duration valid = duration(cli, "--expires", imageOptions.expires);
            TrustedRoot trusted = trustedRoot(cli, root);
            imageOptions.checkImage(cli);
            List<DeviceKey> signers = keys.open();
            byte[] signed;
            try {
                Targets targets = ReleaseSigning.targets(imageOptions.targetsVersion(), Instant.now().plus(valid), trusted.version(),
                        List.of(imageOptions.entry()));
                signed = ReleaseSigning.sign(targets, signers);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(cli, e.getMessage());
            }
            writeNew(cli, out, signed);
            return switch (TargetsCheck.verify(trusted, signed, Instant.now(), LastTargets.NONE)) {
                case Verdict.Accepted<VerifiedTargets> a -> {
                    cli.getOut().println("wrote " + out);
                    printTargets(cli.getOut(), a.value());
                    yield 0;
                }
                case Verdict.Refused<VerifiedTargets> r -> refused(cli, "wrote " + out + ", but devices refuse it", r.refusal());
            };
        }
    }

    /** The image and targets options that {@code targets} and {@code sign} share. */
    static final class ImageOptions {
        @Option(names = "--image", paramLabel = "FILE", required = true, description = "the image file (its length and SHA-256 are computed)")
        Path image;

        @Option(names = "--name", paramLabel = "NAME", required = true,
                description = "the image's name, 1 to 128 printable ASCII characters, a plain file name")
        String name;

        @Option(names = "--version", paramLabel = "V", required = true, description = "the image's release number, 1 or more")
        long version;

        @Option(names = "--targets-version", paramLabel = "T",
                description = "the targets' own version (default: --version); must grow with every signing, re-signings included")
        Long targetsVersion;

        @Option(names = "--board", paramLabel = "BOARD", arity = "1..*", required = true, description = "boards the image runs on (docs/boards.md)")
        List<String> boards;

        @Option(names = "--min-from", paramLabel = "V", description = "lowest running version that may install it directly (default: ${DEFAULT-VALUE}, any)")
        long minFrom = 0;

        @Option(names = "--expires", paramLabel = "DURATION", required = true, description = "validity from now, e.g. 30d")
        String expires;

        void checkImage(CommandLine cli) {
            if (!Files.isRegularFile(image)) {
                throw new ParameterException(cli, "--image: expected an existing file, actual '" + image + "'");
            }
        }

        long targetsVersion() {
            return targetsVersion != null ? targetsVersion : version;
        }

        /** The image's entry, its length and SHA-256 streamed from the file; a value out of range is an IllegalArgumentException. */
        Image entry() throws IOException {
            return ReleaseSigning.image(image, name, version, boards, minFrom);
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Checks a root, and targets under it, as a device provisioned with that root would (no targets trusted before). "
                    + "Prints what is accepted, or the refusal with its field and the expected and actual values; exit 0 or 1.")
    static final class Verify implements Callable<Integer> {
        @Option(names = "--root", paramLabel = "FILE", required = true, description = "a signed root")
        Path root;

        @Option(names = "--targets", paramLabel = "FILE", description = "signed targets made under that root")
        Path targets;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            CommandLine cli = spec.commandLine();
            byte[] rootBytes = read(cli, "--root", root);
            byte[] targetsBytes = targets == null ? null : read(cli, "--targets", targets);
            Instant now = Instant.now();
            TrustedRoot trusted;
            switch (TrustedRoot.provision(rootBytes)) {
                case Verdict.Refused<TrustedRoot> r -> {
                    return refused(cli, "root " + root + " refused", r.refusal());
                }
                case Verdict.Accepted<TrustedRoot> a -> trusted = a.value();
            }
            printRoot(cli.getOut(), trusted);
            if (trusted.isExpiredAt(now)) {
                return refused(cli, "root " + root + " refused", new Refusal(Refusal.Reason.EXPIRED, "root.expires", "after now " + now,
                        trusted.expires().toString()));
            }
            if (targetsBytes == null) {
                return 0;
            }
            return switch (TargetsCheck.verify(trusted, targetsBytes, now, LastTargets.NONE)) {
                case Verdict.Accepted<VerifiedTargets> a -> {
                    printTargets(cli.getOut(), a.value());
                    yield 0;
                }
                case Verdict.Refused<VerifiedTargets> r -> refused(cli, "targets " + targets + " refused", r.refusal());
            };
        }
    }

    private static int refused(CommandLine cli, String what, Refusal refusal) {
        cli.getErr().println(what + ": " + refusal.message());
        return 1;
    }
}
