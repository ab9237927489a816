package io.wattproof.agent.outbox;

import static io.wattproof.agent.outbox.OutboxContractTest.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fills up or fails under the outbox: the record is refused with the reason, nothing of
 * it stays in the file, the chain does not advance, pending acknowledgements are not lost, and
 * the next append works once the disk does.
 */
class FileOutboxDiskFailureTest {
    @TempDir
    Path dir;
    private FailingDiskChannel disk;

    private FileOutbox openOnFailingDisk() throws OutboxException {
        return FileOutbox.open(dir, channel -> disk = new FailingDiskChannel(channel));
    }

    private long fileSize() throws Exception {
        return Files.size(dir.resolve(FileOutbox.FILE_NAME));
    }

    @Test
    void aFullDiskRefusesTheRecordAndLeavesTheOutboxAsItWas() throws Exception {
        try (FileOutbox o = openOnFailingDisk()) {
            o.append(record(1));
            o.markAcknowledged(1);
            long size = fileSize();
            disk.bytesLeft = 10; // the frame starts to be written, then the disk is full
            OutboxException e = assertThrows(OutboxException.class, () -> o.append(record(2)));
            assertTrue(e.getMessage().contains("record 2") && e.getMessage().contains("No space left on device"), e.getMessage());
            assertEquals(size, fileSize(), "the partial frame was cut off again");
            assertEquals(2, o.chainState().nextSequence());
            assertEquals(0, o.depth());

            disk.bytesLeft = -1; // space freed
            o.append(record(2));
        }
        try (Outbox o = FileOutbox.open(dir)) {
            assertEquals(3, o.chainState().nextSequence());
            // The acknowledgement of 1 was pending during the failure and went out with record 2.
            assertEquals(List.of(record(2)), o.unacknowledged());
        }
    }

    /**
     * A sync that fails is a failing disk: the undo's own sync fails too, so what the disk holds is
     * unknown until the file is read again. The outbox refuses writes until it is reopened, and the
     * reopened file is consistent whichever way the disk went.
     */
    @Test
    void aFailedSyncIsReportedAndWritesWaitForAReopen() throws Exception {
        try (FileOutbox o = openOnFailingDisk()) {
            o.append(record(1));
            disk.failSync = true;
            OutboxException e = assertThrows(OutboxException.class, () -> o.append(record(2)));
            assertTrue(e.getMessage().contains("record 2") && e.getMessage().contains("Input/output error"), e.getMessage());
            assertEquals(2, o.chainState().nextSequence());
            disk.failSync = false;
            e = assertThrows(OutboxException.class, () -> o.append(record(2)));
            assertTrue(e.getMessage().contains("refuses writes until it is reopened"), e.getMessage());
        }
        try (FileOutbox o = FileOutbox.open(dir)) {
            assertEquals(2, o.chainState().nextSequence());
            assertEquals(List.of(record(1)), o.unacknowledged());
            o.append(record(2));
        }
    }

    @Test
    void whenTheUndoFailsTooTheOutboxRefusesWritesUntilReopenedAndReopeningCutsThePartialFrame() throws Exception {
        try (FileOutbox o = openOnFailingDisk()) {
            o.append(record(1));
            disk.bytesLeft = 10;
            disk.failTruncate = true;
            assertThrows(OutboxException.class, () -> o.append(record(2)));
            disk.bytesLeft = -1;
            disk.failTruncate = false;
            // The end of the file is unknown now: appending there could bury a sequence number.
            OutboxException e = assertThrows(OutboxException.class, () -> o.append(record(2)));
            assertTrue(e.getMessage().contains("refuses writes until it is reopened"), e.getMessage());
            assertEquals(List.of(record(1)), o.unacknowledged(), "reading still works");
        }
        try (FileOutbox o = FileOutbox.open(dir)) {
            assertEquals(10, o.discardedTailBytes());
            assertEquals(2, o.chainState().nextSequence());
            o.append(record(2));
        }
    }

    /** The disk under a compacted file: it fails as set here from its first byte on. */
    private long newFileBytesLeft = -1;
    private boolean newFileFailsSync;

    /** An outbox whose compacted files go to a disk that fails as set in the fields above. */
    private FileOutbox openForPrune(FileOutbox.FileMover mover) throws OutboxException {
        boolean[] first = {true};
        return FileOutbox.open(dir, channel -> {
            FailingDiskChannel d = new FailingDiskChannel(channel);
            if (first[0]) {
                first[0] = false;
                disk = d;
            } else {
                d.bytesLeft = newFileBytesLeft;
                d.failSync = newFileFailsSync;
            }
            return d;
        }, mover);
    }

    private static final FileOutbox.FileMover RENAME = (from, to) ->
            java.nio.file.Files.move(from, to, java.nio.file.StandardCopyOption.ATOMIC_MOVE);

