package io.wattproof.lightclient.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The behaviour every light store has; run against each implementation. */
abstract class LightStoreContractTest {

    abstract LightStore open() throws Exception;

    /** Stand-in block bytes, distinct per height (the store never looks inside). */
    static StoredBlock block(long height, BlockStatus status) {
        return new StoredBlock(height, status, ("light block " + height + " ").repeat((int) (height % 7) + 1)
                .getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void anEmptyStoreHasNothing() throws Exception {
        try (LightStore s = open()) {
            assertEquals(Optional.empty(), s.latest(BlockStatus.TRUSTED));
            assertEquals(Optional.empty(), s.get(1));
            assertTrue(s.statuses().isEmpty());
        }
    }

    @Test
    void blocksComeBackAsStoredAndAPutReplaces() throws Exception {
        try (LightStore s = open()) {
            s.put(block(5, BlockStatus.VERIFIED));
            s.put(block(9, BlockStatus.TRUSTED));
            assertEquals(Optional.of(block(5, BlockStatus.VERIFIED)), s.get(5));
            s.put(block(5, BlockStatus.FAILED));
            assertEquals(Optional.of(block(5, BlockStatus.FAILED)), s.get(5));
            assertEquals(new TreeMap<>(Map.of(5L, BlockStatus.FAILED, 9L, BlockStatus.TRUSTED)), s.statuses());
        }
    }

    @Test
    void latestAndLowestAreChosenByStatus() throws Exception {
        try (LightStore s = open()) {
            s.put(block(3, BlockStatus.TRUSTED));
            s.put(block(4, BlockStatus.VERIFIED));
            s.put(block(7, BlockStatus.TRUSTED));
            s.put(block(8, BlockStatus.FAILED));
            assertEquals(Optional.of(block(7, BlockStatus.TRUSTED)), s.latest(BlockStatus.TRUSTED));
            assertEquals(Optional.of(block(3, BlockStatus.TRUSTED)), s.lowest(BlockStatus.TRUSTED));
            assertEquals(Optional.of(block(4, BlockStatus.VERIFIED)), s.latest(BlockStatus.VERIFIED));
            s.setStatus(8, BlockStatus.TRUSTED); // a later decision, e.g. after a witness agreed
            assertEquals(Optional.of(block(8, BlockStatus.TRUSTED)), s.latest(BlockStatus.TRUSTED));
        }
    }

    @Test
    void markingAMissingHeightIsRefusedAndChangesNothing() throws Exception {
        try (LightStore s = open()) {
            s.put(block(2, BlockStatus.VERIFIED));
            LightStoreException e = assertThrows(LightStoreException.class, () -> s.setStatus(3, BlockStatus.TRUSTED));
            assertTrue(e.getMessage().contains("no block at height 3"), e.getMessage());
            assertEquals(new TreeMap<>(Map.of(2L, BlockStatus.VERIFIED)), s.statuses());
        }
    }

    @Test
    void pruningKeepsTheNewestAndNeverTheLatestTrusted() throws Exception {
        try (LightStore s = open()) {
            s.put(block(1, BlockStatus.TRUSTED));
            s.put(block(2, BlockStatus.TRUSTED));
            for (long h = 3; h <= 10; h++) {
                s.put(block(h, BlockStatus.VERIFIED)); // not yet cross-checked
            }
            assertEquals(7, s.prune(3));
            // Block 2 is the latest trusted: verification continues from it, so it stays.
            assertEquals(List.of(2L, 9L, 10L), List.copyOf(s.statuses().keySet()));
            assertEquals(Optional.of(block(2, BlockStatus.TRUSTED)), s.latest(BlockStatus.TRUSTED));
            assertEquals(0, s.prune(3));
            assertThrows(IllegalArgumentException.class, () -> s.prune(0));
        }
    }
}
