package io.wattproof.lightclient.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.lightclient.MalformedInputException;
import io.wattproof.lightclient.TestChain;
import io.wattproof.lightclient.encoding.LightBlockCodec;
import io.wattproof.lightclient.types.LightBlock;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LightBlockRecordsTest {
    private static final TestChain CHAIN = new TestChain(3, "records-test", Instant.parse("2026-03-01T00:00:00Z"),
            Duration.ofSeconds(5), 3, TestChain.rotating(4, 5, 2, 2, 3));

    @Test
    void aBlockWithItsNextValidatorSetRoundTrips() throws Exception {
        LightBlock b = CHAIN.block(2);
        assertTrue(b.nextValidators().isPresent());
        StoredBlock stored = LightBlockRecords.toStored(b, BlockStatus.TRUSTED);
        assertEquals(2, stored.height());
        assertEquals(BlockStatus.TRUSTED, stored.status());
        assertEquals(b, LightBlockRecords.fromStored(stored));
    }

    @Test
    void aBlockWithoutANextSetRoundTripsWithoutOne() throws Exception {
        LightBlock b = new LightBlock(CHAIN.block(3).signedHeader(), CHAIN.block(3).validators());
        LightBlock back = LightBlockRecords.decode(LightBlockRecords.encode(b));
        assertEquals(Optional.empty(), back.nextValidators());
        assertEquals(b, back);
    }

    @Test
    void theEnvelopeIsVersionLengthBlockLengthSet() {
        LightBlock b = CHAIN.block(1);
        byte[] lb = LightBlockCodec.encode(b);
        byte[] next = LightBlockCodec.encodeValidatorSet(b.nextValidators().orElseThrow());
        byte[] expected = ByteBuffer.allocate(1 + 4 + lb.length + 4 + next.length)
                .put((byte) 1).putInt(lb.length).put(lb).putInt(next.length).put(next).array();
        assertArrayEquals(expected, LightBlockRecords.encode(b));
    }

    @Test
    void everyTruncationIsRefusedWithMalformedInput() {
        byte[] full = LightBlockRecords.encode(CHAIN.block(2));
        for (int n = 0; n < full.length; n++) {
            byte[] cut = Arrays.copyOf(full, n);
            assertThrows(MalformedInputException.class, () -> LightBlockRecords.decode(cut), "cut at " + n);
        }
    }

    @Test
    void damagedBytesNeverEscapeAsAnythingButMalformedInput() {
        byte[] full = LightBlockRecords.encode(CHAIN.block(2));
        for (int i = 0; i < full.length; i += 3) {
            byte[] damaged = full.clone();
            damaged[i] ^= (byte) (1 << (i % 8));
            try {
                LightBlockRecords.decode(damaged);
            } catch (MalformedInputException expected) {
                // refused, naming a field
            } catch (RuntimeException e) {
                throw new AssertionError("byte " + i + " flipped: " + e, e);
            }
        }
    }

    @Test
    void aWrongVersionTrailingBytesAndAWrongHeightNameTheField() {
        byte[] full = LightBlockRecords.encode(CHAIN.block(2));
        byte[] v2 = full.clone();
        v2[0] = 2;
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> LightBlockRecords.decode(v2));
        assertEquals("record.version", e.field());
        assertTrue(e.getMessage().contains("expected 1, got 2"), e.getMessage());

        byte[] longer = Arrays.copyOf(full, full.length + 2);
        e = assertThrows(MalformedInputException.class, () -> LightBlockRecords.decode(longer));
        assertEquals("record", e.field());

        byte[] huge = full.clone();
        ByteBuffer.wrap(huge).putInt(1, Integer.MAX_VALUE);
        e = assertThrows(MalformedInputException.class, () -> LightBlockRecords.decode(huge));
        assertEquals("record.light_block.length", e.field());

        StoredBlock misplaced = new StoredBlock(7, BlockStatus.VERIFIED, full);
        e = assertThrows(MalformedInputException.class, () -> LightBlockRecords.fromStored(misplaced));
        assertTrue(e.getMessage().contains("expected 7 (the stored height), got 2"), e.getMessage());
    }
}
