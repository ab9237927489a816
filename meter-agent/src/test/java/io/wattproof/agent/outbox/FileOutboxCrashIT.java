package io.wattproof.agent.outbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.wattproof.agent.record.ChainState;
import io.wattproof.agent.record.SignedRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox's durability promise against a stand-in for a power cut: a {@link Writer} JVM appends
 * records in a loop, acknowledges, marks final and prunes on a fixed schedule, and is killed with
 * SIGKILL ({@link ProcessHandle#destroyForcibly()} on Linux) at a random instant; no shutdown hook
 * runs. Reopened, the store must hold every record the writer reported committed, at most the one
 * in flight besides, a chain state equal to the one the records make (also after a prune removed
 * them), every record that is not final in the state the schedule gave it, no leftover compacted
 * file, and must refuse the head's sequence again. Eight kill/reopen cycles share one folder.
 *
 * <p>Run with {@code -Dwattproof.crashit.seed=N} to replay a failing seed; the kill points still
 * vary with scheduling, the seed fixes how many commits each cycle waits for.
 */
class FileOutboxCrashIT {
    private static final String SEED_PROPERTY = "wattproof.crashit.seed";
    private static final int CYCLES = 8;
    /** Kill after this many "committed" lines have been read, drawn uniformly from [MIN, MAX]. */
    private static final int MIN_COMMITS_BEFORE_KILL = 5;
    private static final int MAX_COMMITS_BEFORE_KILL = 60;
    /** Every third record acknowledges the one this many sequences before it, like a lagging broker. */
    private static final int ACK_LAG = 4;
    /** Every fifth record marks final the five records 10..14 sequences before it, like receipts of a block. */
    private static final int FINAL_EVERY = 5;
    private static final int FINAL_LAG = 10;
    /** Every seventh record prunes, so that kills land in compactions too. */
    private static final int PRUNE_EVERY = 7;
    /** Guards against a hung child only; nothing here measures time. */
    private static final long GUARD_SECONDS = 60;
    /** 2026-01-01T00:00:00Z; record n covers the n-th quarter hour after it. */
    private static final long EPOCH_SECOND_BASE = 1_767_225_600L;

    @Test
    void everyCommittedRecordSurvivesSigkillAndNoSequenceIsReused(@TempDir Path root) throws Exception {
        long seed = Long.getLong(SEED_PROPERTY, System.nanoTime());
        Random random = new Random(seed);
        Path data = root.resolve("data");
        long expectedFirst = 1;
        int killedInCompaction = 0;
        for (int cycle = 1; cycle <= CYCLES; cycle++) {
            int killAfter = MIN_COMMITS_BEFORE_KILL + random.nextInt(MAX_COMMITS_BEFORE_KILL - MIN_COMMITS_BEFORE_KILL + 1);
            if (cycle % 2 == 0) {
                // Kill right after a commit that the writer follows with a prune, to land in a compaction.
                killAfter += (int) Math.floorMod(-(expectedFirst + killAfter - 1), (long) PRUNE_EVERY);
            }
            String context = "seed=" + seed + " cycle=" + cycle + " killAfter=" + killAfter;
            Crash crash = runWriterAndKill(data, root.resolve("writer-" + cycle + ".err"), killAfter, context);
            assertEquals(expectedFirst, crash.firstCommitted(),
                    context + ": first sequence the writer committed (the store's next sequence when it opened)");
            long head = verifyAndAppendNext(data, crash, context);
            expectedFirst = head + 2; // the record appended by verifyAndAppendNext, then the writer's first
            if (crash.filesAfterKill().contains(FileOutbox.NEW_FILE_NAME)) {
                killedInCompaction++;
            }
            System.out.println("crash-it " + context + ": read " + crash.linesAtKill() + " lines at kill, writer committed "
                    + crash.firstCommitted() + ".." + crash.lastCommitted() + " (" + crash.count() + " records), store head "
                    + head + (head == crash.lastCommitted() ? "" : " (the one in flight)") + ", exit " + crash.exitCode()
                    + ", files after kill " + crash.filesAfterKill());
        }
        System.out.println("crash-it seed=" + seed + ": " + killedInCompaction + " of " + CYCLES
                + " kills left a compaction unfinished");
    }

    /** What the test saw of one writer run. */
    private record Crash(long firstCommitted, long lastCommitted, int count, int linesAtKill, int exitCode,
            List<String> filesAfterKill) {}

    private static Crash runWriterAndKill(Path data, Path stderrFile, int killAfter, String context) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.add("--enable-native-access=ALL-UNNAMED");
        if (Runtime.version().feature() >= 23) {
            command.add("--sun-misc-unsafe-memory-access=allow"); // the flag does not exist before 23
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Writer.class.getName(), data.toString()));
        Process process = new ProcessBuilder(command).redirectError(stderrFile.toFile()).start();
        try {
            CommitReader reader = new CommitReader(process.getInputStream(), killAfter);
            Thread thread = new Thread(reader, "crash-it-stdout");
            thread.setDaemon(true);
            thread.start();
            if (!reader.enough.await(GUARD_SECONDS, TimeUnit.SECONDS)) {
                fail(context + ": writer printed only " + reader.count() + " commits in " + GUARD_SECONDS + " s; stderr: "
                        + read(stderrFile));
            }
            int linesAtKill = reader.count();
            // If the writer is gone already, it ended on its own: the kill would prove nothing.
            assertTrue(process.isAlive(), () -> context + ": writer exited by itself after " + linesAtKill
                    + " commits, exit " + process.exitValue() + ", stderr: " + read(stderrFile));
            // SIGKILL through the handle: Process.destroyForcibly() sends the same signal but also
            // closes our end of stdout, losing commit lines still in the pipe.
            process.toHandle().destroyForcibly();
            assertTrue(process.waitFor(GUARD_SECONDS, TimeUnit.SECONDS), context + ": writer not dead after SIGKILL");
            thread.join(TimeUnit.SECONDS.toMillis(GUARD_SECONDS)); // drains what the writer printed before it died
            assertFalse(thread.isAlive(), context + ": writer's stdout not closed after its death");
            if (reader.failure != null) {
                throw new AssertionError(context + ": " + reader.failure, reader.failure);
            }
            assertTrue(reader.others.isEmpty(), context + ": unexpected writer output " + reader.others);
            return new Crash(reader.first, reader.last, reader.count(), linesAtKill, process.exitValue(), fileNames(data));
        } finally {
            process.destroyForcibly();
        }
    }

    /**
     * Checks the reopened store against what the writer reported, then appends the next record from
     * this JVM; returns the head sequence found.
     */
    private static long verifyAndAppendNext(Path data, Crash crash, String context) throws OutboxException {
        String where = context + " (writer committed up to " + crash.lastCommitted() + ")";
        try (Outbox outbox = FileOutbox.open(data)) { // a stale file lock would fail here
            assertFalse(Files.exists(data.resolve(FileOutbox.NEW_FILE_NAME)), where + ": leftover compacted file not deleted");
            ChainState chain = outbox.chainState();
            long head = chain.nextSequence() - 1;
            assertTrue(head >= crash.lastCommitted(), where + ": committed record lost, store head is " + head);
            assertTrue(head <= crash.lastCommitted() + 1, where + ": store head " + head + " is beyond the one in flight");
            SignedRecord last = record(head);
            assertArrayEquals(last.recordHash(), chain.headHash(), where + ": head hash is not record " + head + "'s hash");
            assertEquals(last.intervalEnd(), chain.lastIntervalEnd(), where + ": last interval end");
            assertEquals(chainAfter(head), chain, where + ": chain state is not the one records 1.." + head + " make");

            TreeSet<Long> pending = listed(outbox.unacknowledged(), head, where + ": unacknowledged"); // decodes every record
            TreeSet<Long> unconfirmed = listed(outbox.unconfirmed(Integer.MAX_VALUE), head, where + ": unconfirmed");
            assertEquals(pending.size(), outbox.depth(), where + ": depth");
            assertEquals(unconfirmed.size(), outbox.unconfirmedCount(), where + ": unconfirmed count");
            for (long q = 1; q <= head; q++) {
                boolean isPending = pending.contains(q);
                boolean isUnconfirmed = unconfirmed.contains(q);
                assertFalse(isPending && isUnconfirmed, where + ": record " + q + " both unacknowledged and unconfirmed");
                switch (finalState(q, head)) {
                    case FINAL -> assertFalse(isPending || isUnconfirmed,
                            where + ": record " + q + " was marked final before record " + head + " but is listed");
                    case EITHER -> {
                        // Marked final just before the kill, durably or not: the agent verifies the
                        // receipt again and marks it again.
                        outbox.markFinal(List.of(q));
                    }
                    case NOT_FINAL -> {
                        switch (ackState(q, head)) {
                            case PENDING -> assertTrue(isPending,
                                    where + ": record " + q + " was never acknowledged but is missing (head " + head + ")");
                            case ACKNOWLEDGED -> assertTrue(isUnconfirmed, where + ": record " + q + " is "
                                    + (isPending ? "unacknowledged, its acknowledgement committed with a later record lost"
                                            : "missing although not final"));
                            case EITHER -> {
                                assertTrue(isPending || isUnconfirmed, where + ": record " + q + " is missing although not final");
                                // Its acknowledgement died with the writer, if it did: the agent resends the
                                // record and the broker acknowledges it again, durable with the append below.
                                outbox.markAcknowledged(q);
                            }
                        }
                    }
                }
            }

            assertThrows(IllegalStateException.class, () -> outbox.append(record(head)),
                    where + ": the head sequence " + head + " must not be accepted again");
            outbox.append(record(head + 1));
            afterAppend(outbox, head + 1);
            assertEquals(head + 2, outbox.chainState().nextSequence(), where + ": next sequence after appending " + (head + 1));
            return head;
        }
    }

    /** The sequences of {@code records}, checked: in order, each once, within 1..head, with the content written. */
    private static TreeSet<Long> listed(List<SignedRecord> records, long head, String where) {
        TreeSet<Long> sequences = new TreeSet<>();
        for (SignedRecord r : records) {
            assertTrue(r.sequence() >= 1 && r.sequence() <= head, where + ": stored record " + r.sequence() + " outside 1.." + head);
            assertTrue(sequences.add(r.sequence()), where + ": record " + r.sequence() + " listed twice");
            assertEquals(record(r.sequence()), r, where + ": record " + r.sequence() + " content differs from what was written");
        }
        assertEquals(new ArrayList<>(sequences), records.stream().map(SignedRecord::sequence).toList(),
                where + ": records not in sequence order");
        return sequences;
    }

    /** The chain state records 1..head make, whatever was pruned. */
    private static ChainState chainAfter(long head) {
        ChainState chain = ChainState.GENESIS;
        for (long q = 1; q <= head; q++) {
            chain = chain.advance(record(q));
        }
        return chain;
    }

    private enum FinalState { FINAL, NOT_FINAL, EITHER }

    /**
     * Whether record {@code q} must be final with {@code head} as the last stored record: it is
     * marked (durably, in one write) after the multiple of {@link #FINAL_EVERY} among
     * {@code q + FINAL_LAG .. q + FINAL_LAG + 4} is appended; after the head, it may not have been.
     */
    private static FinalState finalState(long q, long head) {
        long trigger = q + FINAL_LAG;
        trigger += (FINAL_EVERY - trigger % FINAL_EVERY) % FINAL_EVERY;
        if (trigger > head) {
            return FinalState.NOT_FINAL;
        }
        return trigger < head ? FinalState.FINAL : FinalState.EITHER;
    }

    /** What the writer does after each append, and the test after its own. */
    private static void afterAppend(Outbox outbox, long appended) throws OutboxException {
        acknowledgeLagging(outbox, appended);
        if (appended % FINAL_EVERY == 0 && appended > FINAL_LAG) {
            List<Long> settled = new ArrayList<>();
            for (long q = Math.max(1, appended - FINAL_LAG - FINAL_EVERY + 1); q <= appended - FINAL_LAG; q++) {
                settled.add(q);
            }
            outbox.markFinal(settled);
        }
        if (appended % PRUNE_EVERY == 0) {
            outbox.prune();
        }
    }

    private enum AckState { PENDING, ACKNOWLEDGED, EITHER }

    /**
     * Whether record {@code q} must be pending with {@code head} as the last stored record. Its
     * acknowledgement is marked after record {@code q + ACK_LAG} is appended and becomes durable
     * with the following append; marked after the head, it may or may not have reached the disk,
     * and {@link #verifyAndAppendNext} marks it again so later cycles know it acknowledged.
     */
    private static AckState ackState(long q, long head) {
        long trigger = q + ACK_LAG;
        if (trigger % 3 != 0 || trigger > head) {
            return AckState.PENDING;
        }
        return trigger < head ? AckState.ACKNOWLEDGED : AckState.EITHER;
    }

    private static void acknowledgeLagging(Outbox outbox, long appended) throws OutboxException {
        if (appended % 3 == 0 && appended > ACK_LAG) {
            outbox.markAcknowledged(appended - ACK_LAG);
        }
    }

    /**
     * The record with sequence {@code seq}, the same in every JVM: 100–300 bytes of SignedTx
     * stand-in from a generator seeded with the sequence, its SHA-256, and the end of quarter hour
     * {@code seq}.
     */
    static SignedRecord record(long seq) {
        SplittableRandom bytes = new SplittableRandom(seq);
        byte[] tx = new byte[100 + bytes.nextInt(201)];
        bytes.nextBytes(tx);
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(tx);
            return new SignedRecord(seq, tx, hash, Instant.ofEpochSecond(EPOCH_SECOND_BASE + seq * 900));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }

    /**
     * Reads the writer's stdout byte by byte; only newline-terminated lines count, so a line cut
     * by the kill is ignored, not misread as a smaller sequence.
     */
    private static final class CommitReader implements Runnable {
        final CountDownLatch enough = new CountDownLatch(1);
        final List<String> others = new ArrayList<>();
        private final InputStream in;
        private final int killAfter;
        private volatile int count;
        volatile long first;
        volatile long last;
        volatile Throwable failure;

        CommitReader(InputStream in, int killAfter) {
            this.in = in;
            this.killAfter = killAfter;
        }

        int count() {
            return count;
        }

        @Override
        public void run() {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            try (in) {
                for (int b; (b = in.read()) != -1; ) {
                    if (b != '\n') {
                        line.write(b);
                        continue;
                    }
                    accept(line.toString(StandardCharsets.US_ASCII));
                    line.reset();
                }
            } catch (IOException | RuntimeException e) {
                failure = e;
            } finally {
                enough.countDown(); // EOF before enough lines: the waiting test reports the shortfall
            }
        }

        private void accept(String text) {
            if (!text.startsWith("committed ")) {
                synchronized (others) {
                    others.add(text);
                }
                return;
            }
            long seq = Long.parseLong(text.substring("committed ".length()));
            if (count > 0 && seq != last + 1) {
                throw new IllegalStateException("writer committed " + seq + " after " + last);
            }
            if (count == 0) {
                first = seq;
            }
            last = seq;
            count++;
            if (count == killAfter) {
                enough.countDown();
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /**
     * The child JVM: appends the next record in a loop, reports each commit on stdout, then
     * acknowledges, marks final and prunes as {@link #afterAppend} says. It never closes the
     * outbox; the test kills it.
     */
    static final class Writer {
        /** A ceiling so a writer the test fails to kill still ends. */
        private static final int MAX_RECORDS = 100_000;

        public static void main(String[] args) throws Exception {
            Outbox outbox = FileOutbox.open(Path.of(args[0]));
            PrintStream out = System.out;
            for (int i = 0; i < MAX_RECORDS; i++) {
                long seq = outbox.chainState().nextSequence();
                outbox.append(record(seq));
                // One write of one line, so the line reaches the pipe whole or not at all.
                out.print("committed " + seq + "\n");
                out.flush();
                afterAppend(outbox, seq);
            }
            outbox.close();
        }
    }
}
