package io.wattproof.agent.cli;

import io.wattproof.agent.ota.ReleaseFolder;
import io.wattproof.agent.ota.Rollout;
import io.wattproof.agent.ota.UpdateServer;
import io.wattproof.agent.ota.UpdateServer.DeviceStatus;
import io.wattproof.agent.uplink.MqttUplinkConfig;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.ota.metadata.ImageCheck;
import io.wattproof.ota.metadata.ImageEntry;
import io.wattproof.ota.metadata.LastTargets;
import io.wattproof.ota.metadata.RootUpdate;
import io.wattproof.ota.metadata.TargetsCheck;
import io.wattproof.ota.metadata.TrustedRoot;
import io.wattproof.ota.metadata.Verdict;
import io.wattproof.ota.metadata.VerifiedTargets;
import io.wattproof.ota.release.ReleaseSigning;
import io.wattproof.ota.transport.OtaTopics;
import io.wattproof.ota.v1.Targets;
import io.wattproof.ota.v1.UpdatePhase;
import io.wattproof.ota.v1.UpdateStatus;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ota sign}, {@code ota publish} and {@code ota status}: a release folder signed in one
 * step, sent to the fleet over MQTT 5 with its image served, and the devices' update statuses
 * (docs/ota.md, "Publishing"). Exit codes as the rest of {@link OtaCommand}.
 */
final class OtaPublishing {
    private OtaPublishing() {}

    /**
     * The broker. As for {@code charge}: a {@code tcp://} or {@code ssl://} URI, the latter checked
     * against {@code --broker-ca} (or the JVM's trust store), with the operator's certificate for a
     * broker that requires one (docs/mosquitto.md, "Operators and car owners").
     */
    static final class BrokerOptions {
        @Option(names = "--broker", paramLabel = "URI", required = true,
                description = "MQTT 5 broker, tcp://host:1883 or ssl://host:8883")
        String broker;

        @Mixin
        BrokerTlsOptions tls;

        @Option(names = "--prefix", paramLabel = "P", description = "topic prefix of the fleet (default: ${DEFAULT-VALUE})")
        String prefix = MqttUplinkConfig.DEFAULT_TOPIC_PREFIX;

        @Option(names = "--device", paramLabel = "ID", arity = "1..*",
                description = "device ids (one topic level each, as in <prefix>/devices/<id>/...); repeatable")
        List<String> devices = List.of();

        UpdateServer connect(CommandLine cli, PrintWriter out) throws UpdateServer.ConnectionException {
            UpdateServer.Settings settings;
            try {
                settings = UpdateServer.Settings.of(broker, prefix);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(cli, "--prefix: " + e.getMessage());
            }
            settings = tls.socketFactory(cli, broker).map(settings::withTls).orElse(settings);
            out.println("connecting to " + broker + " (prefix " + prefix + ")");
            out.flush();
            return new UpdateServer(settings, Clock.systemUTC());
        }

        Set<String> devices(CommandLine cli) {
            Set<String> ids = new LinkedHashSet<>();
            for (String d : devices) {
                try {
                    OtaTopics.status(prefix, d);
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(cli, "--device: expected a device id (one topic level without wildcards), actual '" + d + "'");
                }
                ids.add(d);
            }
            return ids;
        }
    }

    @Command(name = "sign",
            description = {"Builds and signs a release in one step: targets listing one image, signed under the newest of the given roots,",
                    "written to a new release folder with a copy of the image and the announcement devices receive; then checks",
                    "the folder as a device trusting the first root would (exit 1 with the refusal if it would refuse it).",
                    "Folder: targets.bin, <name>-<version> (the image), announcement.bin (the targets and every --root after the first)."})
    static final class Sign implements Callable<Integer> {
        // No mixinStandardHelpOptions: its --version would take the name the metadata's version needs.
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;

        @Option(names = "--root", paramLabel = "FILE", arity = "1..*", required = true,
                description = {"signed roots, oldest first: the first is the root devices already trust; each further one a",
                        "rotation (version + 1) that goes into the announcement; the targets are made under the last"})
        List<Path> roots;

        @Mixin
        OtaCommand.ImageOptions imageOptions;

        @Mixin
        OtaCommand.KeyFolders keys;

