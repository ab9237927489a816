package io.wattproof.simulator.ledger.chain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.lightclient.client.LightClient;
import io.wattproof.lightclient.client.LightClientOptions;
import io.wattproof.lightclient.client.SyncResult;
import io.wattproof.lightclient.encoding.Hashes;
import io.wattproof.lightclient.encoding.LightBlockCodec;
import io.wattproof.lightclient.store.MemoryLightStore;
import io.wattproof.lightclient.tx.IndexedTx;
import io.wattproof.lightclient.tx.TxInclusion;
import io.wattproof.lightclient.tx.TxProof;
import io.wattproof.lightclient.types.BlockId;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.Header;
import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.lightclient.verifier.Verdict;
import io.wattproof.lightclient.verifier.VerificationOptions;
import io.wattproof.lightclient.verifier.Verifier;
import io.wattproof.simulator.ledger.Application;
import io.wattproof.simulator.ledger.BlockResult;
import io.wattproof.simulator.ledger.CommittedBlock;
import io.wattproof.simulator.ledger.IncludedTx;
import io.wattproof.simulator.ledger.LedgerException;
import io.wattproof.simulator.ledger.TxResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReferenceLedgerTest {
    private static final Instant START = Instant.parse("2026-03-01T10:00:00.123456789Z");
    private static final Bytes SHA256_OF_NOTHING = Bytes.fromHex("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855");
    private static final VerificationOptions VERIFICATION = VerificationOptions.builder(Duration.ofDays(1)).build();

    private final SteppingClock clock = new SteppingClock(START);
    private final TestApplication app = new TestApplication();

    private ReferenceLedger ledger(int validators, long valsetChangeEvery) {
        return new ReferenceLedger(ReferenceLedgerConfig.builder().chainId("test-chain").validators(validators)
                .valsetChangeEvery(valsetChangeEvery).seed(99).clock(clock).build(), app);
    }

    private static byte[] tx(int height, int i) {
        return new byte[] {(byte) (i % 3 == 2 ? 0xEE : 0x01), (byte) height, (byte) i, 0x42};
    }

    /** 30 blocks, a validator-set change every 7 heights, 0..4 transactions a block, a second a block. */
    private ReferenceLedger thirtyBlocks() throws LedgerException {
        ReferenceLedger ledger = ledger(4, 7);
        for (int h = 1; h <= 30; h++) {
            for (int i = 0; i < h % 5; i++) {
                assertEquals(0, ledger.submit(tx(h, i)).code());
            }
            ledger.produceBlock();
            clock.advance(Duration.ofSeconds(1));
        }
        return ledger;
    }

    private LightClient client(ReferenceLedger ledger) {
        return new LightClient(new MemoryLightStore(), new LedgerProvider(ledger), List.of(),
                LightClientOptions.builder(VERIFICATION).build(), Clock.fixed(clock.instant().plusSeconds(1), clock.getZone()));
    }

    private static LightBlock block(ReferenceLedger ledger, long h) {
        return ledger.lightBlock(h).orElseThrow();
    }

    @Test
    void theLightClientVerifiesEveryHeightForwardsSkippingAndBackwards() throws Exception {
        ReferenceLedger ledger = thirtyBlocks();
        assertEquals(30, ledger.latestHeight());

        LightClient stepwise = client(ledger);
        stepwise.initialise(block(ledger, 1));
        for (long h = 2; h <= 30; h++) {
            SyncResult r = stepwise.verifyTo(h);
            assertInstanceOf(SyncResult.Verified.class, r, r.describe());
        }

        LightClient skipping = client(ledger);
        skipping.initialise(block(ledger, 1));
        SyncResult top = skipping.verifyToLatest();
        assertInstanceOf(SyncResult.Verified.class, top, top.describe());
        assertEquals(30, ((SyncResult.Verified) top).block().height());
        // Two rotations lie between the sets of heights 2 and 30: half the trusted power still signs.
        Verdict direct = new Verifier().verify(block(ledger, 1), block(ledger, 30), VERIFICATION, clock.instant().plusSeconds(1));
        assertTrue(direct.isSuccess(), direct.explanation());

        LightClient backwards = client(ledger);
        backwards.initialise(block(ledger, 30));
        for (long h = 29; h >= 1; h--) {
            SyncResult r = backwards.verifyTo(h);
            assertInstanceOf(SyncResult.Verified.class, r, r.describe());
        }
    }

    /** The exact cross-check: each commit signs the hash of its header, and each block verifies adjacent to the one before. */
    @Test
    void everyBlockVerifiesAdjacentToThePreviousOne() throws Exception {
        ReferenceLedger ledger = thirtyBlocks();
        Verifier verifier = new Verifier();
        Instant now = clock.instant().plusSeconds(1);
        for (long h = 1; h <= 30; h++) {
            LightBlock b = block(ledger, h);
            assertEquals(Hashes.header(b.header()), b.commit().blockId().hash(), "height " + h);
            assertEquals(4, b.commit().signatures().size());
            assertEquals(LightBlockCodec.decode(LightBlockCodec.encode(b)).signedHeader(), b.signedHeader(), "round trip at " + h);
            if (h > 1) {
                Verdict v = verifier.verifyAdjacent(block(ledger, h - 1), b, VERIFICATION, now);
                assertTrue(v.isSuccess(), "height " + h + ": " + v.explanation());
            }
        }
    }

    @Test
    void headersLinkToThePreviousBlockAndCarryTheResultsOfIt() throws Exception {
        ReferenceLedger ledger = thirtyBlocks();
        Header first = block(ledger, 1).header();
        assertEquals(BlockId.EMPTY, first.lastBlockId());
        assertEquals(SHA256_OF_NOTHING, first.lastCommitHash());
        assertEquals(SHA256_OF_NOTHING, first.lastResultsHash());
        assertEquals(ledger.genesisAppHash(), first.appHash());
        assertEquals(ledger.genesisTime(), first.time());
        assertEquals(Hashes.validatorSet(ledger.genesis().validators()), first.validatorsHash());
        assertEquals(11, first.version().block());
        assertEquals(Bytes.fromHex("048091BC7DDC283F77BFBF91D73C44DA58C3DF8A9CBC867405D8B7F3DAADA22F"), first.consensusHash());
        for (long h = 2; h <= 30; h++) {
            LightBlock previous = block(ledger, h - 1);
            LightBlock b = block(ledger, h);
            Header header = b.header();
            assertEquals(previous.commit().blockId(), header.lastBlockId(), "height " + h);
            assertEquals(Hashes.header(previous.header()), header.lastBlockId().hash(), "height " + h);
            assertEquals(BlockHashes.commitHash(previous.commit()), header.lastCommitHash(), "height " + h);
            assertEquals(Bytes.of(app.hashAfter.get(h - 1)), header.appHash(), "height " + h);
            assertEquals(BlockHashes.resultsHash(app.resultsOf.get(h - 1)), header.lastResultsHash(), "height " + h);
            assertEquals(previous.header().nextValidatorsHash(), header.validatorsHash(), "height " + h);
            assertEquals(SHA256_OF_NOTHING, header.evidenceHash());
            assertTrue(b.validators().byAddress(header.proposerAddress()).isPresent(), "proposer at " + h);
            assertEquals(Hashes.validatorSet(b.nextValidators().orElseThrow()), header.nextValidatorsHash());
        }
        assertNotEquals(block(ledger, 6).header().validatorsHash(), block(ledger, 7).header().validatorsHash());
        assertFalse(app.resultsOf.values().stream().flatMap(List::stream).allMatch(TxResult::isOk), "some results carry a code");
    }

    @Test
    void everyIncludedTransactionProvesAgainstItsHeaderAndAChangedOneDoesNot() throws Exception {
        ReferenceLedger ledger = thirtyBlocks();
        int seen = 0;
        for (long h = 1; h <= 30; h++) {
            Header header = block(ledger, h).header();
            CommittedBlock committed = ledger.committedBlock(h).orElseThrow();
            assertEquals(h, committed.height());
            assertEquals(header.time(), committed.time());
            assertEquals(h % 5, committed.txs().size(), "height " + h);
            if (committed.txs().isEmpty()) {
                assertEquals(SHA256_OF_NOTHING, header.dataHash(), "an empty block at " + h);
            }
            for (IncludedTx t : committed.txs()) {
                seen++;
                assertArrayEquals(tx((int) h, t.index()), t.tx(), "FIFO order");
                IncludedTx found = ledger.findTx(t.hash()).orElseThrow();
                assertEquals(h, found.height());
                assertEquals(app.resultsOf.get(h).get(t.index()), found.result());
                TxProof proof = found.proof();
                assertTrue(TxInclusion.verify(proof, header).isVerified(), TxInclusion.verify(proof, header).describe());
                IndexedTx indexed = new IndexedTx(Bytes.of(found.hash()), found.height(), found.index(), Bytes.of(found.tx()), Optional.of(proof));
                assertTrue(TxInclusion.verify(indexed, header).isVerified());
                TxProof changed = new TxProof(proof.rootHash(), proof.data().withFlipped(1, 0x10), proof.total(), proof.index(),
                        proof.leafHash(), proof.aunts());
                assertFalse(TxInclusion.verify(changed, header).isVerified());
                assertFalse(TxInclusion.verify(proof, block(ledger, h == 1 ? 2 : h - 1).header()).isVerified());
            }
        }
        assertEquals(60, seen);
    }

    @Test
    void transactionsRefusedByCheckTxNeverEnterABlock() throws Exception {
        ReferenceLedger ledger = ledger(4, 0);
        byte[] bad = {(byte) 0xFF, 1, 2};
        TxResult r = ledger.submit(bad);
        assertEquals(1, r.code());
        assertTrue(r.log().contains("0xff"), r.log());
        assertEquals(1, ledger.submit(new byte[0]).code());
        ledger.submit(new byte[] {1});
        ledger.produceBlock();
        ledger.produceBlock();
        assertEquals(1, app.executed.size());
        assertTrue(ledger.findTx(BlockHashes.txHash(bad)).isEmpty());
        assertEquals(0, ledger.mempoolSize());
    }

    @Test
    void aDuplicateIsIdempotentInTheMempoolAndCode12OnceIncluded() throws Exception {
        ReferenceLedger ledger = ledger(4, 0);
        ledger.produceBlock();
        byte[] tx = {5, 6, 7};
        assertEquals(TxResult.ok(), ledger.submit(tx));
        assertEquals(TxResult.ok(), ledger.submit(tx.clone()));
        assertEquals(1, ledger.mempoolSize());
        CommittedBlock b = ledger.produceBlock();
        assertEquals(2, b.height());
        assertEquals(1, b.txs().size());
        ledger.produceBlock();
        TxResult again = ledger.submit(tx);
        assertEquals(12, again.code());
        assertTrue(again.log().contains("height 2"), again.log());
        assertEquals(0, ledger.mempoolSize());
        assertEquals(1, app.executed.size(), "executed once");
    }

    @Test
    void timesStrictlyIncreaseEvenWithAStoppedClock() {
        ReferenceLedger ledger = new ReferenceLedger(ReferenceLedgerConfig.builder().seed(1)
                .clock(Clock.fixed(START, clock.getZone())).build(), app);
        Instant previous = null;
        for (int i = 0; i < 10; i++) {
            Instant t = ledger.produceBlock().time();
            if (previous == null) {
                assertEquals(START, t, "block 1 is at genesis time");
            } else {
                assertTrue(!t.isBefore(previous.plusMillis(1)), t + " after " + previous);
            }
            previous = t;
        }
        LightBlock last = ledger.lightBlock(10).orElseThrow();
        last.commit().signatures().forEach(s -> assertTrue(!s.timestamp().isBefore(last.header().time().plusMillis(1))));
    }

    @Test
    void theClockGivesBlockTimesWhenItMoves() {
        ReferenceLedger ledger = ledger(1, 0);
        ledger.produceBlock();
        clock.advance(Duration.ofSeconds(5));
        assertEquals(clock.instant(), ledger.produceBlock().time());
    }

    @Test
    void blocksTakeAtMostMaxTxsInArrivalOrder() throws Exception {
        ReferenceLedger ledger = new ReferenceLedger(ReferenceLedgerConfig.builder().seed(1).maxTxsPerBlock(2).clock(clock).build(), app);
        for (int i = 0; i < 5; i++) {
            ledger.submit(new byte[] {(byte) i});
        }
        assertEquals(List.of(2, 2, 1, 0), List.of(ledger.produceBlock().txs().size(), ledger.produceBlock().txs().size(),
                ledger.produceBlock().txs().size(), ledger.produceBlock().txs().size()));
        for (int i = 0; i < 5; i++) {
            assertEquals(i, app.executed.get(i)[0]);
        }
    }

    @Test
    void aFullMempoolRefusesWithALedgerExceptionAndKeepsWhatItHas() throws Exception {
        ReferenceLedger ledger = new ReferenceLedger(ReferenceLedgerConfig.builder().seed(1).mempoolCapacity(2).clock(clock).build(), app);
        ledger.submit(new byte[] {1});
        ledger.submit(new byte[] {2});
        LedgerException e = assertThrows(LedgerException.class, () -> ledger.submit(new byte[] {3}));
        assertEquals("mempool is full: 2 of 2 transactions waiting", e.getMessage());
        assertEquals(TxResult.ok(), ledger.submit(new byte[] {2}), "a duplicate still answers 0");
        assertEquals(2, ledger.produceBlock().txs().size());
    }

    @Test
    void anOversizedTransactionIsRefusedBeforeCheckTx() throws Exception {
        ReferenceLedger ledger = ledger(1, 0);
        LedgerException e = assertThrows(LedgerException.class, () -> ledger.submit(new byte[ReferenceLedger.MAX_TX_BYTES + 1]));
        assertEquals("tx too large: expected at most 1048576 bytes, got 1048577", e.getMessage());
        assertEquals(0, ledger.mempoolSize());
        byte[] largest = new byte[ReferenceLedger.MAX_TX_BYTES];
        largest[0] = 1;
        assertEquals(0, ledger.submit(largest).code());
        assertEquals(1, ledger.produceBlock().txs().size());
    }

    @Test
    void aCheckTxThatThrowsIsALedgerExceptionAndLeavesTheMempoolAlone() throws Exception {
        Application throwing = new Application() {
            @Override
            public TxResult checkTx(byte[] tx) {
                if (tx[0] == 2) {
                    throw new IllegalArgumentException("bug");
                }
                return TxResult.ok();
            }

            @Override
            public BlockResult finalizeBlock(long height, Instant time, List<byte[]> txs) {
                return new BlockResult(txs.stream().map(t -> TxResult.ok()).toList(), new byte[32]);
            }

            @Override
            public byte[] appHash() {
                return new byte[32];
            }
        };
        ReferenceLedger ledger = new ReferenceLedger(ReferenceLedgerConfig.builder().seed(1).clock(clock).build(), throwing);
        ledger.submit(new byte[] {1});
        LedgerException e = assertThrows(LedgerException.class, () -> ledger.submit(new byte[] {2}));
        assertTrue(e.getMessage().contains("CheckTx failed"), e.getMessage());
        assertEquals(1, ledger.mempoolSize());
        assertEquals(1, ledger.produceBlock().txs().size());
    }

    @Test
    void listenersSeeEveryBlockInOrderAndAThrowingOneDoesNotStopTheChain() throws Exception {
        ReferenceLedger ledger = ledger(4, 0);
        List<Long> heights = new ArrayList<>();
        ledger.onCommit(b -> {
            throw new IllegalStateException("listener bug");
        });
        AutoCloseable handle = ledger.onCommit(b -> heights.add(b.height()));
        for (int i = 0; i < 3; i++) {
            ledger.produceBlock();
        }
        handle.close();
        ledger.produceBlock();
        assertEquals(List.of(1L, 2L, 3L), heights);
        assertEquals(4, ledger.latestHeight());
    }

    @Test
    void anApplicationFailureHaltsTheChainWithoutStoringTheBlock() {
        Application failing = new Application() {
            @Override
            public TxResult checkTx(byte[] tx) {
                return TxResult.ok();
            }

            @Override
            public BlockResult finalizeBlock(long height, Instant time, List<byte[]> txs) {
                if (height == 3) {
                    throw new IllegalStateException("state corrupted");
                }
                return new BlockResult(List.of(), new byte[32]);
            }

            @Override
            public byte[] appHash() {
                return new byte[32];
            }
        };
        ReferenceLedger ledger = new ReferenceLedger(ReferenceLedgerConfig.builder().seed(1).clock(clock).build(), failing);
        ledger.produceBlock();
        ledger.produceBlock();
        IllegalStateException e = assertThrows(IllegalStateException.class, ledger::produceBlock);
        assertTrue(e.getMessage().contains("block 3") && e.getMessage().contains("state corrupted"), e.getMessage());
        assertThrows(IllegalStateException.class, ledger::produceBlock);
        assertEquals(2, ledger.latestHeight());
        assertTrue(ledger.lightBlock(3).isEmpty());
    }

    @Test
    void questionsOutsideTheChainAnswerEmpty() {
        ReferenceLedger ledger = ledger(4, 0);
        assertTrue(ledger.lightBlock(1).isEmpty());
        ledger.produceBlock();
        assertTrue(ledger.lightBlock(0).isEmpty());
        assertTrue(ledger.lightBlock(-5).isEmpty());
        assertTrue(ledger.lightBlock(2).isEmpty());
        assertTrue(ledger.committedBlock(2).isEmpty());
        assertTrue(ledger.findTx(new byte[31]).isEmpty());
        assertTrue(ledger.findTx(null).isEmpty());
        assertTrue(ledger.findTx(new byte[32]).isEmpty());
    }

    @Test
    void theSameSeedAndClockGiveTheSameChain() throws Exception {
        List<Bytes> first = new ArrayList<>();
        List<Bytes> second = new ArrayList<>();
        for (List<Bytes> out : List.of(first, second)) {
            ReferenceLedger ledger = new ReferenceLedger(ReferenceLedgerConfig.builder().seed(3).valsetChangeEvery(2)
                    .clock(Clock.fixed(START, clock.getZone())).build(), new TestApplication());
            for (int h = 1; h <= 6; h++) {
                ledger.submit(new byte[] {(byte) h});
                ledger.produceBlock();
                out.add(Hashes.header(ledger.lightBlock(h).orElseThrow().header()));
            }
        }
        assertEquals(first, second);
        ReferenceLedger unseeded = new ReferenceLedger(ReferenceLedgerConfig.builder().clock(Clock.fixed(START, clock.getZone())).build(),
                new TestApplication());
        unseeded.produceBlock();
        assertNotEquals(first.get(0), Hashes.header(unseeded.lightBlock(1).orElseThrow().header()));
    }

    @Test
    void badConfigurationIsRefusedNamingTheField() {
        assertEquals("chainId: expected 1..50 characters, got 0: \"\"",
                assertThrows(IllegalArgumentException.class, () -> ReferenceLedgerConfig.builder().chainId("").build()).getMessage());
        assertEquals("validators: expected 1..1000, got 0",
                assertThrows(IllegalArgumentException.class, () -> ReferenceLedgerConfig.builder().validators(0).build()).getMessage());
        assertEquals("blockInterval: expected > 0, got PT0S",
                assertThrows(IllegalArgumentException.class, () -> ReferenceLedgerConfig.builder().blockInterval(Duration.ZERO).build())
                        .getMessage());
        assertEquals("maxTxsPerBlock: expected ≥ 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> ReferenceLedgerConfig.builder().maxTxsPerBlock(0).build()).getMessage());
        assertEquals("valsetChangeEvery: expected ≥ 0 (0 = never), got -2",
                assertThrows(IllegalArgumentException.class, () -> ReferenceLedgerConfig.builder().valsetChangeEvery(-2).build())
                        .getMessage());
    }

    @Test
    void aClosedLedgerRefusesTransactionsAndBlocks() {
        ReferenceLedger ledger = ledger(4, 0);
        ledger.produceBlock();
        ledger.close();
        ledger.close();
        assertThrows(LedgerException.class, () -> ledger.submit(new byte[] {1}));
        assertThrows(IllegalStateException.class, ledger::produceBlock);
        assertTrue(ledger.lightBlock(1).isPresent(), "what was committed can still be read");
    }

    /** The producer thread makes blocks by itself; no timing is asserted, only that it gets there. */
    @Test
    void theProducerThreadMakesBlocksWhileOtherThreadsSubmitAndRead() throws Exception {
        try (ReferenceLedger ledger = new ReferenceLedger(ReferenceLedgerConfig.builder().seed(8).valsetChangeEvery(2)
                .blockInterval(Duration.ofMillis(20)).build(), app)) {
            List<Long> seen = java.util.Collections.synchronizedList(new ArrayList<>());
            ledger.onCommit(b -> seen.add(b.height()));
            ledger.start();
            assertThrows(IllegalStateException.class, ledger::start);
            List<byte[]> submitted = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                byte[] tx = {9, (byte) i};
                submitted.add(tx);
                assertEquals(0, ledger.submit(tx).code());
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while ((ledger.latestHeight() < 3 || ledger.mempoolSize() > 0) && System.nanoTime() < deadline) {
                ledger.lightBlock(ledger.latestHeight());
                Thread.sleep(10);
            }
            assertTrue(ledger.latestHeight() >= 3, "height " + ledger.latestHeight());
            for (byte[] tx : submitted) {
                assertTrue(ledger.findTx(BlockHashes.txHash(tx)).isPresent());
            }
            ledger.close();
            long stoppedAt = ledger.latestHeight();
            List<Long> snapshot = List.copyOf(seen);
            for (int i = 0; i < snapshot.size(); i++) {
                assertEquals(i + 1, snapshot.get(i));
            }
            assertEquals(stoppedAt, snapshot.size());
        }
    }
}
