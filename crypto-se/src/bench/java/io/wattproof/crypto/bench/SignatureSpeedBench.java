package io.wattproof.crypto.bench;

import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.KeyStoreFailure;
import io.wattproof.crypto.VerifyingKey;
import io.wattproof.crypto.pkcs11.Pkcs11Config;
import io.wattproof.crypto.pkcs11.Pkcs11KeyStore;
import io.wattproof.crypto.soft.SoftwareKeyStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Signatures and verifications per second, one thread, for each algorithm and provider the
 * project can sign with, beside {@code openssl speed} run in the same process session. Not
 * compiled by the build; command and results: docs/benchmarks.md, "Signing and verification".
 *
 * <p>Cases: ECDSA P-256, Ed25519 and SM2-SM3 through the software key store (Bouncy Castle, the
 * path the agent signs with; verification through {@link VerifyingKey}, the ledger's strict
 * checker with a parsed key kept); ECDSA P-256 signed on a SoftHSM2 token through {@link
 * Pkcs11KeyStore} and verified in software; the JDK's SunEC for P-256 (P1363 r||s) and Ed25519,
 * for comparison.
 *
 * <p>First every case runs {@code --warmup} seconds untimed, one after the other, so the JIT has
 * compiled all paths before any is measured; then each case in turn gets a tiny warm-up (0.2 s)
 * and {@code --seconds} of wall time counted. OpenSSL runs first, alone. Measured: operations per second of wall time, and per second of this thread's CPU time
 * (ThreadMXBean; SoftHSM2 runs in the calling thread, so its work is counted too). {@code openssl
 * speed} divides by its own user CPU time unless given {@code -elapsed}, so the ratios compare CPU
 * rates: on a shared machine they move much less than wall rates. Every verification is checked
 * to succeed and every tenth signature is verified outside the clock, so a broken path aborts.
 *
 * <p>The PKCS#11 case needs SOFTHSM2_CONF in the environment (SoftHSM2 reads it once, when the
 * library loads) and the JVM flag {@code --add-exports=jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED}
 * (the token lookup by label); this program writes that configuration file with a fresh token
 * directory and initialises a token with softhsm2-util. Options: {@code --seconds 3}, {@code
 * --warmup 2}, {@code --message-bytes 235} (the size of an agent record's sign-bytes), {@code
 * --no-openssl}, {@code --no-pkcs11}.
 */
public final class SignatureSpeedBench {
    private static final Path SOFTHSM_LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");
    private static final String OPENSSL_COMMAND = "openssl speed -seconds %d ecdsap256 ed25519 sm2";
    /** Distinct messages cycled through, so no operation sees the same input twice in a row. */
    private static final int MESSAGES = 64;
    /** Untimed run of a case just before its measurement. */
    private static final double TINY_WARMUP_SECONDS = 0.2;

    private SignatureSpeedBench() {}

