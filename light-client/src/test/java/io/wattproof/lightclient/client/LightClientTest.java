package io.wattproof.lightclient.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.lightclient.TestChain;
import io.wattproof.lightclient.encoding.Hashes;
import io.wattproof.lightclient.provider.LightBlockProvider;
import io.wattproof.lightclient.provider.ProviderException;
import io.wattproof.lightclient.store.BlockStatus;
import io.wattproof.lightclient.store.FileLightStore;
import io.wattproof.lightclient.store.LightStore;
import io.wattproof.lightclient.store.MemoryLightStore;
import io.wattproof.lightclient.types.CommitSig;
import io.wattproof.lightclient.types.Commit;
import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.lightclient.types.SignedHeader;
import io.wattproof.lightclient.verifier.Failure;
import io.wattproof.lightclient.verifier.VerificationOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LightClientTest {
    private static final Instant GENESIS = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration TRUSTING_PERIOD = Duration.ofDays(14);
    private static final VerificationOptions VERIFICATION = VerificationOptions.builder(TRUSTING_PERIOD).build();

    private static TestChain fixedChain(long heights) {
        return new TestChain(1, "wattproof-test", GENESIS, Duration.ofSeconds(1), heights, TestChain.fixed(7, 4));
    }

    private static Clock clockAfter(TestChain chain) {
        return Clock.fixed(chain.header(chain.height()).time().plusSeconds(30), ZoneOffset.UTC);
    }

    private static LightClient client(LightStore store, LightBlockProvider primary, List<LightBlockProvider> witnesses,
            Clock clock, int keep) {
        return new LightClient(store, primary, witnesses, LightClientOptions.builder(VERIFICATION).keepBlocks(keep).build(), clock);
    }

    private static LightBlock verified(SyncResult r) {
        return assertInstanceOf(SyncResult.Verified.class, r, r.describe()).block();
    }

    @Test
    void adjacentSyncFetchesOneBlockPerHeightAndTrustsEach() throws Exception {
        TestChain chain = fixedChain(20);
        ChainProvider primary = new ChainProvider("primary", chain);
        MemoryLightStore store = new MemoryLightStore();
        LightClient lc = client(store, primary, List.of(), clockAfter(chain), 100);
        lc.initialise(chain.block(1));
        for (long h = 2; h <= 20; h++) {
            primary.resetCount();
            SyncResult r = lc.verifyTo(h);
            SyncResult.Verified v = assertInstanceOf(SyncResult.Verified.class, r, r.describe());
            assertEquals(chain.hash(h), Hashes.header(v.block().header()));
            assertEquals(BlockStatus.TRUSTED, v.status(), "no witnesses: trusted at once");
            assertEquals(List.of(h), primary.fetched());
        }
        assertEquals(20, store.statuses().size());
        assertEquals(20, lc.latestTrusted().orElseThrow().height());
    }

    @Test
    void aTrustedHeightIsAnsweredFromTheStore() throws Exception {
        TestChain chain = fixedChain(10);
        ChainProvider primary = new ChainProvider("primary", chain);
        LightClient lc = client(new MemoryLightStore(), primary, List.of(), clockAfter(chain), 100);
        lc.initialise(chain.block(1));
        verified(lc.verifyTo(10));
        primary.resetCount();
        assertEquals(10, verified(lc.verifyTo(10)).height());
        assertEquals(List.of(), primary.fetched());
    }

    @Test
    void jumpingTenThousandHeightsWithTenPercentChangeEveryThousandFetchesTwoBlocks() throws Exception {
        // 10 validators of equal power, one replaced every 1,000 heights. From height 1 to 10,001 no
        // validator of the trusted set is left, so the target alone is NOT_ENOUGH_TRUST; from the
        // midpoint 5,001 half the power is shared either way, more than 1/3.
        TestChain chain = new TestChain(2, "wattproof-test", GENESIS, Duration.ofSeconds(1), 10_001,
                TestChain.rotating(3, 10, 1, 1000, 10_001));
        ChainProvider primary = new ChainProvider("primary", chain);
        MemoryLightStore store = new MemoryLightStore();
        LightClient lc = client(store, primary, List.of(), clockAfter(chain), 100);
        lc.initialise(chain.block(1));
        SyncResult r = lc.verifyTo(10_001);
        assertEquals(chain.hash(10_001), Hashes.header(verified(r).header()));
        assertEquals(List.of(10_001L, 5_001L), primary.fetched());
        assertEquals(BlockStatus.VERIFIED, store.statuses().get(5_001L), "intermediate block stored as verified");
        assertEquals(BlockStatus.TRUSTED, store.statuses().get(10_001L));
    }

    @Test
    void bisectionUnderFastChangeFetchesEachHeightOnceAndStoresIntermediates() throws Exception {
        // Half the validators are replaced every 10 heights: each skip can cross at most one change.
        TestChain chain = new TestChain(4, "wattproof-test", GENESIS, Duration.ofSeconds(1), 200,
                TestChain.rotating(5, 8, 4, 10, 200));
        ChainProvider primary = new ChainProvider("primary", chain);
        MemoryLightStore store = new MemoryLightStore();
        LightClient lc = client(store, primary, List.of(), clockAfter(chain), 1000);
        lc.initialise(chain.block(1));
        SyncResult r = lc.verifyTo(200);
        assertEquals(chain.hash(200), Hashes.header(verified(r).header()));
        List<Long> fetched = primary.fetched();
        assertEquals(fetched.size(), new HashSet<>(fetched).size(), "a height fetched twice: " + fetched);
        assertTrue(fetched.size() > 2, "needs intermediate blocks: " + fetched);
        assertTrue(fetched.size() < 199, "fewer than adjacent sync: " + fetched);
        for (long h : fetched) {
            assertTrue(store.statuses().containsKey(h) || h == 200, "fetched " + h + " but not stored");
        }
    }

    @Test
    void aLyingPrimaryIsCaughtByAWitnessWithBothHeadersAsEvidence() throws Exception {
        TestChain honest = fixedChain(100);
        TestChain forged = honest.fork(50, 99);
        ChainProvider primary = new ChainProvider("liar", forged);
        ChainProvider witness = new ChainProvider("witness", honest);
        MemoryLightStore store = new MemoryLightStore();
        LightClient lc = client(store, primary, List.of(witness), clockAfter(honest), 100);
        lc.initialise(honest.block(1));
        SyncResult r = lc.verifyTo(100);
        SyncResult.ForkDetected f = assertInstanceOf(SyncResult.ForkDetected.class, r, r.describe());
        ForkEvidence e = f.evidence();
        assertEquals(100, e.height());
        assertEquals("liar", e.primary());
        assertEquals("witness", e.witness());
        assertEquals(forged.block(100).signedHeader(), e.primaryHeader());
        assertEquals(honest.block(100).signedHeader(), e.witnessHeader());
        assertTrue(e.primaryVerified());
        assertTrue(e.witnessVerified(), "the honest chain verifies from the same trusted block");
        assertEquals(BlockStatus.FAILED, store.statuses().get(100L), "refused to advance");
        assertEquals(1, lc.latestTrusted().orElseThrow().height());
    }

    @Test
    void aWitnessThatAgreesPromotesTheBlockToTrusted() throws Exception {
        TestChain chain = fixedChain(30);
        ChainProvider witness = new ChainProvider("witness", chain);
        LightClient lc = client(new MemoryLightStore(), new ChainProvider("primary", chain), List.of(witness), clockAfter(chain), 100);
        lc.initialise(chain.block(1));
        SyncResult.Verified v = assertInstanceOf(SyncResult.Verified.class, lc.verifyTo(30));
        assertEquals(BlockStatus.TRUSTED, v.status());
        assertEquals(List.of(new WitnessReport.Agreed("witness")), v.witnesses());
        assertEquals(List.of(30L), witness.fetched(), "an agreeing witness is asked for the target only");
    }

    @Test
    void anUnavailableWitnessIsReportedAndTheBlockStaysVerified() throws Exception {
        TestChain chain = fixedChain(30);
        ChainProvider down = new ChainProvider("down", chain).mode(ChainProvider.Mode.UNAVAILABLE);
        MemoryLightStore store = new MemoryLightStore();
        LightClient lc = client(store, new ChainProvider("primary", chain), List.of(down), clockAfter(chain), 100);
        lc.initialise(chain.block(1));
        SyncResult.Verified v = assertInstanceOf(SyncResult.Verified.class, lc.verifyTo(30));
        assertEquals(BlockStatus.VERIFIED, v.status());
        WitnessReport.Unavailable u = assertInstanceOf(WitnessReport.Unavailable.class, v.witnesses().get(0));
        assertInstanceOf(ProviderException.Unavailable.class, u.error());
        assertEquals(BlockStatus.VERIFIED, store.statuses().get(30L));
        assertEquals(1, lc.latestTrusted().orElseThrow().height());
    }

    @Test
    void aWitnessAnsweringGarbageIsNotAForkAndAnotherWitnessCanConfirm() throws Exception {
        TestChain chain = fixedChain(30);
        ChainProvider garbage = new ChainProvider("garbage", chain).mode(ChainProvider.Mode.GARBAGE);
        ChainProvider good = new ChainProvider("good", chain);
        LightClient lc = client(new MemoryLightStore(), new ChainProvider("primary", chain), List.of(garbage, good),
                clockAfter(chain), 100);
        lc.initialise(chain.block(1));
        SyncResult.Verified v = assertInstanceOf(SyncResult.Verified.class, lc.verifyTo(30));
        assertEquals(BlockStatus.TRUSTED, v.status());
        assertInstanceOf(ProviderException.BadResponse.class,
                assertInstanceOf(WitnessReport.Unavailable.class, v.witnesses().get(0)).error());
        assertInstanceOf(WitnessReport.Agreed.class, v.witnesses().get(1));
    }

    @Test
    void aWitnessWithABadlySignedConflictingBlockIsFaultyNotAFork() throws Exception {
        TestChain chain = fixedChain(30);
        TestChain forged = chain.fork(20, 5);
        ChainProvider liar = new ChainProvider("liar", forged).tamper(30, LightClientTest::breakFirstSignature);
        LightClient lc = client(new MemoryLightStore(), new ChainProvider("primary", chain), List.of(liar),
                clockAfter(chain), 100);
        lc.initialise(chain.block(1));
        SyncResult.Verified v = assertInstanceOf(SyncResult.Verified.class, lc.verifyTo(30));
        WitnessReport.Faulty f = assertInstanceOf(WitnessReport.Faulty.class, v.witnesses().get(0));
        assertInstanceOf(Failure.InvalidSignature.class, f.reason());
        assertFalse(f.evidence().witnessVerified());
        assertEquals(chain.block(30).signedHeader(), f.evidence().primaryHeader());
        assertEquals(BlockStatus.VERIFIED, v.status(), "no witness confirmed it");
    }

    private static LightBlock breakFirstSignature(LightBlock b) {
        Commit c = b.commit();
        List<CommitSig> sigs = new ArrayList<>(c.signatures());
        CommitSig s = sigs.get(0);
        sigs.set(0, new CommitSig(s.blockIdFlag(), s.validatorAddress(), s.timestamp(), s.signature().withFlipped(0, 1)));
        return new LightBlock(new SignedHeader(b.header(), new Commit(c.height(), c.round(), c.blockId(), sigs)),
                b.validators(), b.nextValidators());
    }

    @Test
    void aBadlySignedBlockFromThePrimaryIsInvalidAndNotStored() throws Exception {
        TestChain chain = fixedChain(10);
        ChainProvider primary = new ChainProvider("primary", chain).tamper(10, LightClientTest::breakFirstSignature);
        MemoryLightStore store = new MemoryLightStore();
        LightClient lc = client(store, primary, List.of(), clockAfter(chain), 100);
        lc.initialise(chain.block(1));
        SyncResult.Invalid i = assertInstanceOf(SyncResult.Invalid.class, lc.verifyTo(10));
        assertEquals(10, i.height());
        assertEquals("primary", i.provider());
        assertInstanceOf(Failure.InvalidSignature.class, i.reason());
        assertFalse(store.statuses().containsKey(10L));
    }

    @Test
    void aPrimaryThatFailsIsReportedWithTheHeight() throws Exception {
        TestChain chain = fixedChain(10);
        LightClient lc = client(new MemoryLightStore(), new ChainProvider("primary", chain).latest(5), List.of(),
                clockAfter(chain), 100);
        lc.initialise(chain.block(1));
        SyncResult.ProviderFailed p = assertInstanceOf(SyncResult.ProviderFailed.class, lc.verifyTo(8));
        assertEquals(8, p.height());
        assertInstanceOf(ProviderException.NotFound.class, p.error());
    }

    @Test
    void anExpiredTrustedBlockIsRefusedWithItsReasonAndNothingIsFetched() throws Exception {
        TestChain chain = fixedChain(10);
        ChainProvider primary = new ChainProvider("primary", chain);
        Instant now = chain.header(1).time().plus(TRUSTING_PERIOD).plusSeconds(1);
        LightClient lc = client(new MemoryLightStore(), primary, List.of(), Clock.fixed(now, ZoneOffset.UTC), 100);
        lc.initialise(chain.block(1));
        SyncResult.TrustExpired t = assertInstanceOf(SyncResult.TrustExpired.class, lc.verifyTo(10));
        assertEquals(1, t.reason().trustedHeight());
        assertEquals(chain.header(1).time(), t.reason().trustedTime());
        assertEquals(now, t.reason().now());
        assertEquals(List.of(), primary.fetched());
    }

    @Test
    void aHeightBelowTheTrustedOneIsVerifiedByHashLinks() throws Exception {
        TestChain chain = fixedChain(100);
        ChainProvider primary = new ChainProvider("primary", chain);
        MemoryLightStore store = new MemoryLightStore();
        LightClient lc = client(store, primary, List.of(), clockAfter(chain), 100);
        lc.initialise(chain.block(100));
        SyncResult r = lc.verifyTo(90);
        assertEquals(chain.hash(90), Hashes.header(verified(r).header()));
        assertEquals(List.of(99L, 98L, 97L, 96L, 95L, 94L, 93L, 92L, 91L, 90L), primary.fetched());
        assertEquals(BlockStatus.TRUSTED, store.statuses().get(90L));
    }

    @Test
    void aBrokenHashLinkBelowTheTrustedHeightIsRefused() throws Exception {
        TestChain chain = fixedChain(100);
        TestChain other = chain.fork(95, 11);
        ChainProvider primary = new ChainProvider("primary", chain).tamper(95, b -> other.block(95));
        MemoryLightStore store = new MemoryLightStore();
        LightClient lc = client(store, primary, List.of(), clockAfter(chain), 100);
        lc.initialise(chain.block(100));
        SyncResult.Invalid i = assertInstanceOf(SyncResult.Invalid.class, lc.verifyTo(90));
        assertEquals(95, i.height());
        Failure.BrokenHashLink link = assertInstanceOf(Failure.BrokenHashLink.class, i.reason());
        assertEquals(96, link.trustedHeight());
        assertEquals(chain.hash(95), link.lastBlockIdHash());
        assertEquals(other.hash(95), link.headerHash());
        assertFalse(store.statuses().containsKey(90L));
    }

    @Test
    void backwardsRefusesAHeaderThatIsNotEarlier() throws Exception {
        TestChain chain = fixedChain(10);
        // Block 9 of another chain whose time is after block 10's: refused before its hash is even compared.
        TestChain late = new TestChain(1, "wattproof-test", GENESIS.plusSeconds(5), Duration.ofSeconds(1), 10, TestChain.fixed(7, 4));
        ChainProvider primary = new ChainProvider("primary", chain).tamper(9, b -> late.block(9));
        LightClient lc = client(new MemoryLightStore(), primary, List.of(), clockAfter(late), 100);
        lc.initialise(chain.block(10));
        SyncResult.Invalid i = assertInstanceOf(SyncResult.Invalid.class, lc.verifyTo(9));
        assertInstanceOf(Failure.NonIncreasingTime.class, i.reason());
    }

    @Test
    void afterARestartTheFileStoreResumesFromTheStoredTrustedBlock(@TempDir Path dir) throws Exception {
        TestChain chain = new TestChain(6, "wattproof-test", GENESIS, Duration.ofSeconds(1), 3000,
                TestChain.rotating(8, 10, 1, 1000, 3000));
        ChainProvider primary = new ChainProvider("primary", chain);
        try (FileLightStore store = FileLightStore.open(dir)) {
            LightClient lc = client(store, primary, List.of(), clockAfter(chain), 100);
            lc.initialise(chain.block(1));
            verified(lc.verifyTo(2500));
        }
        primary.resetCount();
        try (FileLightStore store = FileLightStore.open(dir)) {
            LightClient lc = client(store, primary, List.of(), clockAfter(chain), 100);
            assertEquals(chain.block(2500), lc.latestTrusted().orElseThrow(), "block with its next set survives");
            SyncResult r = lc.verifyTo(3000);
            assertEquals(chain.hash(3000), Hashes.header(verified(r).header()));
            assertEquals(List.of(3000L), primary.fetched(), "started from 2500, not from the anchor");
        }
    }

    @Test
    void theStoreIsPrunedToTheConfiguredCountKeepingTheLatestTrusted() throws Exception {
        TestChain chain = fixedChain(20);
        MemoryLightStore store = new MemoryLightStore();
        LightClient lc = client(store, new ChainProvider("primary", chain), List.of(), clockAfter(chain), 5);
        lc.initialise(chain.block(1));
        for (long h = 2; h <= 20; h++) {
            verified(lc.verifyTo(h));
        }
        assertEquals(List.of(16L, 17L, 18L, 19L, 20L), new ArrayList<>(store.statuses().keySet()));
        assertEquals(20, lc.latestTrusted().orElseThrow().height());
    }

    @Test
    void verifyToLatestUsesTheBlockItFetchedAsTheTarget() throws Exception {
        TestChain chain = fixedChain(40);
        ChainProvider primary = new ChainProvider("primary", chain).latest(33);
        LightClient lc = client(new MemoryLightStore(), primary, List.of(), clockAfter(chain), 100);
        lc.initialise(chain.block(1));
        assertEquals(33, verified(lc.verifyToLatest()).height());
        assertEquals(List.of(33L), primary.fetched());
    }

    @Test
    void aLatestBlockThatContradictsTheTrustedOneAtItsHeightIsInvalid() throws Exception {
        TestChain chain = fixedChain(40);
        TestChain other = chain.fork(30, 3);
        LightClient lc = client(new MemoryLightStore(), new ChainProvider("primary", other).latest(35), List.of(),
                clockAfter(chain), 100);
        lc.initialise(chain.block(35));
        SyncResult.Invalid i = assertInstanceOf(SyncResult.Invalid.class, lc.verifyToLatest());
        Failure.ConflictsWithTrusted c = assertInstanceOf(Failure.ConflictsWithTrusted.class, i.reason());
        assertEquals(chain.hash(35), c.trustedHash());
        assertEquals(other.hash(35), c.headerHash());
    }

    @Test
    void aForkAcrossValidatorChangesIsFoundByBisectingTheWitnessToo() throws Exception {
        // No validator of height 1 is left at 4,001: both the primary's and the witness's blocks need
        // an intermediate block, each from its own provider.
        TestChain honest = new TestChain(12, "wattproof-test", GENESIS, Duration.ofSeconds(1), 4_001,
                TestChain.rotating(13, 4, 1, 1000, 4_001));
        TestChain forged = honest.fork(3_000, 14);
        ChainProvider primary = new ChainProvider("liar", forged);
        ChainProvider witness = new ChainProvider("witness", honest);
        MemoryLightStore store = new MemoryLightStore();
        LightClient lc = client(store, primary, List.of(witness), clockAfter(honest), 100);
        lc.initialise(honest.block(1));
        SyncResult.ForkDetected f = assertInstanceOf(SyncResult.ForkDetected.class, lc.verifyTo(4_001));
        assertEquals(forged.block(4_001).signedHeader(), f.evidence().primaryHeader());
        assertEquals(honest.block(4_001).signedHeader(), f.evidence().witnessHeader());
        assertTrue(f.evidence().witnessVerified());
        assertEquals(List.of(4_001L, 2_001L), primary.fetched());
        assertEquals(List.of(4_001L, 2_001L), witness.fetched());
        assertEquals(BlockStatus.FAILED, store.statuses().get(2_001L), "the intermediate of a refused sync is not a start");
        assertEquals(BlockStatus.FAILED, store.statuses().get(4_001L));
    }

    @Test
    void blocksSentWithoutTheirNextValidatorSetGetItFromTheBlockAbove() throws Exception {
        TestChain chain = new TestChain(15, "wattproof-test", GENESIS, Duration.ofSeconds(1), 4_001,
                TestChain.rotating(16, 4, 1, 1000, 4_001));
        ChainProvider primary = new ChainProvider("primary", chain);
        for (long h = 1; h <= 4_001; h++) {
            primary.tamper(h, b -> new LightBlock(b.signedHeader(), b.validators()));
        }
        LightClient lc = client(new MemoryLightStore(), primary, List.of(), clockAfter(chain), 100);
        lc.initialise(chain.block(1));
        SyncResult r = lc.verifyTo(4_001);
        assertEquals(chain.hash(4_001), Hashes.header(verified(r).header()));
        assertEquals(List.of(4_001L, 2_001L, 2_002L), primary.fetched(), "2,002's validators are 2,001's next set");
    }

    @Test
    void aBlockForAnotherHeightIsABadResponse() throws Exception {
        TestChain chain = fixedChain(10);
        ChainProvider primary = new ChainProvider("primary", chain).tamper(10, b -> chain.block(9));
        LightClient lc = client(new MemoryLightStore(), primary, List.of(), clockAfter(chain), 100);
        lc.initialise(chain.block(1));
        SyncResult.ProviderFailed p = assertInstanceOf(SyncResult.ProviderFailed.class, lc.verifyTo(10));
        assertInstanceOf(ProviderException.BadResponse.class, p.error());
        assertTrue(p.error().getMessage().contains("asked for height 10, got 9"), p.error().getMessage());
    }

    @Test
    void withoutATrustAnchorNothingIsVerified() throws Exception {
        TestChain chain = fixedChain(5);
        LightClient lc = client(new MemoryLightStore(), new ChainProvider("primary", chain), List.of(), clockAfter(chain), 100);
        assertInstanceOf(SyncResult.NotInitialised.class, lc.verifyTo(5));
    }
}
