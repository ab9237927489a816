package io.wattproof.modbus.bench;

import com.ghgande.j2mod.modbus.facade.ModbusSerialMaster;
import com.ghgande.j2mod.modbus.procimg.Register;
import com.ghgande.j2mod.modbus.util.SerialParameters;
import io.wattproof.modbus.frame.rtu.RtuTiming;
import io.wattproof.modbus.master.ModbusRtuMaster;
import io.wattproof.modbus.master.ModbusRtuMasterConfig;
import io.wattproof.modbus.testing.SocatPtyPair;
import io.wattproof.modbus.transport.SerialLineConfig;
import io.wattproof.modbus.transport.SerialPortTransport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Transactions per second and CPU time per transaction of {@link ModbusRtuMaster} against j2mod
 * 3.3.0's {@code ModbusSerialMaster}, reading holding registers (FC 03) through one socat pty pair
 * from one {@link io.wattproof.modbus.slave.ModbusRtuSlave} in a separate JVM ({@link
 * RtuBenchSlave}). Not compiled by the build; command and results: docs/benchmarks.md, "RTU master
 * against j2mod".
 *
 * <p>For each baud rate and register count: every master is warmed up, then rounds run the masters
 * in turn (ours, j2mod, ours, j2mod, ...), each for a fixed time. A pty end can be open only once
 * (jSerialComm takes an exclusive flock), so each master opens the port at the start of its turn
 * and closes it at the end, outside the timed part, and runs a few untimed transactions first.
 * Every register value read is compared with what the slave serves; a single wrong value aborts the
 * run. The start address moves with every transaction, so a shifted or stale answer cannot pass.
 *
 * <p>Measured per turn: successful transactions per second of wall time; CPU time of the thread
 * running the transactions (ThreadMXBean); CPU time of this whole JVM (the masters' helper threads
 * such as jSerialComm's event thread that j2mod starts, and JIT and GC, which the warm-up keeps
 * small). The slave's CPU is in its own process and not counted. Reported: the median of the rounds
 * with the range, the median of the per-round ratios ours / j2mod (both from the same round), and
 * CPU time per transaction over all rounds together.
 *
 * <p>Options: {@code --bauds 9600,115200}, {@code --registers 2,40}, {@code --rounds 7}, {@code
 * --seconds 3} per turn, {@code --warmup 5} seconds per master and setting, {@code --masters
 * ours,j2mod} (also {@code j2mod-t35}: j2mod with a fixed pause before every request of t3.5 rounded
 * up to whole milliseconds, its unit: 4 ms at 9600 Bd, 2 ms above 19200 Bd where its own delay is
 * 1 ms, shorter than the 1.75 ms of section 2.5.1.1), {@code --jit-warmup 4000} transactions per
 * master before anything is measured, {@code --line-time} (the slave imitates the time bytes take on
 * a real line, see {@link RtuBenchSlave}).
 */
public final class RtuMasterBench {
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(1);
    private static final int RETRIES = 2;
    /** Untimed transactions after opening: the first one of a fresh master waits no t3.5. */
    private static final int SETTLE_TRANSACTIONS = 5;
    /** Silence between two masters' turns, longer than any t3.5 (opening takes longer anyway). */
    private static final long TURN_GAP_MILLIS = 20;
    /** Start addresses cycle through 0..9999 in steps of 61. */
    private static final int ADDRESS_STEP = 61;
    private static final int ADDRESS_SPAN = 10_000;

    private RtuMasterBench() {}