    record Options(double seconds, double warmup, int messageBytes, boolean openssl, boolean pkcs11) {
        static Options parse(String[] args) {
            Map<String, String> values = new LinkedHashMap<>();
            boolean openssl = true;
            boolean pkcs11 = true;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--no-openssl" -> openssl = false;
                    case "--no-pkcs11" -> pkcs11 = false;
                    default -> {
                        if (!args[i].startsWith("--") || i + 1 == args.length) {
                            throw new IllegalArgumentException("expected --seconds, --warmup, --message-bytes N,"
                                    + " --no-openssl or --no-pkcs11, got '" + args[i] + "'");
                        }
                        values.put(args[i].substring(2), args[++i]);
                    }
                }
            }
            Options o = new Options(Double.parseDouble(values.getOrDefault("seconds", "3")),
                    Double.parseDouble(values.getOrDefault("warmup", "2")),
                    Integer.parseInt(values.getOrDefault("message-bytes", "235")), openssl, pkcs11);
            values.keySet().removeAll(List.of("seconds", "warmup", "message-bytes"));
            if (!values.isEmpty()) {
                throw new IllegalArgumentException("unknown options " + values.keySet());
            }
            return o;
        }
    }

    /** One signer or verifier call; {@code i} picks the message. */
    @FunctionalInterface
    interface Operation {
        void run(int i) throws Exception;
    }

    /** The algorithm row and the name OpenSSL prints for it. */
    enum Algorithm {
        P256("ECDSA P-256", "nistp256"), ED25519("Ed25519", "Ed25519"), SM2("SM2-SM3", "CurveSM2");

        final String label;
        final String openssl;

        Algorithm(String label, String openssl) {
            this.label = label;
            this.openssl = openssl;
        }
    }

    record Measured(long operations, long wallNanos, long cpuNanos) {
        double perWallSecond() {
            return operations * 1e9 / wallNanos;
        }

        double perCpuSecond() {
            return operations * 1e9 / cpuNanos;
        }
    }

    record Row(Algorithm algorithm, String provider, String operation, Measured measured) {}

    /** One operation of one provider, ready to run. */
    record Case(Algorithm algorithm, String provider, String name, Operation operation) {}

    /** OpenSSL's count, its user CPU seconds, and the wall seconds it was given. */
    record OpenSslFigure(long operations, double cpuSeconds, double wallSeconds) {
        double perCpuSecond() {
            return operations / cpuSeconds;
        }

        double perWallSecond() {
            return operations / wallSeconds;
        }
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (!threads.isCurrentThreadCpuTimeSupported()) {
            throw new IllegalStateException("this jvm cannot measure thread cpu time");
        }
        threads.setThreadCpuTimeEnabled(true);
        byte[][] messages = messages(options.messageBytes());
        Path work = Files.createTempDirectory("wattproof-sigbench-");
        System.out.printf(Locale.ROOT, "java %s, %d cpus, load average %s; %d-byte messages, %.1f s warm-up, %.1f s measured%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors(), loadAverage(), options.messageBytes(),
                options.warmup(), options.seconds());

        Map<Algorithm, Map<String, OpenSslFigure>> openssl = Map.of();
        String opensslVersion = "";
        if (options.openssl()) {
            int seconds = (int) Math.max(1, Math.round(options.seconds()));
            System.out.println("running: " + OPENSSL_COMMAND.formatted(seconds));
            String output = run(OPENSSL_COMMAND.formatted(seconds).split(" "));
            openssl = parseOpenSslSpeed(output, seconds);
            // "OpenSSL 3.0.19 27 Jan 2026 (Library: ...)": the name and version are enough for the table.
            String[] version = run("openssl", "version").strip().split(" ");
            opensslVersion = version[0] + " " + version[1] + " (openssl speed)";
        }

        List<Case> cases = new ArrayList<>();
        DeviceKey tokenKey = null;
        try {
            for (Algorithm algorithm : Algorithm.values()) {
                DeviceKey key = softwareKey(work.resolve("soft-" + algorithm), algorithm);
                cases.addAll(deviceKeyCases(algorithm, "Bouncy Castle (software store)", key, messages));
            }
            if (options.pkcs11()) {
                tokenKey = tokenKey(work.resolve("softhsm"));
                cases.addAll(deviceKeyCases(Algorithm.P256, "PKCS#11 SoftHSM2 (verify: Bouncy Castle)", tokenKey, messages));
            }
            cases.addAll(sunEcCases(Algorithm.P256, "EC", new ECGenParameterSpec("secp256r1"), "SHA256withECDSAinP1363Format", messages));
            cases.addAll(sunEcCases(Algorithm.ED25519, "Ed25519", null, "Ed25519", messages));

            // Every path once before any is measured: the JIT compiles shared code (Bouncy Castle's
            // field arithmetic serves three rows) on its own threads, which would otherwise take CPU
            // from, and leave interpreted code in, whichever case happened to run first.
            System.out.printf(Locale.ROOT, "warming up %d cases, %.1f s each%n", cases.size(), options.warmup());
            int[] next = new int[cases.size()];
            for (int c = 0; c < cases.size(); c++) {
                next[c] = spin(cases.get(c).operation(), 0, options.warmup());
            }
            List<Row> rows = new ArrayList<>();
            for (int c = 0; c < cases.size(); c++) {
                Case k = cases.get(c);
                rows.add(new Row(k.algorithm(), k.provider(), k.name(), measure(k.operation(), next[c], options)));
                Checked.drain();
            }
            System.out.println();
            print(rows, openssl, opensslVersion, loadAverage());
        } finally {
            if (tokenKey != null) {
                tokenKey.close();
            }
            deleteTree(work);
        }
    }

    // --- the cases ---------------------------------------------------------------------------

    private static DeviceKey softwareKey(Path dir, Algorithm algorithm) throws KeyStoreFailure {
        Path secret = dir.resolve("secret");
        SoftwareKeyStore.createSecret(secret);
        KeyAlgorithm keyAlgorithm = switch (algorithm) {
            case P256 -> KeyAlgorithm.ECDSA_P256_SHA256;
            case ED25519 -> KeyAlgorithm.ED25519;
            case SM2 -> KeyAlgorithm.SM2_SM3;
        };
        return SoftwareKeyStore.create(dir.resolve("keys"), keyAlgorithm, secret);
    }

    private static List<Case> deviceKeyCases(Algorithm algorithm, String provider, DeviceKey key, byte[][] messages)
            throws KeyStoreFailure {
        VerifyingKey verifier = key.verifyingKey();
        Operation sign = i -> {
            byte[] signature = key.sign(messages[i % MESSAGES]);
            if (i % 10 == 0) {
                Checked.later(verifier, messages[i % MESSAGES], signature);
            }
        };
        byte[][] signatures = new byte[MESSAGES][];
        for (int i = 0; i < MESSAGES; i++) {
            signatures[i] = key.sign(messages[i]);
        }
        Operation verify = i -> {
            if (!verifier.check(messages[i % MESSAGES], signatures[i % MESSAGES]).isValid()) {
                throw new IllegalStateException(provider + " " + algorithm.label + ": signature " + (i % MESSAGES) + " does not verify");
            }
        };
        return List.of(new Case(algorithm, provider, "sign", sign), new Case(algorithm, provider, "verify", verify));
    }

    private static List<Case> sunEcCases(Algorithm algorithm, String keyType, ECGenParameterSpec curve, String signatureName,
            byte[][] messages) throws GeneralSecurityException {
        Provider sunEc = Security.getProvider("SunEC");
        KeyPairGenerator generator = KeyPairGenerator.getInstance(keyType, sunEc);
        if (curve != null) {
            generator.initialize(curve);
        }
        KeyPair pair = generator.generateKeyPair();
        Signature signer = Signature.getInstance(signatureName, sunEc);
        signer.initSign(pair.getPrivate());
        Signature verifier = Signature.getInstance(signatureName, sunEc);
        verifier.initVerify(pair.getPublic());
        byte[][] signatures = new byte[MESSAGES][];
        for (int i = 0; i < MESSAGES; i++) {
            signer.update(messages[i]);
            signatures[i] = signer.sign();
        }
        Operation sign = i -> {
            signer.update(messages[i % MESSAGES]);
            signer.sign();
        };
        Operation verify = i -> {
            verifier.update(messages[i % MESSAGES]);
            if (!verifier.verify(signatures[i % MESSAGES])) {
                throw new IllegalStateException("SunEC " + algorithm.label + ": signature " + (i % MESSAGES) + " does not verify");
            }
        };
        String provider = "SunEC (JDK " + Runtime.version().feature() + ")";
        return List.of(new Case(algorithm, provider, "sign", sign), new Case(algorithm, provider, "verify", verify));
    }

    /** A SoftHSM2 token made for this run, and a P-256 key created on it through Pkcs11KeyStore. */
    private static DeviceKey tokenKey(Path dir) throws IOException, InterruptedException, KeyStoreFailure {
        String conf = System.getenv("SOFTHSM2_CONF");
        if (conf == null) {
            throw new IllegalStateException("SOFTHSM2_CONF is not set: give it a path this program may write"
                    + " (e.g. SOFTHSM2_CONF=/tmp/sigbench-softhsm2.conf), or pass --no-pkcs11");
        }
        if (!Files.exists(SOFTHSM_LIBRARY)) {
            throw new IllegalStateException(SOFTHSM_LIBRARY + " is missing: install it with 'apt-get install softhsm2'");
        }
        Path tokens = Files.createDirectories(dir.resolve("tokens"));
        // Written before the library is loaded into this JVM: SoftHSM2 reads it once, in C_Initialize.
        Files.writeString(Path.of(conf), "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n");
        String label = "wp-bench-" + ProcessHandle.current().pid();
        String pin = "246810";
        run("softhsm2-util", "--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", "13579111");
        Path pinFile = dir.resolve("pin");
        Files.writeString(pinFile, pin + "\n");
        Files.setPosixFilePermissions(pinFile, PosixFilePermissions.fromString("rw-------"));
        return Pkcs11KeyStore.create(new Pkcs11Config(SOFTHSM_LIBRARY, label, "bench", pinFile),
                KeyAlgorithm.ECDSA_P256_SHA256, Clock.systemUTC());
    }

    // --- timing ------------------------------------------------------------------------------

    /** Runs {@code operation} untimed for {@code seconds}, from message {@code i}; returns the next i. */
    private static int spin(Operation operation, int i, double seconds) throws Exception {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        do {
            operation.run(i++);
        } while (System.nanoTime() < end);
        return i;
    }

    /** A tiny warm-up (back into this path's code and data), then {@code --seconds} counted. */
    private static Measured measure(Operation operation, int i, Options options) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        i = spin(operation, i, TINY_WARMUP_SECONDS);
        long operations = 0;
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long end = start + (long) (options.seconds() * 1e9);
        long now;
        do {
            operation.run(i++);
            operations++;
            now = System.nanoTime();
        } while (now < end);
        long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
        return new Measured(operations, now - start, cpu);
    }

    /** Signatures made inside the clock, verified outside it. */
    private static final class Checked {
        private static final List<Object[]> PENDING = new ArrayList<>();

        static void later(VerifyingKey key, byte[] message, byte[] signature) {
            PENDING.add(new Object[] {key, message, signature});
        }

        static void drain() {
            for (Object[] p : PENDING) {
                if (!((VerifyingKey) p[0]).check((byte[]) p[1], (byte[]) p[2]).isValid()) {
                    throw new IllegalStateException("a signature made during the measurement does not verify");
                }
            }
            PENDING.clear();
        }
    }

    // --- openssl -----------------------------------------------------------------------------

    /**
     * The lines {@code Doing 256 bits sign ecdsa's for 3s: 30123 256 bits ECDSA signs in 2.98s}:
     * the count, and the user CPU time it took (OpenSSL 3.0 apps/speed.c, which divides by it).
     */
    private static final Pattern DOING = Pattern.compile(
            "Doing \\d+ bits (sign|verify) (\\w+)'s for (\\d+)s: (\\d+) \\d+ bits \\w+ (?:signs|verify) in ([\\d.]+)s");

    static Map<Algorithm, Map<String, OpenSslFigure>> parseOpenSslSpeed(String output, int seconds) {
        Map<Algorithm, Map<String, OpenSslFigure>> figures = new LinkedHashMap<>();
        Matcher m = DOING.matcher(output);
        while (m.find()) {
            String name = m.group(2);
            Algorithm algorithm = switch (name) {
                case "ecdsa" -> Algorithm.P256;
                case "Ed25519" -> Algorithm.ED25519;
                case "CurveSM2" -> Algorithm.SM2;
                default -> null;
            };
            if (algorithm == null) {
                continue;
            }
            figures.computeIfAbsent(algorithm, a -> new LinkedHashMap<>()).put(m.group(1),
                    new OpenSslFigure(Long.parseLong(m.group(4)), Double.parseDouble(m.group(5)), Double.parseDouble(m.group(3))));
        }
        for (Algorithm a : Algorithm.values()) {
            Map<String, OpenSslFigure> f = figures.get(a);
            if (f == null || f.size() != 2) {
                throw new IllegalStateException("openssl speed output: expected sign and verify lines for " + a.openssl
                        + ", got:\n" + output);
            }
        }
        return figures;
    }

    // --- output ------------------------------------------------------------------------------

    private static void print(List<Row> rows, Map<Algorithm, Map<String, OpenSslFigure>> openssl, String opensslVersion,
            String loadAfter) {
        System.out.println("| algorithm | provider | operation | ops/s (wall) | ops/s (thread CPU) | ÷ OpenSSL (CPU) |");
        System.out.println("|---|---|---|---:|---:|---:|");
        List<Row> sorted = rows.stream()
                .sorted(Comparator.comparing((Row r) -> r.algorithm()).thenComparing(Row::operation))
                .toList();
        Algorithm previous = null;
        String previousOperation = null;
        for (Row row : sorted) {
            boolean first = row.algorithm() != previous || !row.operation().equals(previousOperation);
            if (first && openssl.containsKey(row.algorithm())) {
                OpenSslFigure o = openssl.get(row.algorithm()).get(row.operation());
                System.out.printf(Locale.ROOT, "| %s | %s | %s | %,.0f | %,.0f | 1.00 |%n", row.algorithm().label,
                        opensslVersion, row.operation(), o.perWallSecond(), o.perCpuSecond());
            }
            previous = row.algorithm();
            previousOperation = row.operation();
            String ratio = openssl.containsKey(row.algorithm())
                    ? String.format(Locale.ROOT, "%.2f", row.measured().perCpuSecond()
                            / openssl.get(row.algorithm()).get(row.operation()).perCpuSecond())
                    : "–";
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %,.0f | %,.0f | %s |%n", row.algorithm().label, row.provider(),
                    row.operation(), row.measured().perWallSecond(), row.measured().perCpuSecond(), ratio);
        }
        System.out.println();
        System.out.println("load average after: " + loadAfter);
    }

    // --- helpers -----------------------------------------------------------------------------

    private static byte[][] messages(int length) {
        byte[][] out = new byte[MESSAGES][];
        byte[] base = "wattproof/v1/Reading\0meter-7\0interval 2026-11-02T10:15Z import=1234567 Wh\n"
                .getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < MESSAGES; i++) {
            out[i] = new byte[length];
            for (int j = 0; j < length; j++) {
                out[i][j] = base[j % base.length];
            }
            out[i][length - 1] = (byte) i;
        }
        return out;
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException(command[0] + " did not start (install it, or leave its case out): " + e.getMessage(), e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
