package io.wattproof.agent.outbox;

import static io.wattproof.agent.outbox.OutboxContractTest.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
