package io.wattproof.modbus.bench;

import io.wattproof.modbus.ModbusIoException;
import io.wattproof.modbus.frame.rtu.RtuTiming;
import io.wattproof.modbus.master.ModbusRtuMaster;
import io.wattproof.modbus.master.ModbusRtuMasterConfig;
import io.wattproof.modbus.testing.SocatPtyPair;
import io.wattproof.modbus.transport.ByteTransport;
import io.wattproof.modbus.transport.SerialLineConfig;
import io.wattproof.modbus.transport.SerialPortTransport;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * Where one {@link ModbusRtuMaster} transaction spends its time, measured at the transport: the
 * master's transport is wrapped so that every call is timed (wall and thread CPU), on the same pty
 * and slave process as {@link RtuMasterBench}. Phases per transaction: the wait before the request
 * (from the end of the previous answer's last read to the pre-send discard: t3.5 plus the master's
 * own return and call, a few us), the discard (tcflush), the write (write + tcdrain), the answer
 * (from the end of the write to the end of its last read: the slave's turnaround and the pty, plus
 * any wait of the master for the rest of an answer) with the time spent inside read calls and their
 * number. Not compiled by the build; command in docs/benchmarks.md.
 *
 * <p>Arguments: {@code [BAUD 115200] [REGISTERS 2] [TRANSACTIONS 2000] [WARM-UP 3000] [--line-time]};
 * the warm-up transactions run first, unmeasured, for the JIT.
 */
public final class RtuMasterPhases {
    private RtuMasterPhases() {}

    public static void main(String[] args) throws Exception {
        boolean lineTime = Arrays.asList(args).contains("--line-time");
        int[] numbers = Arrays.stream(args).filter(a -> !a.equals("--line-time")).mapToInt(Integer::parseInt).toArray();
        int baud = numbers.length > 0 ? numbers[0] : 115_200;
        int registers = numbers.length > 1 ? numbers[1] : 2;
        int transactions = numbers.length > 2 ? numbers[2] : 2000;
        int warmUp = numbers.length > 3 ? numbers[3] : 3000;
        try (SocatPtyPair pty = SocatPtyPair.start();
                RtuMasterBench.SlaveProcess slave = RtuMasterBench.SlaveProcess.start(pty.b(), baud, lineTime)) {
            SerialLineConfig line = SerialLineConfig.builder(pty.a().toString()).baudRate(baud)
                    .parity(SerialLineConfig.Parity.NONE).stopBits(1).build();
            TimedTransport timed = new TimedTransport(SerialPortTransport.open(line));
            ModbusRtuMasterConfig config = ModbusRtuMasterConfig.builder()
                    .timing(RtuTiming.of(baud, line.bitsPerCharacter())).build();
            try (ModbusRtuMaster master = new ModbusRtuMaster(timed, config)) {
                for (int i = 0; i < warmUp; i++) {
                    read(master, i, registers);
                }
                timed.reset();
                ThreadMXBean threads = ManagementFactory.getThreadMXBean();
                long cpu = threads.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                for (int i = 0; i < transactions; i++) {
                    read(master, i, registers);
                }
                long wall = System.nanoTime() - start;
                cpu = threads.getCurrentThreadCpuTime() - cpu;
                double n = transactions;
                System.out.printf(Locale.ROOT, "%d Bd 8N1%s, FC 03 x %d: %.1f tx/s, %.0f us per transaction,"
                                + " thread CPU %.0f us%n", baud, lineTime ? " (line time)" : "", registers,
                        n * 1e9 / wall, wall / 1e3 / n, cpu / 1e3 / n);
                phase("wait before the request (t3.5)", timed.beforeDiscard, 0, n);
                phase("discard input (tcflush)", timed.discard, timed.discardCpu, n);
                phase("write (write + tcdrain)", timed.write, timed.writeCpu, n);
                phase("answer: write end to last read end", timed.answer, 0, n);
                phase("  of which inside read calls", timed.read, timed.readCpu, n);
                System.out.printf(Locale.ROOT, "  read calls per transaction %.2f%n", timed.reads / n);
            }
        }
    }

    private static void read(ModbusRtuMaster master, int i, int registers) throws Exception {
        int address = (i * 61) % 10_000;
        int[] values = master.readHoldingRegisters(RtuBenchSlave.UNIT_ID, address, registers);
        for (int k = 0; k < registers; k++) {
            if (values[k] != RtuBenchSlave.registerValue(address + k)) {
                throw new IllegalStateException("register " + (address + k) + ": wrong value " + values[k]);
            }
        }
    }

    private static void phase(String name, long wallNanos, long cpuNanos, double n) {
        System.out.printf(Locale.ROOT, "  %-38s %8.1f us%s%n", name, wallNanos / 1e3 / n,
                cpuNanos > 0 ? String.format(Locale.ROOT, "  (CPU %.1f us)", cpuNanos / 1e3 / n) : "");
    }

    /** Times every call; the master calls discardInput right after its t3.5 wait. */
    private static final class TimedTransport implements ByteTransport {
        private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        private final ByteTransport delegate;
        private long lastCallEnd = System.nanoTime();
        private long writeEnd;
        private long lastReadEnd;
        long beforeDiscard;
        long discard;
        long discardCpu;
        long write;
        long writeCpu;
        long answer;
        long read;
        long readCpu;
        long reads;

        TimedTransport(ByteTransport delegate) {
            this.delegate = delegate;
        }

        void reset() {
            beforeDiscard = discard = discardCpu = write = writeCpu = answer = read = readCpu = reads = 0;
        }

        @Override
        public void discardInput() throws ModbusIoException {
            long cpu = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            beforeDiscard += start - lastCallEnd;
            if (writeEnd != 0) {
                answer += lastReadEnd - writeEnd; // the previous transaction's answer
            }
            delegate.discardInput();
            lastCallEnd = System.nanoTime();
            discard += lastCallEnd - start;
            discardCpu += threads.getCurrentThreadCpuTime() - cpu;
        }

        @Override
        public void write(byte[] bytes) throws ModbusIoException {
            long cpu = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            delegate.write(bytes);
            lastCallEnd = writeEnd = System.nanoTime();
            write += writeEnd - start;
            writeCpu += threads.getCurrentThreadCpuTime() - cpu;
        }

        @Override
        public int read(byte[] buffer, int offset, int length, Duration timeout) throws ModbusIoException {
            long cpu = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            int n = delegate.read(buffer, offset, length, timeout);
            lastCallEnd = lastReadEnd = System.nanoTime();
            read += lastReadEnd - start;
            readCpu += threads.getCurrentThreadCpuTime() - cpu;
            reads++;
            return n;
        }

        @Override
        public String describe() {
            return delegate.describe();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
