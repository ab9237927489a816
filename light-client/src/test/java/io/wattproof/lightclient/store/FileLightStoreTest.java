package io.wattproof.lightclient.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileLightStoreTest extends LightStoreContractTest {
    @TempDir
    Path dir;

    @Override
    LightStore open() throws LightStoreException {
        return FileLightStore.open(dir);
    }

    private Path file(long height) {
        return dir.resolve(String.format("%020d.block", height));
    }

    @Test
    void aReopenedStoreHasEveryBlockAndStatus() throws Exception {
        try (LightStore s = open()) {
            s.put(block(10, BlockStatus.VERIFIED));
            s.put(block(20, BlockStatus.TRUSTED));
            s.setStatus(10, BlockStatus.FAILED);
        }
        try (LightStore s = open()) {
            assertEquals(new TreeMap<>(Map.of(10L, BlockStatus.FAILED, 20L, BlockStatus.TRUSTED)), s.statuses());
            assertEquals(Optional.of(block(20, BlockStatus.TRUSTED)), s.latest(BlockStatus.TRUSTED));
            assertEquals(Optional.of(block(10, BlockStatus.FAILED)), s.get(10));
        }
    }

    @Test
    void aWriteThatNeverReachedItsRenameIsRemovedAndTheOldBlockKept() throws Exception {
        try (LightStore s = open()) {
            s.put(block(4, BlockStatus.VERIFIED));
        }
        // What a power cut during the next write of block 4 leaves: half a temporary file.
        Path tmp = dir.resolve(String.format("%020d.block.tmp", 4));
        Files.write(tmp, new byte[] {'W', 'P', 'L'});
        try (LightStore s = open()) {
            assertFalse(Files.exists(tmp));
            assertEquals(Optional.of(block(4, BlockStatus.VERIFIED)), s.get(4));
        }
    }

    @Test
    void aDamagedFileIsLeftOutListedAndLeftAlone() throws Exception {
        try (LightStore s = open()) {
            s.put(block(1, BlockStatus.TRUSTED));
            s.put(block(2, BlockStatus.TRUSTED));
        }
        byte[] bytes = Files.readAllBytes(file(2));
        bytes[bytes.length - 1] ^= 0x01;
        Files.write(file(2), bytes);
        try (FileLightStore s = FileLightStore.open(dir)) {
            assertEquals(List.of(file(2)), s.damaged());
            assertEquals(Optional.of(block(1, BlockStatus.TRUSTED)), s.latest(BlockStatus.TRUSTED));
            assertEquals(Optional.empty(), s.get(2));
        }
        assertArrayEquals(bytes, Files.readAllBytes(file(2)));
    }

    @Test
    void aFileUnderAnotherHeightsNameIsDamage() throws Exception {
        try (LightStore s = open()) {
            s.put(block(7, BlockStatus.VERIFIED));
        }
        Files.move(file(7), file(8));
        try (FileLightStore s = FileLightStore.open(dir)) {
            assertEquals(List.of(file(8)), s.damaged());
            assertTrue(s.statuses().isEmpty());
        }
    }

    @Test
    void filesThatAreNotBlocksAreIgnored() throws Exception {
        Files.writeString(dir.resolve("README"), "notes of the person who set this board up");
        try (LightStore s = open()) {
            s.put(block(1, BlockStatus.TRUSTED));
        }
        try (FileLightStore s = FileLightStore.open(dir)) {
            assertEquals(List.of(), s.damaged());
            assertEquals(1, s.statuses().size());
        }
        assertTrue(Files.exists(dir.resolve("README")));
    }

    @Test
    void aSecondOpenOfTheSameFolderIsRefused() throws Exception {
        try (LightStore s = open()) {
            LightStoreException e = assertThrows(LightStoreException.class, () -> FileLightStore.open(dir));
            assertTrue(e.getMessage().contains("locked"), e.getMessage());
        }
        try (LightStore s = open()) {
            assertTrue(s.statuses().isEmpty());
        }
    }

    @Test
    void anOversizedBlockIsRefusedAndNothingWritten() throws Exception {
        try (LightStore s = open()) {
            StoredBlock huge = new StoredBlock(3, BlockStatus.VERIFIED, new byte[FileLightStore.MAX_BLOCK_BYTES + 1]);
            LightStoreException e = assertThrows(LightStoreException.class, () -> s.put(huge));
            assertTrue(e.getMessage().contains("block 3"), e.getMessage());
            assertTrue(s.statuses().isEmpty());
        }
        assertFalse(Files.exists(file(3)));
    }
}