    /** Five records, 1..3 final, 4 acknowledged; returns what a reopen must show. */
    private static List<Object> fillAndSnapshot(Outbox o) throws OutboxException {
        for (long s = 1; s <= 5; s++) {
            o.append(record(s));
        }
        o.markAcknowledged(4);
        o.markFinal(List.of(1L, 2L, 3L));
        return List.of(o.chainState(), o.unacknowledged(), o.unconfirmed(10), o.prunable());
    }

    private void assertPruneFailedAndTheOldFileIsTheOutbox(FileOutbox o, List<Object> before, long size, String reason)
            throws Exception {
        OutboxException e = assertThrows(OutboxException.class, o::prune);
        assertTrue(e.getMessage().contains("cannot compact") && e.getMessage().contains(reason)
                && e.getMessage().contains("the outbox is unchanged"), e.getMessage());
        assertFalse(Files.exists(dir.resolve(FileOutbox.NEW_FILE_NAME)), "the compacted file was deleted");
        assertEquals(size, fileSize());
        assertEquals(before, List.of(o.chainState(), o.unacknowledged(), o.unconfirmed(10), o.prunable()));
        o.append(record(6)); // the old file takes appends as before
        o.markFinal(List.of(6L));
    }

    @Test
    void aFullDiskDuringPruneLeavesTheOldFileTheOutbox() throws Exception {
        List<Object> before;
        try (FileOutbox o = openForPrune(RENAME)) {
            before = fillAndSnapshot(o);
            newFileBytesLeft = 40; // header and part of the checkpoint
            assertPruneFailedAndTheOldFileIsTheOutbox(o, before, fileSize(), "No space left on device");
            newFileBytesLeft = -1;
            assertEquals(4, o.prune());
            assertEquals(List.of(record(5)), o.unacknowledged());
        }
        try (FileOutbox o = FileOutbox.open(dir)) {
            assertEquals(7, o.chainState().nextSequence());
            assertEquals(List.of(record(5)), o.unacknowledged());
            assertEquals(List.of(record(4)), o.unconfirmed(10));
        }
    }

    @Test
    void aFailedSyncOfTheCompactedFileLeavesTheOldFileTheOutbox() throws Exception {
        List<Object> before;
        try (FileOutbox o = openForPrune(RENAME)) {
            before = fillAndSnapshot(o);
            newFileFailsSync = true;
            assertPruneFailedAndTheOldFileIsTheOutbox(o, before, fileSize(), "Input/output error");
        }
        try (FileOutbox o = FileOutbox.open(dir)) {
            assertEquals(7, o.chainState().nextSequence());
            assertEquals(4, o.prunable());
        }
    }

    @Test
    void aFailedRenameLeavesTheOldFileTheOutbox() throws Exception {
        List<Object> before;
        try (FileOutbox o = openForPrune((from, to) -> {
            throw new java.io.IOException("Read-only file system");
        })) {
            before = fillAndSnapshot(o);
            assertPruneFailedAndTheOldFileIsTheOutbox(o, before, fileSize(), "Read-only file system");
        }
        try (FileOutbox o = FileOutbox.open(dir)) {
            assertEquals(7, o.chainState().nextSequence());
            assertEquals(List.of(record(5)), o.unacknowledged());
        }
    }

    /**
     * A rename that reports failure after it happened: which file is the outbox is unknown to the
     * open outbox, so it refuses writes; reopening reads the compacted file, which holds the same.
     */
    @Test
    void aRenameThatFailsAfterHappeningStopsWritesUntilReopened() throws Exception {
        List<Object> before;
        try (FileOutbox o = openForPrune((from, to) -> {
            RENAME.move(from, to);
            throw new java.io.IOException("Input/output error");
        })) {
            before = fillAndSnapshot(o);
            OutboxException e = assertThrows(OutboxException.class, o::prune);
            assertTrue(e.getMessage().contains("it is gone"), e.getMessage());
            e = assertThrows(OutboxException.class, () -> o.append(record(6)));
            assertTrue(e.getMessage().contains("refuses writes until it is reopened"), e.getMessage());
        }
        try (FileOutbox o = FileOutbox.open(dir)) {
            assertEquals(before.get(0), o.chainState());
            assertEquals(before.get(1), o.unacknowledged());
            assertEquals(before.get(2), o.unconfirmed(10));
            assertEquals(0, o.prunable(), "the compacted file is the outbox");
            o.append(record(6));
        }
    }

    @Test
    void aFailedWriteOfAFinalMarkLeavesTheRecordsAsTheyWere() throws Exception {
        try (FileOutbox o = openOnFailingDisk()) {
            o.append(record(1));
            o.append(record(2));
            long size = fileSize();
            disk.bytesLeft = 5;
            OutboxException e = assertThrows(OutboxException.class, () -> o.markFinal(List.of(1L, 2L)));
            assertTrue(e.getMessage().contains("final marks of records 1..2"), e.getMessage());
            assertEquals(size, fileSize());
            assertEquals(0, o.prunable());
            assertEquals(List.of(record(1), record(2)), o.unacknowledged());
            disk.bytesLeft = -1;
            o.markFinal(List.of(1L, 2L));
            assertEquals(2, o.prunable());
        }
    }
}
