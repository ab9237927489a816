package io.wattproof.agent.outbox;

import io.wattproof.agent.outbox.OutboxLogFormat.AckRange;
import io.wattproof.agent.record.SignedRecord;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;

/**
 * Storage cost of final marks and of pruning. Writes the log a year of 15-minute records leaves
 * (35,040 records of 235 bytes, each acknowledged with the next record, as the agent does) without
 * a sync per record, then through {@link FileOutbox}: marks records final one block at a time (one
 * synced FINAL frame each) and prunes a year of them at once, and the steady state of pruning a
 * day's records from two days'. Reports {@code write_bytes} ({@code /proc/self/io}: what reached
 * the block device) and {@code wchar} (what passed through write()).
 *
 * <p>In this package because it writes the year's log with the package's own frame encoder. Run
 * (after {@code mvn -q -pl meter-agent -am package -DskipTests}):
 * <pre>
 *   javac -d /tmp/bench -cp "meter-agent/target/classes:meter-agent/target/lib/*" \
 *       meter-agent/src/bench/java/io/wattproof/agent/outbox/OutboxPruneBench.java
 *   java -cp "/tmp/bench:meter-agent/target/classes:meter-agent/target/lib/*" \
 *       io.wattproof.agent.outbox.OutboxPruneBench [records] [folder]
 * </pre>
 * The folder defaults to a new one under the working directory: /tmp is often tmpfs.
 */
public final class OutboxPruneBench {
    private static final int PER_DAY = 96;

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 35_040;
        Path root = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory(Path.of("."), "outbox-prune-bench-");
        Path year = root.resolve("year");
        writeLog(year, n);
        System.out.printf("records=%d folder=%s log=%,d B%n", n, root, Files.size(year.resolve(FileOutbox.FILE_NAME)));

        // Final marks: the receipts of one block, here 4 records (an hour), per markFinal.
        int marks = 100;
        try (FileOutbox outbox = FileOutbox.open(year)) {
            long[] before = io();
            long start = System.nanoTime();
            for (int i = 0; i < marks; i++) {
                long first = 1 + 4L * i;
                outbox.markFinal(List.of(first, first + 1, first + 2, first + 3));
            }
            long elapsed = System.nanoTime() - start;
            long[] after = io();
            System.out.printf("markFinal (4 records each, %d calls): write_bytes %,d B, wchar %,d B per call, %.1f ms per call%n",
                    marks, (after[0] - before[0]) / marks, (after[1] - before[1]) / marks, elapsed / 1e6 / marks);

            // A year pruned at once: everything final but the last day.
            outbox.markFinal(LongStream.rangeClosed(1, n - PER_DAY).boxed().toList());
            long size = outbox.sizeBytes();
            before = io();
            start = System.nanoTime();
            int removed = outbox.prune();
            elapsed = System.nanoTime() - start;
            after = io();
            System.out.printf("prune of a year (%,d removed, %d kept): %.0f ms, write_bytes %,d B, wchar %,d B, file %,d -> %,d B%n",
                    removed, outbox.unacknowledged().size() + outbox.unconfirmedCount(), elapsed / 1e6,
                    after[0] - before[0], after[1] - before[1], size, outbox.sizeBytes());
        }
        long openStart = System.nanoTime();
        try (FileOutbox outbox = FileOutbox.open(year)) {
            System.out.printf("reopen after prune: %.1f ms, next sequence %d%n", (System.nanoTime() - openStart) / 1e6,
                    outbox.chainState().nextSequence());
        }

        // The worst case: a compaction that keeps a year, as the first final mark on a version 1 file does.
        Path old = root.resolve("version-1");
        writeLog(old, n, 1);
        try (FileOutbox outbox = FileOutbox.open(old)) {
            long[] before = io();
            long start = System.nanoTime();
            outbox.markFinal(List.of(1L));
            long elapsed = System.nanoTime() - start;
            long[] after = io();
            System.out.printf("first markFinal on a version 1 year (rewrite keeping %,d records): %.0f ms, write_bytes %,d B, "
                    + "wchar %,d B%n", n, elapsed / 1e6, after[0] - before[0], after[1] - before[1]);
        }

        // Steady state: a day final, a day not yet, pruned once a day.
        Path days = root.resolve("days");
        writeLog(days, 2 * PER_DAY);
        try (FileOutbox outbox = FileOutbox.open(days)) {
            outbox.markFinal(LongStream.rangeClosed(1, PER_DAY).boxed().toList());
            long[] before = io();
            long start = System.nanoTime();
            int removed = outbox.prune();
            long elapsed = System.nanoTime() - start;
            long[] after = io();
            System.out.printf("daily prune (%d removed, %d kept): %.1f ms, write_bytes %,d B, wchar %,d B%n", removed,
                    PER_DAY, elapsed / 1e6, after[0] - before[0], after[1] - before[1]);
        }
    }

    /** The log of {@code n} records, each acknowledging the one before, as one write and one sync. */
    private static void writeLog(Path dir, int n) throws Exception {
        writeLog(dir, n, OutboxLogFormat.VERSION);
    }

    private static void writeLog(Path dir, int n, int version) throws Exception {
        Files.createDirectories(dir);
        Random random = new Random(1);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(OutboxLogFormat.header(version));
        for (long seq = 1; seq <= n; seq++) {
            byte[] tx = new byte[235]; // a signed Reading, docs/protocol.md
            random.nextBytes(tx);
            List<AckRange> acks = new ArrayList<>();
            if (seq > 1) {
                acks.add(new AckRange(seq - 1, seq - 1));
            }
            out.write(OutboxLogFormat.recordFrame(acks, new SignedRecord(seq, tx, sha.digest(tx), Instant.ofEpochSecond(900 * seq))));
        }
        Files.write(dir.resolve(FileOutbox.FILE_NAME), out.toByteArray());
        try (var c = java.nio.channels.FileChannel.open(dir.resolve(FileOutbox.FILE_NAME), java.nio.file.StandardOpenOption.WRITE)) {
            c.force(true); // its writeback must not be counted against what follows
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
