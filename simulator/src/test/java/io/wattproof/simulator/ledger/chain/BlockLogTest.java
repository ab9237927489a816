package io.wattproof.simulator.ledger.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.lightclient.encoding.LightBlockCodec;
import io.wattproof.lightclient.types.Bytes;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A ledger with a block log restarts as the same chain: every block replayed byte for byte. */
class BlockLogTest {
    @TempDir
    Path tmp;

    private final SteppingClock clock = new SteppingClock(Instant.parse("2026-03-01T10:00:00Z"));

    private ReferenceLedgerConfig config(int validators) {
        return ReferenceLedgerConfig.builder().chainId("log-test").validators(validators).valsetChangeEvery(4).seed(11).clock(clock)
                .build();
    }

    @Test
    void aReopenedLedgerReplaysItsBlocksByteForByteAndContinues() throws Exception {
        Path file = tmp.resolve("ledger/blocks.log");
        byte[][] before = new byte[9][];
        try (BlockLog log = BlockLog.open(file); ReferenceLedger ledger = ReferenceLedger.open(config(4), new TestApplication(), log)) {
            for (int h = 1; h <= 9; h++) {
                ledger.submit(("tx " + h).getBytes(StandardCharsets.US_ASCII));
                ledger.submit(("other " + h).getBytes(StandardCharsets.US_ASCII));
                ledger.produceBlock();
                before[h - 1] = LightBlockCodec.encode(ledger.lightBlock(h).orElseThrow());
            }
        }
        try (BlockLog log = BlockLog.open(file); ReferenceLedger ledger = ReferenceLedger.open(config(4), new TestApplication(), log)) {
            assertEquals(9, ledger.latestHeight());
            for (int h = 1; h <= 9; h++) {
                assertEquals(Bytes.of(before[h - 1]), Bytes.of(LightBlockCodec.encode(ledger.lightBlock(h).orElseThrow())), "height " + h);
            }
            assertEquals(12, ledger.submit("tx 3".getBytes(StandardCharsets.US_ASCII)).code(), "the tx index is rebuilt too");
            ledger.produceBlock();
            assertEquals(10, ledger.latestHeight());
        }
        try (BlockLog log = BlockLog.open(file)) {
            assertEquals(10, log.blocks().size());
        }
    }

    @Test
    void otherParametersThanTheLoggedOnesAreRefused() throws Exception {
        Path file = tmp.resolve("blocks.log");
        try (BlockLog log = BlockLog.open(file); ReferenceLedger ledger = ReferenceLedger.open(config(4), new TestApplication(), log)) {
            ledger.produceBlock();
        }
        try (BlockLog log = BlockLog.open(file)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ReferenceLedger.open(config(5), new TestApplication(), log));
            assertTrue(e.getMessage().contains("4 validators") && e.getMessage().contains("got chain log-test, 5 validators"),
                    e.getMessage());
        }
    }

    @Test
    void anIncompleteLastBlockIsCutAndTheChainGoesOnFromTheOneBefore() throws Exception {
        Path file = tmp.resolve("blocks.log");
        try (BlockLog log = BlockLog.open(file); ReferenceLedger ledger = ReferenceLedger.open(config(4), new TestApplication(), log)) {
            ledger.produceBlock();
            ledger.produceBlock();
        }
        long size = Files.size(file);
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
            c.truncate(size - 3);
        }
        try (BlockLog log = BlockLog.open(file)) {
            assertEquals(1, log.blocks().size());
        }
    }

    @Test
    void aFileThatIsNotABlockLogIsRefusedUnchanged() throws Exception {
        Path file = tmp.resolve("blocks.log");
        Files.writeString(file, "not a block log at all");
        IOException e = assertThrows(IOException.class, () -> BlockLog.open(file));
        assertTrue(e.getMessage().contains("is not a block log"), e.getMessage());
        assertEquals("not a block log at all", Files.readString(file));
    }
}