    record Options(List<Integer> bauds, List<Integer> registers, int rounds, double seconds, double warmup,
            int jitWarmup, List<String> masters, boolean lineTime) {

        static Options parse(String[] args) {
            Map<String, String> values = new LinkedHashMap<>();
            boolean lineTime = false;
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--line-time")) {
                    lineTime = true;
                } else if (args[i].startsWith("--") && i + 1 < args.length) {
                    values.put(args[i].substring(2), args[++i]);
                } else {
                    throw new IllegalArgumentException("argument " + (i + 1) + ": expected --option value, actual \""
                            + args[i] + "\"");
                }
            }
            Options o = new Options(ints(values.getOrDefault("bauds", "9600,115200")),
                    ints(values.getOrDefault("registers", "2,40")),
                    Integer.parseInt(values.getOrDefault("rounds", "7")),
                    Double.parseDouble(values.getOrDefault("seconds", "3")),
                    Double.parseDouble(values.getOrDefault("warmup", "5")),
                    Integer.parseInt(values.getOrDefault("jit-warmup", "4000")),
                    List.of(values.getOrDefault("masters", "ours,j2mod").split(",")), lineTime);
            for (String m : o.masters) {
                if (!List.of("ours", "j2mod", "j2mod-t35").contains(m)) {
                    throw new IllegalArgumentException("masters: expected ours, j2mod or j2mod-t35, actual \"" + m + "\"");
                }
            }
            if (!o.masters.getFirst().equals("ours") || o.masters.size() < 2) {
                throw new IllegalArgumentException("masters: expected ours first and at least one other, actual "
                        + o.masters);
            }
            for (int q : o.registers) {
                if (q < 1 || q > 125) {
                    throw new IllegalArgumentException("registers: expected 1..125 (section 6.3), actual " + q);
                }
            }
            return o;
        }

        private static List<Integer> ints(String csv) {
            return Arrays.stream(csv.split(",")).map(String::strip).map(Integer::valueOf).toList();
        }
    }

    /** A master under test, open on the pty end for one turn. */
    private interface Master extends AutoCloseable {
        /** FC 03 from unit {@link RtuBenchSlave#UNIT_ID}; the values as read, each 0..65535. */
        int[] readHoldingRegisters(int address, int quantity) throws Exception;

        @Override
        void close();
    }

    /** A value differed from what the slave serves: the run is void. */
    private static final class WrongValueException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        WrongValueException(String message) {
            super(message);
        }
    }

    /** One master's turn: counts and times. */
    record Turn(int transactions, int failures, long wallNanos, long threadCpuNanos, long processCpuNanos) {
        double perSecond() {
            return transactions * 1e9 / wallNanos;
        }

        double threadCpuMicros() {
            return threadCpuNanos / 1e3 / transactions;
        }

        double processCpuMicros() {
            return processCpuNanos / 1e3 / transactions;
        }
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.out.printf(Locale.ROOT, "JDK %s, %d cores, load average %.2f; rounds %d x %.1f s, warm-up %.1f s,"
                        + " masters %s%s%n", Runtime.version(), Runtime.getRuntime().availableProcessors(),
                os.getSystemLoadAverage(), options.rounds, options.seconds, options.warmup, options.masters,
                options.lineTime ? ", slave waits the line time" : "");
        List<String> table = new ArrayList<>();
        try (SocatPtyPair pty = SocatPtyPair.start()) {
            // Opening our transport first loads jSerialComm through JSerialCommLoader (private
            // directory) before j2mod touches the SerialPort class.
            openOurs(pty.a(), options.bauds.getFirst()).close();
            if (options.jitWarmup > 0) {
                jitWarmup(options, pty);
            }
            for (int baud : options.bauds) {
                try (SlaveProcess slave = SlaveProcess.start(pty.b(), baud, options.lineTime)) {
                    for (int registers : options.registers) {
                        table.add(scenario(options, pty.a(), baud, registers));
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "%nload average at the end %.2f%n%n", os.getSystemLoadAverage());
        System.out.println("| baud | registers | " + String.join(" | ", options.masters.stream()
                .map(m -> m + " tx/s").toList()) + " | " + String.join(" | ", options.masters.stream().skip(1)
                .map(m -> "ours/" + m).toList()) + " | " + String.join(" | ", options.masters.stream()
                .map(m -> m + " CPU µs/tx thread, process").toList()) + " |");
        System.out.println("|---|---:|" + "---:|".repeat(options.masters.size() * 3 - 1));
        table.forEach(System.out::println);
    }

    /**
     * Runs every master {@code --jit-warmup} transactions at the fastest baud rate before anything
     * is measured: the code paths do not depend on the baud rate, and at 9600 Bd the per-setting
     * warm-up alone leaves much of both masters interpreted (our thread CPU per transaction fell from
     * ~200 to ~130 us between 500 and 6000 transactions).
     */
    private static void jitWarmup(Options options, SocatPtyPair pty) throws Exception {
        int baud = options.bauds.stream().mapToInt(Integer::intValue).max().orElseThrow();
        try (SlaveProcess slave = SlaveProcess.start(pty.b(), baud, false)) {
            for (String m : options.masters) {
                long start = System.nanoTime();
                int[] sequence = new int[1];
                try (Master master = open(m, pty.a(), baud)) {
                    for (int i = 0; i < options.jitWarmup; i++) {
                        transact(m, master, options.registers.get(i % options.registers.size()), sequence);
                    }
                }
                TimeUnit.MILLISECONDS.sleep(TURN_GAP_MILLIS);
                System.out.printf(Locale.ROOT, "JIT warm-up %-10s %d transactions at %d Bd in %.1f s%n", m,
                        options.jitWarmup, baud, (System.nanoTime() - start) / 1e9);
            }
        }
    }

    private static String scenario(Options options, Path port, int baud, int registers) throws Exception {
        System.out.printf(Locale.ROOT, "%n%d Bd 8N1, FC 03 x %d registers%n", baud, registers);
        Map<String, int[]> sequence = new LinkedHashMap<>();
        Map<String, List<Turn>> turns = new LinkedHashMap<>();
        for (String m : options.masters) {
            sequence.put(m, new int[1]);
            turns.put(m, new ArrayList<>());
            Turn warm = turn(m, port, baud, registers, options.warmup, sequence.get(m));
            System.out.printf(Locale.ROOT, "  warm-up %-10s %7.1f tx/s%n", m, warm.perSecond());
        }
        for (int round = 1; round <= options.rounds; round++) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  round %d", round));
            for (String m : options.masters) {
                Turn t = turn(m, port, baud, registers, options.seconds, sequence.get(m));
                turns.get(m).add(t);
                line.append(String.format(Locale.ROOT, "  %s %.1f tx/s (%.1f / %.1f µs/tx%s)", m, t.perSecond(),
                        t.threadCpuMicros(), t.processCpuMicros(), t.failures() > 0 ? ", " + t.failures() + " FAILED" : ""));
            }
            System.out.println(line);
        }
        String ours = options.masters.getFirst();
        StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %d | %d |", baud, registers));
        StringBuilder summary = new StringBuilder("  median");
        for (String m : options.masters) {
            double[] rates = turns.get(m).stream().mapToDouble(Turn::perSecond).toArray();
            row.append(' ').append(medianRange(rates, "%.1f")).append(" |");
            summary.append(String.format(Locale.ROOT, "  %s %s tx/s", m, medianRange(rates, "%.1f")));
        }
        for (String m : options.masters.subList(1, options.masters.size())) {
            double[] ratios = new double[options.rounds];
            for (int r = 0; r < options.rounds; r++) {
                ratios[r] = turns.get(ours).get(r).perSecond() / turns.get(m).get(r).perSecond();
            }
            row.append(' ').append(medianRange(ratios, "%.2f")).append(" |");
            summary.append(String.format(Locale.ROOT, "  %s/%s %s", ours, m, medianRange(ratios, "%.2f")));
        }
        for (String m : options.masters) {
            // Over all rounds together: the JVM reports process CPU in whole clock ticks (10 ms),
            // ~50 us per transaction in a 3 s turn at 60 tx/s.
            List<Turn> all = turns.get(m);
            long transactions = all.stream().mapToLong(Turn::transactions).sum();
            double thread = all.stream().mapToLong(Turn::threadCpuNanos).sum() / 1e3 / transactions;
            double process = all.stream().mapToLong(Turn::processCpuNanos).sum() / 1e3 / transactions;
            row.append(String.format(Locale.ROOT, " %.0f, %.0f |", thread, process));
            int failures = turns.get(m).stream().mapToInt(Turn::failures).sum();
            summary.append(String.format(Locale.ROOT, "  %s cpu %.1f / %.1f µs/tx, %d failed", m, thread, process,
                    failures));
        }
        System.out.println(summary);
        return row.toString();
    }

    /** Opens {@code name}, settles it, runs it for {@code seconds} and closes it. */
    private static Turn turn(String name, Path port, int baud, int quantity, double seconds, int[] sequence)
            throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long duration = (long) (seconds * 1e9);
        Turn turn;
        try (Master master = open(name, port, baud)) {
            for (int i = 0; i < SETTLE_TRANSACTIONS; i++) {
                transact(name, master, quantity, sequence);
            }
            int ok = 0;
            int failed = 0;
            long threadCpu = threads.getCurrentThreadCpuTime();
            long processCpu = os.getProcessCpuTime();
            long start = System.nanoTime();
            long elapsed;
            do {
                try {
                    transact(name, master, quantity, sequence);
                    ok++;
                } catch (WrongValueException e) {
                    throw e;
                } catch (Exception e) {
                    failed++;
                    System.out.println("  " + name + " failed: " + e);
                }
                elapsed = System.nanoTime() - start;
            } while (elapsed < duration);
            turn = new Turn(ok, failed, elapsed, threads.getCurrentThreadCpuTime() - threadCpu,
                    os.getProcessCpuTime() - processCpu);
        }
        TimeUnit.MILLISECONDS.sleep(TURN_GAP_MILLIS);
        return turn;
    }

    private static void transact(String name, Master master, int quantity, int[] sequence) throws Exception {
        int address = (sequence[0]++ * ADDRESS_STEP) % ADDRESS_SPAN;
        int[] values = master.readHoldingRegisters(address, quantity);
        if (values.length != quantity) {
            throw new WrongValueException(name + ": register count from " + address + ": expected " + quantity
                    + ", actual " + values.length);
        }
        for (int i = 0; i < quantity; i++) {
            int expected = RtuBenchSlave.registerValue(address + i);
            if (values[i] != expected) {
                throw new WrongValueException(String.format(Locale.ROOT,
                        "%s: register %d: expected 0x%04x, actual 0x%04x", name, address + i, expected, values[i]));
            }
        }
    }

    private static Master open(String name, Path port, int baud) throws Exception {
        return switch (name) {
            case "ours" -> openOurs(port, baud);
            case "j2mod" -> openJ2mod(port, baud, 0);
            case "j2mod-t35" -> openJ2mod(port, baud, t35WholeMillis(baud));
            default -> throw new IllegalArgumentException("master: " + name);
        };
    }

    private static Master openOurs(Path port, int baud) throws Exception {
        SerialLineConfig line = SerialLineConfig.builder(port.toString()).baudRate(baud)
                .parity(SerialLineConfig.Parity.NONE).stopBits(1).build();
        ModbusRtuMasterConfig config = ModbusRtuMasterConfig.builder()
                .timing(RtuTiming.of(baud, line.bitsPerCharacter()))
                .responseTimeout(RESPONSE_TIMEOUT)
                .retries(RETRIES)
                .build();
        ModbusRtuMaster master = new ModbusRtuMaster(SerialPortTransport.open(line), config);
        return new Master() {
            @Override
            public int[] readHoldingRegisters(int address, int quantity) throws Exception {
                return master.readHoldingRegisters(RtuBenchSlave.UNIT_ID, address, quantity);
            }

            @Override
            public void close() {
                master.close();
            }
        };
    }

    /**
     * j2mod as its documentation sets it up: {@code ModbusSerialMaster} with RTU encoding, 8N1, the
     * same response timeout and retries as ours. {@code transDelayMillis} 0 is j2mod's default (its
     * own inter-frame delay: 4 character times but at least 2 ms, truncated to whole milliseconds;
     * 1 ms above 19200 Bd); more is a fixed pause before every request.
     */
    private static Master openJ2mod(Path port, int baud, int transDelayMillis) throws Exception {
        SerialParameters parameters = new SerialParameters();
        parameters.setPortName(port.toString());
        parameters.setBaudRate(baud);
        parameters.setDatabits(8);
        parameters.setParity(0); // none
        parameters.setStopbits(1);
        parameters.setEncoding("rtu");
        parameters.setEcho(false);
        ModbusSerialMaster master = new ModbusSerialMaster(parameters, (int) RESPONSE_TIMEOUT.toMillis(),
                transDelayMillis);
        master.connect();
        master.setRetries(RETRIES);
        return new Master() {
            @Override
            public int[] readHoldingRegisters(int address, int quantity) throws Exception {
                Register[] registers = master.readMultipleRegisters(RtuBenchSlave.UNIT_ID, address, quantity);
                int[] values = new int[registers.length];
                for (int i = 0; i < registers.length; i++) {
                    values[i] = registers[i].toUnsignedShort();
                }
                return values;
            }

            @Override
            public void close() {
                master.disconnect();
            }
        };
    }

    /** t3.5 at {@code baud} 8N1 rounded up to whole milliseconds, the unit of j2mod's transaction delay. */
    private static int t35WholeMillis(int baud) {
        return (int) Math.ceilDiv(RtuTiming.of(baud, 10).t35().toNanos(), 1_000_000L);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String medianRange(double[] values, String format) {
        double min = Arrays.stream(values).min().orElse(Double.NaN);
        double max = Arrays.stream(values).max().orElse(Double.NaN);
        return String.format(Locale.ROOT, format + " (" + format + "–" + format + ")", median(values), min, max);
    }

    /** {@link RtuBenchSlave} in a JVM of its own, on the other pty end. */
    static final class SlaveProcess implements AutoCloseable {
        private final Process process;

        private SlaveProcess(Process process) {
            this.process = process;
        }

        static SlaveProcess start(Path port, int baud, boolean lineTime) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(List.of(
                    ProcessHandle.current().info().command().orElse("java"),
                    "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"),
                    RtuBenchSlave.class.getName(), port.toString(), Integer.toString(baud)));
            if (lineTime) {
                command.add("--line-time");
            }
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            SlaveProcess slave = new SlaveProcess(process);
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            if (!RtuBenchSlave.READY.equals(first)) {
                slave.close();
                throw new IOException("slave did not start (exit " + (process.isAlive() ? "-" : process.exitValue())
                        + "), first line: " + first);
            }
            return slave;
        }

        @Override
        public void close() throws InterruptedException {
            try {
                process.getOutputStream().close();
            } catch (IOException e) {
                // already gone
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroy();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
