package io.wattproof.agent.outbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.agent.outbox.OutboxLogFormat.AckRange;
import io.wattproof.agent.record.ChainState;
import io.wattproof.agent.record.SignedRecord;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileOutboxTest extends OutboxContractTest {
    @TempDir
    Path dir;

    @Override
    Outbox open() throws OutboxException {
        return FileOutbox.open(dir);
    }

    private Path log() {
        return dir.resolve(FileOutbox.FILE_NAME);
    }

    /**
     * An S0 pulse counter forgets everything at a restart; its register continues from the last
     * stored record's import register, which reopening recomputes from the records.
     */
    @Test
    void reopeningRecoversTheLastImportRegister() throws Exception {
        java.util.function.LongFunction<SignedRecord> reading = wh -> {
            byte[] tx = io.wattproof.protocol.v1.SignedTx.newBuilder()
                    .setBodyType(io.wattproof.protocol.v1.BodyType.READING)
                    .setBody(io.wattproof.protocol.v1.Reading.newBuilder().setImportWh(wh).build().toByteString())
                    .build().toByteArray();
            long seq = wh / 1000;
            return new SignedRecord(seq, tx, record(seq).recordHash(), record(seq).intervalEnd());
        };
        try (Outbox o = open()) {
            assertEquals(0, o.chainState().lastImportWh());
            o.append(reading.apply(1_000));
            o.append(reading.apply(2_000));
            assertEquals(2_000, o.chainState().lastImportWh());
        }
        try (Outbox o = open()) {
            assertEquals(2_000, o.chainState().lastImportWh());
        }
    }

    @Test
    void reopenedOutboxHasTheSameChainAndRecords() throws Exception {
        try (Outbox o = open()) {
            o.append(record(1));
            o.append(record(2));
            o.markAcknowledged(1);
        }
        try (Outbox o = open()) {
            assertEquals(3, o.chainState().nextSequence());
            assertEquals(List.of(record(2)), o.unacknowledged()); // the acknowledgement was written on close
            o.append(record(3));
        }
        try (Outbox o = open()) {
            assertEquals(record(3).recordHash().length, o.chainState().headHash().length);
            assertArrayEquals(record(3).recordHash(), o.chainState().headHash());
            assertEquals(record(3).intervalEnd(), o.chainState().lastIntervalEnd());
            assertEquals(List.of(record(2), record(3)), o.unacknowledged());
            assertEquals(2, o.depth());
        }
    }

    @Test
    void anAcknowledgementRidesOnTheNextRecordNotOnItsOwnWrite() throws Exception {
        try (Outbox o = open()) {
            o.append(record(1));
            long before = Files.size(log());
            o.markAcknowledged(1);
            assertEquals(before, Files.size(log()), "marking wrote to the file");
            o.append(record(2));
        }
        // Nothing was pending at close, so the acknowledgement can only have come with record 2.
        try (Outbox o = open()) {
            assertEquals(List.of(record(2)), o.unacknowledged());
        }
    }

    @Test
    void secondOpenOfTheSameFolderIsRefusedWithAClearMessage() throws Exception {
        try (Outbox o = open()) {
            OutboxException e = assertThrows(OutboxException.class, () -> FileOutbox.open(dir));
            assertTrue(e.getMessage().contains(FileOutbox.FILE_NAME) && e.getMessage().contains("locked"), e.getMessage());
        }
        try (Outbox o = open()) { // the lock went with the first outbox
            assertEquals(1, o.chainState().nextSequence());
        }
    }

    @Test
    void garbageFileIsRefusedAndLeftAlone() throws Exception {
        byte[] garbage = "this is not an outbox, but someone's data, long enough to hold a header".getBytes();
        Files.write(log(), garbage);
        OutboxException e = assertThrows(OutboxException.class, () -> FileOutbox.open(dir));
        assertTrue(e.getMessage().contains(log().toString()) && e.getMessage().contains("WATTPROOF-OUTBOX"), e.getMessage());
        assertArrayEquals(garbage, Files.readAllBytes(log()));
    }

    @Test
    void aLogOfAnotherVersionIsRefusedAndLeftAlone() throws Exception {
        byte[] header = OutboxLogFormat.header();
        header[OutboxLogFormat.MAGIC.length + 3] = 3; // a version after this one
        System.arraycopy(crcOf(header), 0, header, header.length - 4, 4);
        Files.write(log(), header);
        OutboxException e = assertThrows(OutboxException.class, () -> FileOutbox.open(dir));
        assertTrue(e.getMessage().contains("format version 3, this agent reads versions 1 to 2"), e.getMessage());
        assertArrayEquals(header, Files.readAllBytes(log()));
    }

    private static byte[] crcOf(byte[] header) {
        int crc = OutboxLogFormat.crc(header, 0, header.length - 4);
        return new byte[] {(byte) (crc >>> 24), (byte) (crc >>> 16), (byte) (crc >>> 8), (byte) crc};
    }

    @Test
    void anOutboxFromTheMapDbVersionIsRefusedNotReplaced() throws Exception {
        Path old = dir.resolve(FileOutbox.MAPDB_FILE_NAME);
        Files.write(old, new byte[] {1, 2, 3});
        OutboxException e = assertThrows(OutboxException.class, () -> FileOutbox.open(dir));
        assertTrue(e.getMessage().contains("outbox.db") && e.getMessage().contains("MapDB"), e.getMessage());
        assertFalse(Files.exists(log()), "a new outbox would restart the sequence at 1");
    }

    /**
     * A power cut during the last write leaves any prefix of its frame on disk. Every such prefix
     * opens as the state before that write, is cut off, and the next append works.
     */
    @Test
    void everyPrefixOfTheLastWriteOpensAsTheStateBeforeIt() throws Exception {
        try (Outbox o = open()) {
            o.append(record(1));
            o.append(record(2));
            o.markAcknowledged(1);
            o.append(record(3)); // carries the acknowledgement of 1
        }
        byte[] whole = Files.readAllBytes(log());
        int lastFrame = whole.length - OutboxLogFormat.recordFrame(List.of(new AckRange(1, 1)), record(3)).length;
        Path copy = dir.resolve("copy");
        for (int cut = lastFrame + 1; cut < whole.length; cut++) {
            Files.createDirectories(copy);
            Files.write(copy.resolve(FileOutbox.FILE_NAME), Arrays.copyOf(whole, cut));
            try (FileOutbox o = FileOutbox.open(copy)) {
                String at = "cut at " + cut + " of " + whole.length;
                assertEquals(cut - lastFrame, o.discardedTailBytes(), at);
                assertEquals(3, o.chainState().nextSequence(), at);
                assertEquals(List.of(record(1), record(2)), o.unacknowledged(), at + ": the ack of 1 was in the torn frame");
                assertEquals(lastFrame, Files.size(copy.resolve(FileOutbox.FILE_NAME)), at);
                o.append(record(3));
            }
            try (Outbox o = FileOutbox.open(copy)) {
                assertEquals(4, o.chainState().nextSequence());
            }
            Files.delete(copy.resolve(FileOutbox.FILE_NAME));
        }
    }

    @Test
    void zerosAfterTheLastFrameAreCutLikeATornWrite() throws Exception {
        try (Outbox o = open()) {
            o.append(record(1));
        }
        byte[] whole = Files.readAllBytes(log());
        Files.write(log(), Arrays.copyOf(whole, whole.length + 300)); // size grew, data never reached the disk
        try (FileOutbox o = FileOutbox.open(dir)) {
            assertEquals(300, o.discardedTailBytes());
            assertEquals(List.of(record(1)), o.unacknowledged());
        }
        assertArrayEquals(whole, Files.readAllBytes(log()));
    }

    @Test
    void aDamagedFrameWithIntactFramesAfterItIsRefusedAndLeftAlone() throws Exception {
        try (Outbox o = open()) {
            for (long s = 1; s <= 3; s++) {
                o.append(record(s));
            }
        }
        byte[] damaged = Files.readAllBytes(log());
        int firstPayload = OutboxLogFormat.HEADER_BYTES + OutboxLogFormat.FRAME_HEADER_BYTES;
        damaged[firstPayload + 5] ^= 0x10; // one bit in record 1
        Files.write(log(), damaged);
        OutboxException e = assertThrows(OutboxException.class, () -> FileOutbox.open(dir));
        assertTrue(e.getMessage().contains("damaged at offset " + OutboxLogFormat.HEADER_BYTES)
                && e.getMessage().contains("intact frame follows"), e.getMessage());
        assertArrayEquals(damaged, Files.readAllBytes(log()));
    }

    @Test
    void moreGarbageThanOneWriteIsDamageNotATornWrite() throws Exception {
        try (Outbox o = open()) {
            o.append(record(1));
        }
        byte[] whole = Files.readAllBytes(log());
        byte[] grown = Arrays.copyOf(whole, whole.length + OutboxLogFormat.MAX_FRAME_BYTES + 1);
        Arrays.fill(grown, whole.length, grown.length, (byte) 0x5a);
        Files.write(log(), grown);
        OutboxException e = assertThrows(OutboxException.class, () -> FileOutbox.open(dir));
        assertTrue(e.getMessage().contains("more than one write"), e.getMessage());
        assertArrayEquals(grown, Files.readAllBytes(log()));
    }

    @Test
    void intactFramesOutOfSequenceAreRefused() throws Exception {
        writeLog(OutboxLogFormat.recordFrame(List.of(), record(1)), OutboxLogFormat.recordFrame(List.of(), record(3)));
        OutboxException e = assertThrows(OutboxException.class, () -> FileOutbox.open(dir));
        assertTrue(e.getMessage().contains("holds record 3 where record 2 belongs"), e.getMessage());
    }

    @Test
    void anAcknowledgementOfARecordNotYetWrittenIsRefused() throws Exception {
        writeLog(OutboxLogFormat.recordFrame(List.of(), record(1)), OutboxLogFormat.acksFrame(List.of(new AckRange(1, 2))));
        OutboxException e = assertThrows(OutboxException.class, () -> FileOutbox.open(dir));
        assertTrue(e.getMessage().contains("acknowledges records 1..2 but the last record before it is 1"), e.getMessage());
    }

    private void writeLog(byte[]... frames) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(OutboxLogFormat.header());
        for (byte[] f : frames) {
            out.write(f);
        }
        Files.write(log(), out.toByteArray());
    }

    /** More scattered acknowledgements than one frame holds are written over several frames, none lost. */
    @Test
    void scatteredAcknowledgementsBeyondOneFrameAllSurvive() throws Exception {
        int records = 2 * OutboxLogFormat.MAX_RANGES_PER_FRAME + 10;
        try (Outbox o = open()) {
            for (long s = 1; s <= records; s++) {
                o.append(record(s));
            }
            for (long s = 1; s <= records; s += 2) {
                o.markAcknowledged(s); // every other: one range each
            }
        }
        try (Outbox o = open()) {
            List<Long> expected = LongStream.rangeClosed(1, records).filter(s -> s % 2 == 0).boxed().toList();
            assertEquals(expected, o.unacknowledged().stream().map(r -> r.sequence()).toList());
            assertEquals(expected.size(), o.depth());
        }
    }

    @Test
    void aRecordTooLargeForTheLogIsRefusedAndTheOutboxUnchanged() throws Exception {
        try (Outbox o = open()) {
            o.append(record(1));
            long size = Files.size(log());
            var huge = new io.wattproof.agent.record.SignedRecord(2, new byte[OutboxLogFormat.MAX_SIGNED_TX_BYTES + 1],
                    new byte[32], record(2).intervalEnd());
            OutboxException e = assertThrows(OutboxException.class, () -> o.append(huge));
            assertTrue(e.getMessage().contains("record 2"), e.getMessage());
            assertEquals(2, o.chainState().nextSequence());
            assertEquals(size, Files.size(log()));
            o.append(record(2));
        }
    }

    /** What a reopened outbox must show the same of. */
    private record Snapshot(ChainState chain, List<SignedRecord> unacknowledged, List<SignedRecord> unconfirmed,
            int depth, int unconfirmedCount, int prunable) {}

    private static Snapshot snapshot(Outbox o) throws OutboxException {
        return new Snapshot(o.chainState(), o.unacknowledged(), o.unconfirmed(Integer.MAX_VALUE), o.depth(),
                o.unconfirmedCount(), o.prunable());
    }

    /** Ten records: 1..3 and 7 final, 2 and 5 acknowledged first, 4 and 6 acknowledged only. */
    private static void fill(Outbox o) throws OutboxException {
        for (long s = 1; s <= 10; s++) {
            o.append(record(s));
        }
        o.markAcknowledged(2);
        o.markAcknowledged(5);
        o.append(record(11)); // carries the acknowledgements of 2 and 5
        o.markAcknowledged(4);
        o.markAcknowledged(6);
        o.markFinal(List.of(1L, 2L, 3L, 7L));
    }

    @Test
    void reopenedAfterMarkFinalTheOutboxIsTheSame() throws Exception {
        Snapshot before;
        try (Outbox o = open()) {
            fill(o);
            before = snapshot(o);
        }
        try (Outbox o = open()) {
            assertEquals(before, snapshot(o));
            assertEquals(List.of(4L, 5L, 6L), o.unconfirmed(10).stream().map(SignedRecord::sequence).toList());
            assertEquals(4, o.prunable());
        }
    }

    /** The FINAL frame is written and synced by markFinal itself, not on close as acknowledgements are. */
    @Test
    void aFinalMarkIsInTheFileWhenMarkFinalReturns() throws Exception {
        Path copy = dir.resolve("copy");
        try (Outbox o = open()) {
            o.append(record(1));
            o.append(record(2));
            o.markAcknowledged(2); // pending: in memory only
            long size = Files.size(log());
            o.markFinal(List.of(1L));
            assertEquals(size + OutboxLogFormat.finalFrame(List.of(new AckRange(1, 1))).length, Files.size(log()),
                    "one FINAL frame of one range");
            Files.createDirectories(copy);
            Files.copy(log(), copy.resolve(FileOutbox.FILE_NAME));
        }
        try (Outbox o = FileOutbox.open(copy)) { // as a crash would have left it
            assertEquals(1, o.prunable());
            assertEquals(List.of(record(2)), o.unacknowledged(), "2's acknowledgement was not written yet");
        }
    }

    @Test
    void reopenedAfterPruneTheOutboxIsTheSame() throws Exception {
        Snapshot before;
        try (Outbox o = open()) {
            fill(o);
            assertEquals(4, o.prune());
            before = snapshot(o);
        }
        try (Outbox o = open()) {
            assertEquals(before, snapshot(o));
            assertEquals(List.of(4L, 5L, 6L), o.unconfirmed(10).stream().map(SignedRecord::sequence).toList());
            assertEquals(0, o.prunable());
        }
    }

    @Test
    void pruningNothingLeavesTheFileAsItIs() throws Exception {
        try (Outbox o = open()) {
            o.append(record(1));
            o.append(record(2));
            o.markAcknowledged(1);
            byte[] file = Files.readAllBytes(log());
            assertEquals(0, o.prune());
            assertArrayEquals(file, Files.readAllBytes(log()));
        }
    }

    @Test
    void pruneKeepsTheRecordsThatAreNotFinalByteForByte() throws Exception {
        List<SignedRecord> kept;
        try (Outbox o = open()) {
            fill(o);
            kept = new ArrayList<>(o.unacknowledged());
            kept.addAll(o.unconfirmed(10));
            o.prune();
        }
        byte[] file = Files.readAllBytes(log());
        assertEquals(2, OutboxLogFormat.headerVersion(Arrays.copyOf(file, OutboxLogFormat.HEADER_BYTES)));
        for (SignedRecord r : kept) {
            byte[] frame = OutboxLogFormat.recordFrame(List.of(), r);
            assertTrue(indexOf(file, frame) > 0, "record " + r.sequence() + "'s frame is not in the compacted file");
        }
        for (long gone : List.of(1L, 2L, 3L, 7L)) {
            assertEquals(-1, indexOf(file, record(gone).signedTx()), "final record " + gone + " is still in the file");
        }
        try (Outbox o = open()) {
            List<SignedRecord> read = new ArrayList<>(o.unacknowledged());
            read.addAll(o.unconfirmed(10));
            for (int i = 0; i < kept.size(); i++) {
                assertArrayEquals(kept.get(i).signedTx(), read.get(i).signedTx());
                assertArrayEquals(kept.get(i).recordHash(), read.get(i).recordHash());
                assertEquals(kept.get(i).intervalEnd(), read.get(i).intervalEnd());
            }
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void appendAfterPruneContinuesTheSequenceAcrossReopens() throws Exception {
        try (Outbox o = open()) {
            fill(o);
            o.prune();
            o.append(record(12));
            o.markAcknowledged(8);
            o.markFinal(List.of(4L, 12L));
        }
        try (Outbox o = open()) {
            assertEquals(13, o.chainState().nextSequence());
            assertArrayEquals(record(12).recordHash(), o.chainState().headHash());
            assertEquals(List.of(9L, 10L, 11L), o.unacknowledged().stream().map(SignedRecord::sequence).toList());
            assertEquals(List.of(5L, 6L, 8L), o.unconfirmed(10).stream().map(SignedRecord::sequence).toList());
            assertEquals(2, o.prune());
            o.append(record(13));
        }
        try (Outbox o = open()) {
            assertEquals(14, o.chainState().nextSequence());
            assertEquals(List.of(9L, 10L, 11L, 13L), o.unacknowledged().stream().map(SignedRecord::sequence).toList());
        }
    }

    /** A crash before the rename leaves outbox.log.new beside the outbox; it is never read, and deleted. */
    @Test
    void aLeftoverCompactedFileIsDeletedAtOpenAndTheOutboxIsTheOldFile() throws Exception {
        Snapshot before;
        try (Outbox o = open()) {
            fill(o);
            before = snapshot(o);
        }
        // What a compaction writes first (header and checkpoint), and some garbage, as a crash leaves them.
        Path leftover = dir.resolve(FileOutbox.NEW_FILE_NAME);
        Files.write(leftover, OutboxLogFormat.header());
        Files.write(leftover, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
        try (Outbox o = open()) {
            assertFalse(Files.exists(leftover));
            assertEquals(before, snapshot(o));
            assertEquals(4, o.prune());
        }
        try (Outbox o = open()) {
            assertEquals(before.chain(), o.chainState());
            assertEquals(before.unacknowledged(), o.unacknowledged());
        }
    }

    /** A torn FINAL frame opens as if markFinal had not been called, which it had not returned from. */
    @Test
    void everyPrefixOfAFinalMarkOpensAsBeforeIt() throws Exception {
        try (Outbox o = open()) {
            fill(o);
            o.prune();
            o.markFinal(List.of(4L, 5L, 6L, 9L));
        }
        byte[] whole = Files.readAllBytes(log());
        int lastFrame = whole.length - OutboxLogFormat.finalFrame(List.of(new AckRange(4, 6), new AckRange(9, 9))).length;
        Path copy = dir.resolve("copy");
        Files.createDirectories(copy);
        for (int cut = lastFrame + 1; cut < whole.length; cut++) {
            Files.write(copy.resolve(FileOutbox.FILE_NAME), Arrays.copyOf(whole, cut));
            try (Outbox o = FileOutbox.open(copy)) {
                assertEquals(0, o.prunable(), "cut at " + cut);
                assertEquals(List.of(4L, 5L, 6L), o.unconfirmed(10).stream().map(SignedRecord::sequence).toList());
                assertEquals(12, o.chainState().nextSequence());
            }
        }
    }

    private void writeLog(int version, byte[]... frames) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(OutboxLogFormat.header(version));
        for (byte[] f : frames) {
            out.write(f);
        }
        Files.write(log(), out.toByteArray());
    }

    /**
     * A file written before final records existed (version 1) opens and takes appends as it is;
     * before its first FINAL frame it is rewritten as version 2, which an agent that reads only
     * version 1 refuses by its header instead of misreading.
     */
    @Test
    void aVersionOneFileStillOpensAndBecomesVersionTwoBeforeItsFirstFinalMark() throws Exception {
        writeLog(1, OutboxLogFormat.recordFrame(List.of(), record(1)), OutboxLogFormat.recordFrame(List.of(), record(2)),
                OutboxLogFormat.recordFrame(List.of(new AckRange(1, 1)), record(3)));
        try (Outbox o = open()) {
            assertEquals(4, o.chainState().nextSequence());
            assertEquals(List.of(record(2), record(3)), o.unacknowledged());
            o.append(record(4));
            assertEquals(0, o.prune(), "nothing final in a version 1 file");
            assertEquals(1, OutboxLogFormat.headerVersion(Arrays.copyOf(Files.readAllBytes(log()), OutboxLogFormat.HEADER_BYTES)));
            o.markFinal(List.of(2L));
            assertEquals(2, OutboxLogFormat.headerVersion(Arrays.copyOf(Files.readAllBytes(log()), OutboxLogFormat.HEADER_BYTES)));
            assertEquals(List.of(record(3), record(4)), o.unacknowledged());
            assertEquals(List.of(record(1)), o.unconfirmed(10));
        }
        try (Outbox o = open()) {
            assertEquals(5, o.chainState().nextSequence());
            assertArrayEquals(record(4).recordHash(), o.chainState().headHash());
            assertEquals(List.of(record(3), record(4)), o.unacknowledged());
            assertEquals(List.of(record(1)), o.unconfirmed(10));
            assertEquals(1, o.prunable());
        }
    }

    @Test
    void framesOfVersionTwoInAVersionOneFileAreRefused() throws Exception {
        writeLog(1, OutboxLogFormat.recordFrame(List.of(), record(1)), OutboxLogFormat.finalFrame(List.of(new AckRange(1, 1))));
        OutboxException e = assertThrows(OutboxException.class, () -> FileOutbox.open(dir));
        assertTrue(e.getMessage().contains("which a version 1 file cannot hold"), e.getMessage());
    }

    @Test
    void aCheckpointAnywhereButFirstIsRefused() throws Exception {
        ChainState one = ChainState.GENESIS.advance(record(1));
        writeLog(2, OutboxLogFormat.recordFrame(List.of(), record(1)),
                OutboxLogFormat.checkpointFrame(new OutboxLogFormat.Checkpoint(one, 0)));
        OutboxException e = assertThrows(OutboxException.class, () -> FileOutbox.open(dir));
        assertTrue(e.getMessage().contains("only the first frame"), e.getMessage());
    }

    @Test
    void aCompactedFileMissingAKeptRecordIsRefused() throws Exception {
        ChainState three = ChainState.GENESIS.advance(record(1)).advance(record(2)).advance(record(3));
        writeLog(2, OutboxLogFormat.checkpointFrame(new OutboxLogFormat.Checkpoint(three, 2)),
                OutboxLogFormat.recordFrame(List.of(), record(2)));
        OutboxException e = assertThrows(OutboxException.class, () -> FileOutbox.open(dir));
        assertTrue(e.getMessage().contains("its checkpoint keeps 2 records, the file holds 1"), e.getMessage());
        writeLog(2, OutboxLogFormat.checkpointFrame(new OutboxLogFormat.Checkpoint(three, 2)),
                OutboxLogFormat.recordFrame(List.of(), record(2)), OutboxLogFormat.recordFrame(List.of(), record(4)));
        e = assertThrows(OutboxException.class, () -> FileOutbox.open(dir));
        assertTrue(e.getMessage().contains("holds record 4 after 1 of the 2 records its checkpoint keeps"), e.getMessage());
    }

    @Test
    void aCompactedFileOpensToItsCheckpointsChainState() throws Exception {
        ChainState three = ChainState.GENESIS.advance(record(1)).advance(record(2)).advance(record(3));
        writeLog(2, OutboxLogFormat.checkpointFrame(new OutboxLogFormat.Checkpoint(three, 1)),
                OutboxLogFormat.recordFrame(List.of(), record(2)), OutboxLogFormat.recordFrame(List.of(new AckRange(2, 2)), record(4)));
        try (Outbox o = open()) {
            assertEquals(three.advance(record(4)), o.chainState());
            assertEquals(List.of(record(4)), o.unacknowledged());
            assertEquals(List.of(record(2)), o.unconfirmed(10));
        }
    }

    /** A device lives 15 years, 525,600 records at 15 minutes: pruned ones must cost no memory. */
    @Test
    void theIndexFollowsTheRecordsHeldNotThePrunedHistory() throws Exception {
        int records = 3_000;
        try (FileOutbox o = FileOutbox.open(dir)) {
            for (long s = 1; s <= records; s++) {
                o.append(record(s));
            }
            assertTrue(o.indexCapacity() >= records);
            o.markFinal(LongStream.rangeClosed(1, records).filter(s -> s != 1_500).boxed().toList());
            assertEquals(records - 1, o.prune());
            assertTrue(o.indexCapacity() <= 256, "index for " + o.indexCapacity() + " records after pruning");
            assertEquals(List.of(1_500L), o.unacknowledged().stream().map(SignedRecord::sequence).toList());
        }
        try (FileOutbox o = FileOutbox.open(dir)) {
            assertTrue(o.indexCapacity() <= 256, "index for " + o.indexCapacity() + " records after reopening");
            assertEquals(records + 1, o.chainState().nextSequence());
        }
    }
}
