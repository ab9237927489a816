package io.wattproof.agent.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MapDbOutboxTest extends OutboxContractTest {
    @TempDir
    Path dir;

    @Override
    Outbox open() throws OutboxException {
        return MapDbOutbox.open(dir);
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
            assertEquals(List.of(record(2)), o.unacknowledged()); // the acknowledgement was committed on close
            o.append(record(3));
        }
        try (Outbox o = open()) {
            assertEquals(4, o.chainState().nextSequence());
            assertEquals(List.of(record(2), record(3)), o.unacknowledged());
        }
    }

    @Test
    void secondOpenOfTheSameFolderIsRefusedWithAClearMessage() throws Exception {
        try (Outbox o = open()) {
            OutboxException e = assertThrows(OutboxException.class, () -> MapDbOutbox.open(dir));
            assertTrue(e.getMessage().contains("outbox.db"), e.getMessage());
        }
    }

    @Test
    void garbageFileIsRefusedAndLeftAlone() throws Exception {
        Path file = dir.resolve(MapDbOutbox.FILE_NAME);
        byte[] garbage = "this is not a MapDB file, but someone's data".getBytes();
        Files.write(file, garbage);
        OutboxException e = assertThrows(OutboxException.class, () -> MapDbOutbox.open(dir));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertEquals(List.of(new String(garbage)), List.of(new String(Files.readAllBytes(file))));
    }
}