        @Option(names = "--out", paramLabel = "DIR", required = true, description = "the release folder (must not exist, or be empty)")
        Path out;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            CommandLine cli = spec.commandLine();
            OtaCommand.ImageOptions o = imageOptions;
            Duration valid = OtaCommand.duration(cli, "--expires", o.expires);
            o.checkImage(cli);
            try {
                ReleaseFolder.imageFileName(o.name, o.version);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(cli, "--name: " + e.getMessage());
            }
            Instant now = Instant.now();
            // The device's path: trust the first root as provisioned, then walk the rotations (TUF §5.3).
            TrustedRoot first = OtaCommand.trustedRoot(cli, roots.get(0));
            List<byte[]> newer = new ArrayList<>();
            for (Path r : roots.subList(1, roots.size())) {
                newer.add(OtaCommand.read(cli, "--root", r));
            }
            TrustedRoot signing = switch (RootUpdate.verifyChain(first, newer, now)) {
                case Verdict.Accepted<TrustedRoot> a -> a.value();
                case Verdict.Refused<TrustedRoot> r -> throw new ParameterException(cli, "--root: a device trusting " + roots.get(0)
                        + " refuses the rotation to " + roots.get(roots.size() - 1) + ": " + r.refusal().message());
            };
            List<DeviceKey> signers = keys.open();
            byte[] signed;
            try {
                Targets targets = ReleaseSigning.targets(o.targetsVersion(), now.plus(valid), signing.version(), List.of(o.entry()));
                signed = ReleaseSigning.sign(targets, signers);
                ReleaseFolder.write(out, signed, newer, o.image, o.name, o.version);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(cli, e.getMessage());
            } catch (FileAlreadyExistsException e) {
                throw new ParameterException(cli, "--out: expected a folder that does not exist yet or is empty, actual '" + out + "' ("
                        + (e.getReason() != null ? e.getReason() : "exists") + ")");
            }
            cli.getOut().println("wrote " + out + ": " + ReleaseFolder.TARGETS_FILE + ", " + ReleaseFolder.imageFileName(o.name, o.version)
                    + ", " + ReleaseFolder.ANNOUNCEMENT_FILE + " (" + newer.size() + " newer root(s))");
            return check(cli, out, first, now);
        }

