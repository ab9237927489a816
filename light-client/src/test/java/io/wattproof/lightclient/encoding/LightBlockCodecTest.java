package io.wattproof.lightclient.encoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.lightclient.ChainGenerator;
import io.wattproof.lightclient.ChainGenerator.TestValidator;
import io.wattproof.lightclient.ConformanceData;
import io.wattproof.lightclient.MalformedInputException;
import io.wattproof.lightclient.conformance.SingleStepCase;
import io.wattproof.lightclient.json.CometJson;
import io.wattproof.lightclient.types.BlockIdFlag;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.Commit;
import io.wattproof.lightclient.types.CommitSig;
import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.lightclient.types.SignedHeader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LightBlockCodecTest {
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void generatedBlocksRoundTrip(long seed) throws Exception {
        ChainGenerator gen = new ChainGenerator(seed);
        List<TestValidator> vals = gen.validators(1 + gen.random().nextInt(9), true);
        LightBlock b = gen.block("chain-" + seed, 1 + gen.random().nextInt(1 << 30), gen.time(), vals, vals,
                v -> gen.random().nextBoolean());
        b = withNilVote(b);
        assertRoundTrips(b);
    }

    /** Turns the first signed slot into a nil vote, so all three flags occur. */
    private static LightBlock withNilVote(LightBlock b) {
        List<CommitSig> sigs = new ArrayList<>(b.commit().signatures());
        for (int i = 0; i < sigs.size(); i++) {
            CommitSig s = sigs.get(i);
            if (s.blockIdFlag() == BlockIdFlag.COMMIT) {
                sigs.set(i, new CommitSig(BlockIdFlag.NIL, s.validatorAddress(), s.timestamp(), s.signature()));
                break;
            }
        }
        Commit c = b.commit();
        return new LightBlock(new SignedHeader(b.header(), new Commit(c.height(), c.round(), c.blockId(), sigs)),
                b.validators());
    }

    @Test
    void everyBlockOfTheReferenceCasesRoundTrips() throws Exception {
        int blocks = 0;
        try (Stream<Path> files = Files.list(ConformanceData.file("cometbft/single_step"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                SingleStepCase c = SingleStepCase.fromJson(CometJson.parse(Files.readString(f), f.toString()));
                assertRoundTrips(new LightBlock(c.initial().signedHeader(), c.initial().validators()));
                for (SingleStepCase.Step s : c.steps()) {
                    assertRoundTrips(new LightBlock(s.block().signedHeader(), s.block().validators()));
                    blocks++;
                }
            }
        }
        assertTrue(blocks > 0);
    }

    private static void assertRoundTrips(LightBlock b) throws MalformedInputException {
        byte[] bytes = LightBlockCodec.encode(b);
        LightBlock back = LightBlockCodec.decode(bytes);
        assertEquals(b.signedHeader(), back.signedHeader());
        assertEquals(b.validators(), back.validators());
        assertArrayEquals(bytes, LightBlockCodec.encode(back));
        assertEquals(b.validators(), LightBlockCodec.decodeValidatorSet(LightBlockCodec.encodeValidatorSet(b.validators())));
        assertEquals(Hashes.header(b.header()), Hashes.header(back.header()));
    }

    @Test
    void negativeRoundAndPriorityAndPreEpochTimesSurvive() throws Exception {
        ChainGenerator gen = new ChainGenerator(99);
        List<TestValidator> vals = gen.validators(3, false);
        LightBlock b = gen.block("c", 5, Instant.parse("1969-12-31T23:59:59.999999999Z"), vals, vals, v -> true);
        Commit c = b.commit();
        LightBlock odd = new LightBlock(new SignedHeader(b.header(), new Commit(c.height(), -1, c.blockId(), c.signatures())),
                b.validators());
        assertRoundTrips(odd);
    }

    /** Damaged bytes either still decode or are refused with MalformedInputException; nothing else escapes. */
    @Test
    void damagedBytesAreRefusedCleanly() {
        ChainGenerator gen = new ChainGenerator(5);
        List<TestValidator> vals = gen.validators(4, true);
        byte[] good = LightBlockCodec.encode(gen.block("c", 7, gen.time(), vals, vals, v -> true));
        Random r = new Random(1);
        int refused = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] bad = good.clone();
            if (i % 3 == 0) {
                bad = java.util.Arrays.copyOf(good, r.nextInt(good.length));
            } else {
                bad[r.nextInt(bad.length)] ^= (byte) (1 << r.nextInt(8));
            }
            try {
                LightBlockCodec.decode(bad);
            } catch (MalformedInputException e) {
                refused++;
                assertTrue(e.getMessage().startsWith("light_block"), e.getMessage());
            }
        }
        assertTrue(refused > 100, "only " + refused + " refused");
    }

    @Test
    void missingPartsAndBadValuesNameTheField() {
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> LightBlockCodec.decode(new byte[0]));
        assertEquals("light_block.signed_header", e.field());
        // A validator whose pub_key has no key set.
        byte[] set = {0x0a, 0x02, 0x12, 0x00};
        e = assertThrows(MalformedInputException.class, () -> LightBlockCodec.decodeValidatorSet(set));
        assertEquals("validator_set.validators[0].pub_key", e.field());
        // An Ed25519 key of 3 bytes.
        byte[] shortKey = {0x0a, 0x07, 0x12, 0x05, 0x0a, 0x03, 1, 2, 3};
        e = assertThrows(MalformedInputException.class, () -> LightBlockCodec.decodeValidatorSet(shortKey));
        assertTrue(e.getMessage().contains("must be 32 bytes, got 3: 010203"), e.getMessage());
    }

    @Test
    void bytesCompareUnsigned() {
        assertTrue(Bytes.of(new byte[] {(byte) 0x80}).compareTo(Bytes.of(new byte[] {0x7f})) > 0);
    }
}
