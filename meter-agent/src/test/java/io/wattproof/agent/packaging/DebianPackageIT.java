package io.wattproof.agent.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.wattproof.agent.config.ConfigParseResult;
import io.wattproof.agent.config.DeviceConfigParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package that {@code mvn package} builds (target/wattproof-meter-agent_*_all.deb),
 * read with dpkg-deb, the tool dpkg itself unpacks packages with. The maintainer scripts run
 * against a scratch root ({@code DPKG_ROOT}) with stand-ins for the commands that would change
 * this machine's user database or its services; nothing is installed here.
 */
class DebianPackageIT {
    private static final String PACKAGE = "wattproof-meter-agent";
    private static final String UNIT = "lib/systemd/system/wattproof-agent.service";
    private static final String LAUNCHER = "opt/wattproof/bin/meter-agent";

    @TempDir
    static Path scratch;

    static Path deb;
    static Path buildDir;
    static String projectVersion;
    static Path control; // dpkg-deb -e
    static Path data; // dpkg-deb -x

    @BeforeAll
    static void extract() throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/dpkg-deb"))) {
            fail("/usr/bin/dpkg-deb is missing: install it with 'apt-get install dpkg'");
        }
        projectVersion = System.getProperty("wattproof.project.version");
        String dir = System.getProperty("wattproof.build.directory");
        if (projectVersion == null || dir == null) {
            fail("run by Failsafe from meter-agent/pom.xml, which passes wattproof.project.version and wattproof.build.directory");
        }
        buildDir = Path.of(dir);
        deb = buildDir.resolve(PACKAGE + "_" + debianVersion(projectVersion) + "_all.deb");
        if (!Files.isRegularFile(deb)) {
            fail(deb + " is missing: the jdeb execution of the package phase builds it (mvn -pl meter-agent -am verify)");
        }
        control = scratch.resolve("control");
        data = scratch.resolve("data");
        run(List.of("dpkg-deb", "-e", deb.toString(), control.toString())).check();
        run(List.of("dpkg-deb", "-x", deb.toString(), data.toString())).check();
    }

    /** Debian Policy 5.6.12: '~' sorts before anything, so 0.1.0~SNAPSHOT is older than 0.1.0. */
    static String debianVersion(String mavenVersion) {
        return mavenVersion.replace("-SNAPSHOT", "~SNAPSHOT");
    }

    // ---- control fields (dpkg-deb --info) ----

    @Test
    void infoShowsTheControlFields() throws Exception {
        String info = run(List.of("dpkg-deb", "--info", deb.toString())).check().out();
        Map<String, String> fields = controlFields(Files.readString(control.resolve("control")));
        for (String field : List.of("Package", "Version", "Architecture", "Depends", "Maintainer", "Description")) {
            assertTrue(info.contains(" " + field + ": "), "dpkg-deb --info lacks " + field + ":\n" + info);
        }
        assertEquals(PACKAGE, fields.get("Package"));
        assertEquals(debianVersion(projectVersion), fields.get("Version"));
        assertEquals("all", fields.get("Architecture"));
        assertTrue(fields.get("Maintainer").matches("[^<>]+ <[^<>@ ]+@[^<>@ ]+>"), "Maintainer: " + fields.get("Maintainer"));
        String description = fields.get("Description");
        assertTrue(description.lines().count() > 2 && description.lines().findFirst().orElseThrow().length() <= 80,
                "Description: a synopsis of at most 80 characters and an extended description; actual:\n" + description);
        if (projectVersion.endsWith("-SNAPSHOT")) {
            String release = projectVersion.substring(0, projectVersion.length() - "-SNAPSHOT".length());
            assertEquals(0, run(List.of("dpkg", "--compare-versions", fields.get("Version"), "lt", release)).exit(),
                    fields.get("Version") + " must sort before the release " + release);
        }
    }

    @Test
    void dependsOnAJava21RuntimeAsAlternativesAndOnAdduser() throws Exception {
        Map<String, String> fields = controlFields(Files.readString(control.resolve("control")));
        List<List<String>> depends = Arrays.stream(fields.get("Depends").split(","))
                .map(group -> Arrays.stream(group.split("\\|")).map(a -> a.strip().split(" ")[0]).toList())
                .toList();
        List<String> java = depends.stream().filter(g -> g.contains("openjdk-21-jre-headless")).findFirst()
                .orElseThrow(() -> new AssertionError("no Depends group with openjdk-21-jre-headless: " + depends));
        assertTrue(java.size() > 1, "the Java runtime is a list of alternatives: " + java);
        assertTrue(java.contains("java21-runtime-headless"), "any runtime providing Java 21 (virtual package): " + java);
        assertTrue(java.stream().allMatch(p -> p.matches("(default-jre|openjdk-\\d+-jre|temurin-\\d+-(jre|jdk)|java\\d+-runtime).*")),
                "only Java runtimes in the group: " + java);
        assertTrue(fields.get("Depends").contains("default-jre-headless (>= 2:1.21)"), "Debian's default runtime only from 21 on");
        assertTrue(depends.contains(List.of("adduser")), "postinst runs adduser: " + depends);
    }

    // ---- files (dpkg-deb --contents) ----

    @Test
    void contentsListTheAgentUnitConfigurationAndDocsWithTheirModes() throws Exception {
        Map<String, String> modes = contents();
        assertEquals("-rw-r--r-- root/root", modes.get("/" + UNIT));
        assertEquals("-rwxr-xr-x root/root", modes.get("/" + LAUNCHER));
        assertEquals("-rw-r--r-- root/root", modes.get("/etc/wattproof/agent.yaml.example"));
        assertEquals("-rw-r--r-- root/root", modes.get("/usr/share/doc/" + PACKAGE + "/copyright"));
        assertFalse(modes.containsKey("/etc/wattproof/agent.yaml"), "agent.yaml is the device's, written by provisioning");
        modes.forEach((path, mode) -> {
            assertTrue(mode.endsWith(" root/root"), path + " belongs to root in the archive: " + mode);
            assertEquals('-', mode.charAt(5), path + " is not group-writable: " + mode);
            assertEquals('-', mode.charAt(8), path + " is not world-writable: " + mode);
        });
    }

    @Test
    void everyRuntimeJarIsInOptWattproofLib() throws Exception {
        Map<String, String> modes = contents();
        List<String> expected;
        try (Stream<Path> jars = Files.list(buildDir.resolve("lib"))) {
            expected = new ArrayList<>(jars.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).toList());
        }
        expected.add("meter-agent-" + projectVersion + ".jar");
        List<String> packaged = modes.keySet().stream().filter(p -> p.startsWith("/opt/wattproof/lib/"))
                .map(p -> p.substring("/opt/wattproof/lib/".length())).sorted().toList();
        assertEquals(expected.stream().sorted().toList(), packaged);
        packaged.forEach(jar -> assertEquals("-rw-r--r-- root/root", modes.get("/opt/wattproof/lib/" + jar), jar));
    }

    /** Path (without the leading '.') to "mode owner/group", from dpkg-deb --contents (tar tv). */
    private static Map<String, String> contents() throws Exception {
        String listing = run(List.of("dpkg-deb", "--contents", deb.toString())).check().out();
        Map<String, String> modes = new LinkedHashMap<>();
        for (String line : listing.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 6 && f[0].startsWith("-") && f[5].startsWith("./")) {
                modes.put(f[5].substring(1), f[0] + " " + f[1]);
            }
        }
        assertFalse(modes.isEmpty(), "no files in the listing:\n" + listing);
        return modes;
    }

    // ---- configuration ----

    @Test
    void exampleConfigurationIsAConffileAndParses() throws Exception {
        List<String> conffiles = Files.readAllLines(control.resolve("conffiles"));
        assertTrue(conffiles.contains("/etc/wattproof/agent.yaml.example"), "conffiles (Debian Policy 10.7.3): " + conffiles);
        conffiles.forEach(c -> assertTrue(c.startsWith("/etc/"), "a conffile lives under /etc: " + c));
        String example = Files.readString(data.resolve("etc/wattproof/agent.yaml.example"));
        ConfigParseResult parsed = DeviceConfigParser.parse("agent.yaml.example", example);
        assertInstanceOf(ConfigParseResult.Parsed.class, parsed, () -> parsed.toString());
        assertTrue(example.contains("meter-agent provision"), "the example says to provision rather than copy it");
    }

    // ---- the systemd unit ----

    @Test
    void unitRunsTheAgentAsItsOwnUserUnderTheWatchdog() throws Exception {
        Map<String, List<String>> unit = unitSettings(Files.readString(data.resolve(UNIT)));
        assertEquals(List.of("notify"), unit.get("Type"));
        // On Java 21 the agent's notifications come from a systemd-notify child process.
        assertEquals(List.of("all"), unit.get("NotifyAccess"));
        assertEquals(List.of("60"), unit.get("WatchdogSec"));
        assertEquals(List.of("on-failure"), unit.get("Restart"));
        assertEquals(List.of("2"), unit.get("RestartPreventExitStatus"), "a refused configuration is not retried");
        assertEquals(List.of("wattproof"), unit.get("RuntimeDirectory"), "status.json lives in /run/wattproof");
        assertEquals(List.of("wattproof"), unit.get("User"));
        assertEquals(List.of("wattproof"), unit.get("Group"));
        assertEquals(List.of("/opt/wattproof/bin/meter-agent run --config /etc/wattproof/agent.yaml"), unit.get("ExecStart"));
        assertEquals(List.of("/etc/wattproof/agent.yaml"), unit.get("ConditionPathExists"));
        assertEquals(List.of("yes"), unit.get("NoNewPrivileges"));
        assertEquals(List.of("strict"), unit.get("ProtectSystem"));
        assertEquals(List.of("yes"), unit.get("PrivateTmp"));
        assertEquals(List.of("closed"), unit.get("DevicePolicy"));
        assertEquals(List.of("multi-user.target"), unit.get("WantedBy"));
    }

    @Test
    void jSerialCommsLibraryDirectoryIsTheServicesPrivateCache() throws Exception {
        Map<String, List<String>> unit = unitSettings(Files.readString(data.resolve(UNIT)));
        Map<String, String> env = environment(unit);
        assertEquals(List.of("wattproof"), unit.get("CacheDirectory"));
        assertEquals(List.of("0700"), unit.get("CacheDirectoryMode"));
        assertEquals(List.of("0700"), unit.get("StateDirectoryMode"));
        // modbus-driver's JSerialCommLoader keeps the library in $XDG_CACHE_HOME/wattproof/jserialcomm.
        Path library = Path.of(env.get("XDG_CACHE_HOME"), "wattproof", "jserialcomm");
        assertTrue(library.startsWith(Path.of("/var/cache", unit.get("CacheDirectory").get(0))),
                "jSerialComm's directory " + library + " lies in the unit's CacheDirectory (0700, the service user's)");
    }

    @Test
    void unitPassesSystemdAnalyzeVerify() throws Exception {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        if (!Files.isExecutable(analyze)) {
            fail(analyze + " is missing: install it with 'apt-get install systemd'");
        }
        // verify checks that ExecStart= names an executable: point it at the unpacked launcher.
        Path dir = Files.createDirectories(scratch.resolve("verify"));
        Path copy = dir.resolve("wattproof-agent.service");
        Files.writeString(copy, Files.readString(data.resolve(UNIT)).replace("/opt/wattproof/", data.resolve("opt/wattproof") + "/"));
        Result r = run(List.of(analyze.toString(), "verify", copy.toString()));
        // It exits 0 even for unknown keys or unparsable values; it only prints them.
        assertEquals(0, r.exit(), r.toString());
        assertEquals("", (r.out() + r.err()).strip(), "systemd-analyze verify complains");
    }

    @Test
    void launcherRunsThePackagedAgentWithTheUnitsHeapAndClassDataSharing() throws Exception {
        Map<String, String> env = environment(unitSettings(Files.readString(data.resolve(UNIT))));
        String options = env.get("WATTPROOF_JAVA_OPTS");
        assertTrue(options.contains("-Xmx32m"), options);
        assertTrue(options.contains("-XX:SharedArchiveFile=/var/cache/wattproof/"), options);
        assertTrue(options.contains("-XX:+AutoCreateSharedArchive"), options);
        Path archive = scratch.resolve("cds/agent.jsa");
        Files.createDirectories(archive.getParent());
        Map<String, String> launch = new HashMap<>();
        launch.put("JAVA_HOME", System.getProperty("java.home"));
        launch.put("WATTPROOF_JAVA_OPTS", options.replaceAll("-XX:SharedArchiveFile=\\S+", "-XX:SharedArchiveFile=" + archive));
        Result r = run(List.of(data.resolve(LAUNCHER).toString(), "--version"), launch);
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().startsWith("wattproof meter-agent " + projectVersion), r.toString());
        // The JVM accepted the flags and dumped the classes it loaded at exit.
        assertTrue(Files.size(archive) > 0, "no class-data sharing archive at " + archive);
    }

    private static Map<String, String> environment(Map<String, List<String>> unit) {
        Map<String, String> env = new HashMap<>();
        for (String assignment : unit.getOrDefault("Environment", List.of())) {
            String a = assignment.startsWith("\"") && assignment.endsWith("\"") ? assignment.substring(1, assignment.length() - 1) : assignment;
            int eq = a.indexOf('=');
            env.put(a.substring(0, eq), a.substring(eq + 1));
        }
        return env;
    }

    /** Key to its values in file order (systemd.syntax(7): comments start with '#' or ';'). */
    private static Map<String, List<String>> unitSettings(String text) {
        Map<String, List<String>> settings = new HashMap<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith(";") || l.startsWith("[")) {
                continue;
            }
            int eq = l.indexOf('=');
            settings.computeIfAbsent(l.substring(0, eq).strip(), k -> new ArrayList<>()).add(l.substring(eq + 1).strip());
        }
        return settings;
    }

    // ---- the launcher's choice of Java ----

    @Test
    void launcherTakesTheNewestRuntimeOfAtLeast21AndPassesTheAgentsFlags() throws Exception {
        Path jvms = scratch.resolve("jvms-choice");
        fakeRuntime(jvms.resolve("jdk-17"), "17.0.9");
        fakeRuntime(jvms.resolve("jre-21"), "21.0.5");
        fakeRuntime(jvms.resolve("jre-22"), "22.0.2");
        Result r = runLauncherWith(jvms, "-Xmx32m -XX:+AutoCreateSharedArchive");
        assertEquals(0, r.exit(), r.toString());
        List<String> args = r.out().lines().toList();
        assertEquals(jvms.resolve("jre-22/bin/java").toString(), args.get(0), "the newest >= 21: " + args);
        assertTrue(args.containsAll(List.of("-Xmx32m", "-XX:+AutoCreateSharedArchive", "--enable-native-access=ALL-UNNAMED",
                "--add-exports=jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED")), args.toString());
        assertFalse(args.contains("--sun-misc-unsafe-memory-access=allow"), "unknown before JDK 23: " + args);
        int cp = args.indexOf("-cp");
        List<String> classPath = List.of(args.get(cp + 1).split(":"));
        assertEquals(contents().keySet().stream().filter(p -> p.startsWith("/opt/wattproof/lib/")).count(), classPath.size());
        assertTrue(classPath.stream().allMatch(j -> j.startsWith(data.resolve("opt/wattproof/lib") + "/") && j.endsWith(".jar")),
                classPath.toString());
        assertEquals(List.of("io.wattproof.agent.cli.MeterAgentCommand", "boards"), args.subList(cp + 2, args.size()));
    }

    @Test
    void launcherWithoutAJava21RuntimeSaysWhatItTriedAndHowToInstallOne() throws Exception {
        Path jvms = scratch.resolve("jvms-old");
        fakeRuntime(jvms.resolve("jdk-17"), "17.0.9");
        Result r = runLauncherWith(jvms, "");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("needs a Java runtime 21 or newer"), r.err());
        assertTrue(r.err().contains(jvms.resolve("jdk-17").toString()), r.err());
        assertTrue(r.err().contains("apt-get install openjdk-21-jre-headless"), r.err());
    }

    /** A runtime directory whose 'java' prints its path and arguments, one per line. */
    private static void fakeRuntime(Path home, String version) throws IOException {
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"\n");
        executable(home.resolve("bin/java"), "#!/bin/sh\nprintf '%s\\n' \"$0\" \"$@\"\n");
    }

    /** The packaged launcher with no JAVA_HOME, a PATH without java, and the runtimes under {@code jvms}. */
    private static Result runLauncherWith(Path jvms, String javaOptions) throws Exception {
        Path bin = Files.createDirectories(scratch.resolve("launcher-path-" + jvms.getFileName()));
        for (String tool : List.of("readlink", "dirname", "sed", "head")) {
            Files.deleteIfExists(bin.resolve(tool));
            Files.createSymbolicLink(bin.resolve(tool), realTool(tool));
        }
        Map<String, String> env = new HashMap<>();
        env.put("PATH", bin.toString());
        env.put("WATTPROOF_JAVA_SEARCH", jvms + "/*");
        env.put("WATTPROOF_JAVA_OPTS", javaOptions);
        return run(List.of("/bin/sh", data.resolve(LAUNCHER).toString(), "boards"), env, false);
    }

    // ---- maintainer scripts ----

    @Test
    void maintainerScriptsAreExecutablePosixShellWithSetE() throws Exception {
        for (String script : List.of("postinst", "prerm", "postrm")) {
            Path file = control.resolve(script);
            assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), script);
            List<String> lines = Files.readAllLines(file);
            assertEquals("#!/bin/sh", lines.get(0), script);
            assertTrue(lines.contains("set -e"), script + " stops at the first failing command");
            // dash is Debian's /bin/sh: it rejects bash-only syntax that bash -n would accept.
            Result r = run(List.of(Files.isExecutable(Path.of("/bin/dash")) ? "/bin/dash" : "/bin/sh", "-n", file.toString()));
            assertEquals(0, r.exit(), script + ": " + r);
        }
    }

    @Test
    void postinstCreatesTheSystemUserOnceAndTheDirectoriesWithTheirModes() throws Exception {
        Sandbox box = new Sandbox(scratch.resolve("postinst"), "dialout", "i2c");
        Result first = box.run("postinst", "configure", "");
        assertEquals(0, first.exit(), first.toString());
        List<String> log = box.log();
        assertTrue(log.contains("addgroup --system --quiet wattproof"), log.toString());
        assertTrue(log.contains("adduser --system --quiet --ingroup wattproof --home /var/lib/wattproof --no-create-home "
                + "--disabled-password --shell /usr/sbin/nologin wattproof"), log.toString());
        assertTrue(log.contains("adduser --quiet wattproof dialout"), log.toString());
        assertTrue(log.contains("adduser --quiet wattproof i2c"), log.toString());
        assertFalse(log.stream().anyMatch(l -> l.endsWith(" gpio")), "no gpio group on this system: " + log);
        assertEquals("rwx------", box.mode("var/lib/wattproof"));
        assertEquals("rwx------", box.mode("var/cache/wattproof"));
        assertEquals("rwxr-s---", box.mode("etc/wattproof"));
        assertTrue(log.contains("chown wattproof:wattproof " + box.root.resolve("var/lib/wattproof")), log.toString());
        assertTrue(log.contains("chown root:wattproof " + box.root.resolve("etc/wattproof")), log.toString());
        assertTrue(log.contains("deb-systemd-helper enable wattproof-agent.service"), log.toString());
        assertFalse(log.stream().anyMatch(l -> l.contains(" start ")), "a fresh install starts nothing: " + log);
        assertTrue(first.out().contains("provision"), first.out());

        box.clearLog();
        Result again = box.run("postinst", "configure", "");
        assertEquals(0, again.exit(), again.toString());
        assertFalse(box.log().stream().anyMatch(l -> l.startsWith("addgroup") || l.startsWith("adduser --system")),
                "the user exists already: " + box.log());
    }

    @Test
    void postinstLeavesADirectoryRegisteredWithDpkgStatoverrideAlone() throws Exception {
        Sandbox box = new Sandbox(scratch.resolve("postinst-override"), "dialout");
        Files.writeString(box.db.resolve("statoverride"), box.root.resolve("etc/wattproof") + "\n");
        assertEquals(0, box.run("postinst", "configure", "").exit());
        assertFalse(box.log().stream().anyMatch(l -> l.startsWith("chown root:wattproof")), box.log().toString());
    }

    @Test
    void upgradeRestartsAnEnabledAgentUnderSystemd() throws Exception {
        Sandbox box = new Sandbox(scratch.resolve("upgrade"), "dialout");
        box.systemdRunning();
        Files.writeString(box.db.resolve("enabled"), "");
        Result r = box.run("postinst", "configure", "0.0.9");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(box.log().contains("systemctl --system daemon-reload"), box.log().toString());
        assertTrue(box.log().contains("deb-systemd-invoke start wattproof-agent.service"), box.log().toString());
    }

    @Test
    void prermStopsTheAgentOnlyWhenSystemdRuns() throws Exception {
        Sandbox box = new Sandbox(scratch.resolve("prerm"), "dialout");
        assertEquals(0, box.run("prerm", "remove").exit());
        assertEquals(List.of(), box.log(), "no systemd: nothing to stop");
        box.systemdRunning();
        assertEquals(0, box.run("prerm", "upgrade", "0.2.0").exit());
        assertEquals(List.of("deb-systemd-invoke stop wattproof-agent.service"), box.log());
    }

    @Test
    void purgeRemovesTheCacheButKeepsSignedRecordsKeysAndConfiguration() throws Exception {
        Sandbox box = new Sandbox(scratch.resolve("purge"), "dialout");
        Files.createDirectories(box.root.resolve("var/lib/wattproof/outbox"));
        Files.writeString(box.root.resolve("var/lib/wattproof/outbox/records"), "signed");
        Files.createDirectories(box.root.resolve("var/cache/wattproof/jserialcomm"));
        Files.createDirectories(box.root.resolve("etc/wattproof"));
        Files.writeString(box.root.resolve("etc/wattproof/agent.yaml"), "device_id: ...\n");
        Result r = box.run("postrm", "purge");
        assertEquals(0, r.exit(), r.toString());
        assertFalse(Files.exists(box.root.resolve("var/cache/wattproof")));
        assertEquals("signed", Files.readString(box.root.resolve("var/lib/wattproof/outbox/records")));
        assertTrue(Files.exists(box.root.resolve("etc/wattproof/agent.yaml")));
        assertTrue(r.out().contains("/var/lib/wattproof") && r.out().contains("kept"), "purge says what it kept: " + r.out());
        assertFalse(box.log().stream().anyMatch(l -> l.startsWith("deluser") || l.startsWith("userdel")), box.log().toString());
        assertTrue(box.log().contains("deb-systemd-helper purge wattproof-agent.service"), box.log().toString());
    }

    @Test
    void maintainerScriptsRefuseAnUnknownAction() throws Exception {
        Sandbox box = new Sandbox(scratch.resolve("unknown"), "dialout");
        for (String script : List.of("postinst", "prerm", "postrm")) {
            Result r = box.run(script, "frobnicate");
            assertEquals(1, r.exit(), script + ": " + r);
            assertTrue(r.err().contains("unknown argument 'frobnicate'"), script + ": " + r.err());
        }
    }

    /**
     * A scratch root for a maintainer script: DPKG_ROOT points its file operations into {@code root};
     * PATH holds only stand-ins that log their arguments (user database, services) and the real
     * mkdir, chmod, rm, rmdir. A command missing here fails the script instead of reaching the host.
     */
    private static final class Sandbox {
        final Path root;
        final Path db;
        final Path bin;

        Sandbox(Path dir, String... existingGroups) throws IOException {
            root = Files.createDirectories(dir.resolve("root"));
            db = Files.createDirectories(dir.resolve("db"));
            bin = Files.createDirectories(dir.resolve("bin"));
            Files.writeString(db.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\n");
            Files.writeString(db.resolve("group"), Stream.concat(Stream.of("root"), Stream.of(existingGroups))
                    .map(g -> g + ":x:" + (100 + g.length()) + ":\n").collect(Collectors.joining()));
            Files.writeString(db.resolve("log"), "");
            String grep = realTool("grep").toString();
            String log = "echo \"$(basename \"$0\") $*\" >> \"$FAKE_DB/log\"\n";
            script("getent", "exec " + grep + " \"^$2:\" \"$FAKE_DB/$1\"\n");
            script("basename", "echo \"${1##*/}\"\n");
            script("addgroup", log + "for a; do last=$a; done\necho \"$last:x:999:\" >> \"$FAKE_DB/group\"\n");
            script("adduser", log + "case \" $* \" in *' --system '*) for a; do last=$a; done\n"
                    + "  echo \"$last:x:999:999::/var/lib/wattproof:/usr/sbin/nologin\" >> \"$FAKE_DB/passwd\";; esac\n");
            script("chown", log);
            script("dpkg-statoverride", "[ -f \"$FAKE_DB/statoverride\" ] && exec " + grep + " -qx \"$2\" \"$FAKE_DB/statoverride\"\nexit 1\n");
            // Like the real one, was-enabled is true for a unit it has no record of (a fresh install).
            script("deb-systemd-helper", log + "[ \"$1\" != --quiet ] || [ ! -f \"$FAKE_DB/disabled\" ]\n");
            script("deb-systemd-invoke", log);
            script("systemctl", log + "case \"$*\" in *is-enabled*) [ -f \"$FAKE_DB/enabled\" ];; esac\n");
            for (String tool : List.of("mkdir", "chmod", "rm", "rmdir")) {
                Files.createSymbolicLink(bin.resolve(tool), realTool(tool));
            }
        }

        private void script(String name, String body) throws IOException {
            executable(bin.resolve(name), "#!/bin/sh\n" + body);
        }

        void systemdRunning() throws IOException {
            Files.createDirectories(root.resolve("run/systemd/system"));
        }

        Result run(String script, String... args) throws Exception {
            Map<String, String> env = new HashMap<>();
            env.put("PATH", bin.toString());
            env.put("DPKG_ROOT", root.toString());
            env.put("FAKE_DB", db.toString());
            List<String> command = new ArrayList<>(List.of("/bin/sh", control.resolve(script).toString()));
            command.addAll(Arrays.asList(args));
            return DebianPackageIT.run(command, env, false);
        }

        List<String> log() throws IOException {
            return Files.readAllLines(db.resolve("log"));
        }

        void clearLog() throws IOException {
            Files.writeString(db.resolve("log"), "");
        }

        String mode(String path) throws Exception {
            // The setgid bit is not in Java's POSIX permissions; stat reads the whole mode.
            String octal = DebianPackageIT.run(List.of(realTool("stat").toString(), "-c", "%a", root.resolve(path).toString()))
                    .check().out().strip();
            String rwx = PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve(path)));
            if (octal.length() == 4 && octal.charAt(0) == '2') {
                rwx = rwx.substring(0, 5) + (rwx.charAt(5) == 'x' ? 's' : 'S') + rwx.substring(6);
            }
            return rwx;
        }
    }

    private static Path realTool(String name) {
        for (String dir : List.of("/usr/bin", "/bin")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new AssertionError(name + " not found in /usr/bin or /bin");
    }

    private static void executable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    // ---- processes ----

    record Result(List<String> command, int exit, String out, String err) {
        Result check() {
            if (exit != 0) {
                throw new AssertionError(this.toString());
            }
            return this;
        }

        @Override
        public String toString() {
            return String.join(" ", command) + " -> exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    static Result run(List<String> command) throws Exception {
        return run(command, Map.of(), true);
    }

    static Result run(List<String> command, Map<String, String> env) throws Exception {
        return run(command, env, true);
    }

    /** Runs {@code command}; {@code inherit} keeps this JVM's environment, else only {@code env}. */
    static Result run(List<String> command, Map<String, String> env, boolean inherit) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        if (!inherit) {
            pb.environment().clear();
        }
        pb.environment().putAll(env);
        Path out = Files.createTempFile(scratch, "out", ".txt");
        Path err = Files.createTempFile(scratch, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish in 120 s");
        }
        return new Result(command, p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    /** Control file fields (Debian Policy 5.1); continuation lines joined with newlines. */
    static Map<String, String> controlFields(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        String last = null;
        for (String line : text.split("\n")) {
            if ((line.startsWith(" ") || line.startsWith("\t")) && last != null) {
                fields.put(last, fields.get(last) + "\n" + line.strip());
            } else if (line.contains(":")) {
                last = line.substring(0, line.indexOf(':'));
                fields.put(last, line.substring(line.indexOf(':') + 1).strip());
            }
        }
        return fields;
    }
}