        /** What a device trusting {@code first} does with the folder's announcement and image. */
        private static int check(CommandLine cli, Path out, TrustedRoot first, Instant now) throws Exception {
            ReleaseFolder release;
            try {
                release = ReleaseFolder.read(out);
            } catch (ReleaseFolder.Unusable e) {
                cli.getErr().println("wrote " + out + ", but it cannot be published: " + e.getMessage());
                return 1;
            }
            List<byte[]> roots = release.announcement().getSignedRootsList().stream().map(b -> b.toByteArray()).toList();
            TrustedRoot trusted;
            switch (RootUpdate.verifyChain(first, roots, now)) {
                case Verdict.Refused<TrustedRoot> r -> {
                    cli.getErr().println("wrote " + out + ", but devices refuse its roots: " + r.refusal().message());
                    return 1;
                }
                case Verdict.Accepted<TrustedRoot> a -> trusted = a.value();
            }
            VerifiedTargets targets;
            switch (TargetsCheck.verify(trusted, release.announcement().getSignedTargets().toByteArray(), now, LastTargets.NONE)) {
                case Verdict.Refused<VerifiedTargets> r -> {
                    cli.getErr().println("wrote " + out + ", but devices refuse its targets: " + r.refusal().message());
                    return 1;
                }
                case Verdict.Accepted<VerifiedTargets> a -> targets = a.value();
            }
            for (ImageEntry entry : targets.images()) {
                ImageCheck imageCheck = new ImageCheck(entry);
                try (InputStream in = Files.newInputStream(out.resolve(ReleaseFolder.imageFileName(entry.name(), entry.version())))) {
                    byte[] buf = new byte[64 * 1024];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        imageCheck.feed(buf, 0, n);
                    }
                }
                if (imageCheck.finish() instanceof Verdict.Refused<ImageEntry> r) {
                    cli.getErr().println("wrote " + out + ", but devices refuse its image: " + r.refusal().message());
                    return 1;
                }
            }
            OtaCommand.printTargets(cli.getOut(), targets);
            cli.getOut().println("a device trusting root version " + first.version() + " accepts it (root version " + trusted.version()
                    + " after the rotations)");
            return 0;
        }
    }

    @Command(name = "publish", mixinStandardHelpOptions = true,
            description = {"Publishes a release folder (made by 'ota sign'): the announcement, retained, to the whole fleet or with --device",
                    "to each device's own topic; serves the image's chunks to the devices that ask; prints each device's status as it",
                    "changes (phase, received/length). Ends when every targeted device is UPDATED, ROLLED_BACK or REFUSED",
                    "(--until-done, the default) or when --for has passed, whichever comes first if both are given.",
                    "Targeted: the --device ids, or without them every device that reports a status about this release.",
                    "The announcement stays retained after the end: devices that come later ask for chunks until a publish runs again.",
                    "Exit codes: 0 every targeted device updated, 1 one rolled back or refused, or time ran out (or a broker failure),",
                    "2 a wrong argument."})
    static final class Publish implements Callable<Integer> {
        @Mixin
        BrokerOptions broker;

        @Option(names = "--release", paramLabel = "DIR", required = true, description = "the release folder")
        Path release;

        @Option(names = "--until-done", description = "end once every targeted device is final (the default without --for)")
        boolean untilDone;

        @Option(names = "--for", paramLabel = "DURATION", description = "end after this long, e.g. 30m or 2h")
        String forText;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            CommandLine cli = spec.commandLine();
            PrintWriter out = cli.getOut();
            Duration limit = forText == null ? null : OtaCommand.duration(cli, "--for", forText);
            boolean stopWhenDone = untilDone || limit == null;
            Set<String> devices = broker.devices(cli);
            if (!Files.isDirectory(release)) {
                throw new ParameterException(cli, "--release: expected a release folder (made by ota sign), actual '" + release + "'");
            }
            ReleaseFolder folder;
            try {
                folder = ReleaseFolder.read(release);
            } catch (ReleaseFolder.Unusable e) {
                cli.getErr().println("error: --release " + release + ": " + e.getMessage());
                return 1;
            }
            folder.describe().forEach(out::println);
            BlockingQueue<DeviceStatus> changes = new LinkedBlockingQueue<>();
            try (UpdateServer server = broker.connect(cli, out)) {
                server.onStatus(changes::add);
                folder.serveOn(server);
                Instant since = Instant.now();
                if (devices.isEmpty()) {
                    server.announceToFleet(folder.announcement());
                    out.println("announced to the fleet on " + OtaTopics.fleetAnnouncement(broker.prefix));
                } else {
                    server.announceToDevices(devices, folder.announcement());
                    out.println("announced to " + devices.size() + " device(s)");
                }
                out.flush();
                Rollout rollout = new Rollout(folder.imageVersions(), devices, since);
                Map<String, DeviceStatus> printed = new HashMap<>();
                // Statuses that arrived before the listener was added (the retained ones, right after connecting).
                server.statuses().values().forEach(s -> progress(out, rollout, printed, s));
                long deadline = limit == null ? Long.MAX_VALUE : System.nanoTime() + limit.toNanos();
                Rollout.Summary summary = rollout.summarize(server.statuses());
                while (!(stopWhenDone && summary.finished())) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    DeviceStatus s = changes.poll(Math.min(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
                    if (s != null) {
                        progress(out, rollout, printed, s);
                    }
                    summary = rollout.summarize(server.statuses());
                }
                for (DeviceStatus s; (s = changes.poll()) != null; ) {
                    progress(out, rollout, printed, s);
                }
                UpdateServer.Counters c = server.counters();
                out.println("served " + c.chunks() + " chunk(s), " + c.bytes() + " bytes; " + c.refusedRequests() + " request(s) unanswered");
                summary.outcomes().forEach((d, o) -> out.println("  " + d + " " + o));
                out.println(summary.count(Rollout.Outcome.UPDATED) + " updated, " + summary.count(Rollout.Outcome.ROLLED_BACK) + " rolled back, "
                        + summary.count(Rollout.Outcome.REFUSED) + " refused, " + summary.count(Rollout.Outcome.PENDING) + " pending, of "
                        + summary.outcomes().size() + " device(s)" + (summary.finished() ? "" : " (time ran out)"));
                return summary.allUpdated() ? 0 : 1;
            } catch (UpdateServer.ConnectionException e) {
                cli.getErr().println("error: " + e.getMessage());
                return 1;
            }
        }

        /** One line per status that concerns the release or a targeted device, each status once. */
        private static void progress(PrintWriter out, Rollout rollout, Map<String, DeviceStatus> printed, DeviceStatus s) {
            if (!rollout.concerns(s) && !rollout.targeted().contains(s.deviceId()) || s.equals(printed.put(s.deviceId(), s))) {
                return;
            }
            UpdateStatus st = s.status();
            StringBuilder line = new StringBuilder(s.deviceId()).append(' ').append(phase(st.getPhase()));
            if (st.getPhase() == UpdatePhase.UPDATE_PHASE_DOWNLOADING) {
                line.append(' ').append(st.getReceived()).append('/').append(st.getLength());
            }
            line.append(" target ").append(st.getTargetVersion()).append(" running ").append(st.getRunningVersion());
            if (!st.getDetail().isEmpty()) {
                line.append(": ").append(st.getDetail());
            }
            out.println(line);
            out.flush();
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Reads the devices' retained update statuses and prints a table: device, phase, running version, floor,",
                    "target version, download progress, detail. Statuses are what devices say of themselves (not signed);",
                    "what a device runs is in its signed readings. Exit code 0 (1 a broker failure, 2 a wrong argument)."})
    static final class Status implements Callable<Integer> {
        @Mixin
        BrokerOptions broker;

        @Option(names = "--wait", paramLabel = "DURATION",
                description = "how long to collect statuses (default: ${DEFAULT-VALUE}; with --device, until each has one)")
        String waitText = "2s";

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            CommandLine cli = spec.commandLine();
            Duration wait = OtaCommand.duration(cli, "--wait", waitText);
            Set<String> devices = broker.devices(cli);
            PrintWriter out = cli.getOut();
            try (UpdateServer server = broker.connect(cli, out)) {
                long deadline = System.nanoTime() + wait.toNanos();
                while (System.nanoTime() < deadline && !(!devices.isEmpty() && server.statuses().keySet().containsAll(devices))) {
                    Thread.sleep(50);
                }
                Map<String, DeviceStatus> statuses = server.statuses();
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"DEVICE", "PHASE", "RUNNING", "FLOOR", "TARGET", "PROGRESS", "DETAIL"});
                Set<String> shown = devices.isEmpty() ? statuses.keySet() : devices;
                for (String d : shown) {
                    DeviceStatus s = statuses.get(d);
                    rows.add(s == null ? new String[] {d, "-", "-", "-", "-", "-", "no status"} : row(s));
                }
                table(out, rows);
                out.println(statuses.size() + " device(s) reported" + (devices.isEmpty() ? "" : ", " + devices.size() + " asked for"));
                return 0;
            } catch (UpdateServer.ConnectionException e) {
                cli.getErr().println("error: " + e.getMessage());
                return 1;
            }
        }

        private static String[] row(DeviceStatus s) {
            UpdateStatus st = s.status();
            String progress = st.getPhase() == UpdatePhase.UPDATE_PHASE_DOWNLOADING && st.getLength() > 0
                    ? st.getReceived() + "/" + st.getLength() + " (" + (st.getReceived() * 100 / st.getLength()) + "%)"
                    : "-";
            return new String[] {s.deviceId(), phase(st.getPhase()), Long.toUnsignedString(st.getRunningVersion()),
                    Long.toUnsignedString(st.getFloor()), st.getTargetVersion() == 0 ? "-" : Long.toUnsignedString(st.getTargetVersion()),
                    progress, st.getDetail().isEmpty() ? "-" : st.getDetail()};
        }

        private static void table(PrintWriter out, List<String[]> rows) {
            int[] width = new int[rows.get(0).length];
            for (String[] r : rows) {
                for (int i = 0; i < r.length - 1; i++) {
                    width[i] = Math.max(width[i], r[i].length());
                }
            }
            for (String[] r : rows) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < r.length; i++) {
                    line.append(i < r.length - 1 ? String.format(Locale.ROOT, "%-" + width[i] + "s  ", r[i]) : r[i]);
                }
                out.println(line.toString().stripTrailing());
            }
        }
    }

    /** "DOWNLOADING" for UPDATE_PHASE_DOWNLOADING. */
    static String phase(UpdatePhase p) {
        return p.name().startsWith("UPDATE_PHASE_") ? p.name().substring("UPDATE_PHASE_".length()) : p.name();
    }
}
