package io.wattproof.agent.bench;

import io.wattproof.agent.outbox.FileOutbox;
import io.wattproof.agent.record.ChainState;
import io.wattproof.agent.record.SignedRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Random;

/**
 * Storage cost of the outbox per interval: appends N records of a realistic size (one synced write
 * each, as the agent does once per interval), acknowledging each as the uplink would, and reads the
 * bytes this process made the kernel write ({@code /proc/self/io}: {@code write_bytes} is what
 * reached the block device, {@code wchar} what passed through write()).
 *
 * <p>Run (after {@code mvn -q -pl meter-agent -am package -DskipTests}):
 * <pre>
 *   javac -d /tmp/bench -cp "meter-agent/target/classes:meter-agent/target/lib/*" \
 *       meter-agent/src/bench/java/io/wattproof/agent/bench/OutboxWriteBench.java
 *   java -cp "/tmp/bench:meter-agent/target/classes:meter-agent/target/lib/*" \
 *       io.wattproof.agent.bench.OutboxWriteBench [records] [folder]
 * </pre>
 * The folder defaults to a new one under the working directory: /tmp is often tmpfs, which
 * writes nothing to a device. Last, it reopens the outbox, which reads and checks every frame.
 */
public final class OutboxWriteBench {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory(Path.of("."), "outbox-bench-");
        Random random = new Random(1);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long[] before = io();
        long start = System.nanoTime();
        try (FileOutbox outbox = FileOutbox.open(dir)) {
            for (int i = 0; i < n; i++) {
                ChainState chain = outbox.chainState();
                byte[] tx = new byte[235]; // a signed Reading, docs/protocol.md
                random.nextBytes(tx);
                outbox.append(new SignedRecord(chain.nextSequence(), tx, sha.digest(tx), Instant.ofEpochSecond(900L * (i + 1))));
                outbox.markAcknowledged(chain.nextSequence());
            }
        }
        long elapsed = System.nanoTime() - start;
        long[] after = io();
        System.out.printf("records=%d folder=%s%n", n, dir);
        System.out.printf("write_bytes per record: %,d B (to the device)%n", (after[0] - before[0]) / n);
        System.out.printf("wchar per record:       %,d B (through write())%n", (after[1] - before[1]) / n);
        System.out.printf("appends per second:     %.0f%n", n / (elapsed / 1e9));
        System.out.printf("file size:              %,d B%n", Files.size(dir.resolve(FileOutbox.FILE_NAME)));
        long openStart = System.nanoTime();
        try (FileOutbox outbox = FileOutbox.open(dir)) { // reads and checks every frame
            System.out.printf("reopen (%d records):   %.1f ms%n", outbox.chainState().nextSequence() - 1,
                    (System.nanoTime() - openStart) / 1e6);
        }
    }

    /** write_bytes and wchar of this process. */
    private static long[] io() throws Exception {
        long writeBytes = 0;
        long wchar = 0;
        for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
            if (line.startsWith("write_bytes:")) writeBytes = Long.parseLong(line.substring(12).trim());
            if (line.startsWith("wchar:")) wchar = Long.parseLong(line.substring(6).trim());
        }
        return new long[] {writeBytes, wchar};
    }
}
