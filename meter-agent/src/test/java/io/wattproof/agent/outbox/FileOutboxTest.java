package io.wattproof.agent.outbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.agent.outbox.OutboxLogFormat.AckRange;
import io.wattproof.agent.record.SignedRecord;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
        header[OutboxLogFormat.MAGIC.length + 3] = 2; // version 2
        System.arraycopy(crcOf(header), 0, header, header.length - 4, 4);
        Files.write(log(), header);
        OutboxException e = assertThrows(OutboxException.class, () -> FileOutbox.open(dir));
        assertTrue(e.getMessage().contains("format version 2"), e.getMessage());
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
}
