package io.wattproof.simulator.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.soft.SoftwareKeyStore;
import io.wattproof.lightclient.encoding.MerkleTree;
import io.wattproof.lightclient.tx.TxInclusion;
import io.wattproof.lightclient.tx.TxProof;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.protocol.SignBytes;
import io.wattproof.protocol.v1.BodyType;
import io.wattproof.protocol.v1.Reading;
import io.wattproof.protocol.v1.SignedTx;
import io.wattproof.simulator.ledger.Application;
import io.wattproof.simulator.ledger.BlockResult;
import io.wattproof.simulator.ledger.CommittedBlock;
import io.wattproof.simulator.ledger.IncludedTx;
import io.wattproof.simulator.ledger.TxResult;
import io.wattproof.simulator.ledger.chain.ReferenceLedger;
import io.wattproof.simulator.ledger.chain.ReferenceLedgerConfig;
import io.wattproof.simulator.verify.RegisteredKey;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drill-down's records on a real reference ledger: signed by real device keys, proven by the
 * ledger's own proofs, checked by the light client's code; and the same chain with a proof or a
 * header changed on the way, which must be caught.
 */
class LedgerRecordsTest {
    private static final String CHAIN = "dashboard-test";

    @TempDir
    static Path keys;

    private static DeviceKey a;
    private static DeviceKey b;

    @BeforeAll
    static void makeKeys() throws Exception {
        Path secret = keys.resolve("secret");
        SoftwareKeyStore.createSecret(secret);
        a = SoftwareKeyStore.create(keys.resolve("a"), KeyAlgorithm.ED25519, secret);
        b = SoftwareKeyStore.create(keys.resolve("b"), KeyAlgorithm.ECDSA_P256_SHA256, secret);
    }

    /** Accepts every transaction: what is checked here is the chain's proof, not the energy rules. */
    private static final class AcceptAll implements Application {
        private byte[] hash = new byte[32];

        @Override
        public TxResult checkTx(byte[] tx) {
            return TxResult.ok();
        }

        @Override
        public BlockResult finalizeBlock(long height, Instant time, List<byte[]> txs) {
            hash = hash.clone();
            hash[0] = (byte) height;
            return new BlockResult(txs.stream().map(t -> TxResult.ok()).toList(), hash.clone());
        }

        @Override
        public byte[] appHash() {
            return hash.clone();
        }
    }

    private static ReferenceLedger ledger(long seed) {
        ReferenceLedger ledger = new ReferenceLedger(ReferenceLedgerConfig.builder().chainId(CHAIN).validators(4).seed(seed)
                .clock(Clock.systemUTC()).build(), new AcceptAll());
        ledger.produceBlock();
        return ledger;
    }

    private static byte[] reading(DeviceKey key, long sequence) throws Exception {
        Reading r = Reading.newBuilder().setDeviceId(ByteString.copyFrom(key.deviceId().bytes())).setSequence(sequence)
                .setIntervalStart(1_767_225_600L + sequence).setIntervalSeconds(1).setImportWh(10_000 + sequence)
                .setImportDeltaWh(sequence).setAveragePowerW(3600 * sequence).build();
        byte[] signature = key.sign(SignBytes.of(BodyType.READING, CHAIN, r.toByteArray()));
        return SignedTx.newBuilder().setBodyType(BodyType.READING).setBody(r.toByteString())
                .setKeyAlgorithmValue(key.algorithm().wireNumber()).setSignature(ByteString.copyFrom(signature)).build().toByteArray();
    }

    private static void block(ReferenceLedger ledger, byte[]... txs) throws Exception {
        for (byte[] tx : txs) {
            assertTrue(ledger.submit(tx).isOk());
        }
        ledger.produceBlock();
    }

    private static Optional<RegisteredKey> keyOf(DeviceKey key) throws Exception {
        return Optional.of(new RegisteredKey(key.deviceId(), key.algorithm(), key.publicKeyInfo()));
    }

    /** Blocks 2 and 3 with A's readings 1..3 and B's 1, and bytes that are no record at all. */
    private static void fill(ReferenceLedger ledger) throws Exception {
        block(ledger, reading(a, 1), reading(b, 1), new byte[] {0x01, 0x02, 0x03});
        block(ledger, reading(a, 2), reading(a, 3));
    }

    @Test
    void aMetersRecordsNewestFirstEachSignedAndProvenAgainstAHeaderVerifiedForwards() throws Exception {
        ReferenceLedger ledger = ledger(7);
        // Anchored at block 1: the blocks that follow are verified by skipping from it.
        LedgerRecords records = new LedgerRecords(ChainSource.of(ledger), Clock.systemUTC());
        fill(ledger);
        List<RecordView> shown = records.latest(a.deviceId(), keyOf(a), 10);
        assertEquals(List.of(3L, 2L, 1L), shown.stream().map(RecordView::sequence).toList());
        assertEquals(List.of(3L, 3L, 2L), shown.stream().map(RecordView::height).toList());
        for (RecordView r : shown) {
            assertTrue(r.signature().passed(), r.signature().detail());
            assertTrue(r.header().passed(), r.header().detail());
            assertTrue(r.inclusion().passed(), r.inclusion().detail());
            assertEquals(r.proof().rootHash(), r.proof().dataHash().orElseThrow(), "the proof's root is the verified header's data hash");
            assertEquals("reading", r.kind());
            assertEquals(0, r.resultCode());
        }
        RecordView third = shown.get(0);
        assertEquals(10_003, third.importWh());
        assertEquals(Optional.of(3L * 3600), third.averagePowerW());
        assertEquals(Instant.ofEpochSecond(1_767_225_603L), third.start());
        assertEquals(1, third.index());
        assertEquals(2, third.proof().total());
        assertEquals(1, third.proof().aunts().size());
        assertEquals(List.of(1L), records.latest(b.deviceId(), keyOf(b), 10).stream().map(RecordView::sequence).toList(),
                "only the meter's own records");
        assertEquals(List.of(3L, 2L), records.latest(a.deviceId(), keyOf(a), 2).stream().map(RecordView::sequence).toList());
    }

    @Test
    void recordsBelowTheAnchorAreVerifiedBackwardsByHashLinks() throws Exception {
        ReferenceLedger ledger = ledger(8);
        fill(ledger);
        ledger.produceBlock();
        LedgerRecords records = new LedgerRecords(ChainSource.of(ledger), Clock.systemUTC());
        List<RecordView> shown = records.latest(a.deviceId(), keyOf(a), 10);
        assertEquals(3, shown.size());
        assertTrue(shown.stream().allMatch(r -> r.header().passed() && r.inclusion().passed()), shown.toString());
    }

    @Test
    void aSignatureByAnotherKeyOrWithoutARegisteredKeyFails() throws Exception {
        ReferenceLedger ledger = ledger(9);
        LedgerRecords records = new LedgerRecords(ChainSource.of(ledger), Clock.systemUTC());
        fill(ledger);
        Optional<RegisteredKey> wrong = Optional.of(new RegisteredKey(a.deviceId(), KeyAlgorithm.ED25519,
                SoftwareKeyStore.create(keys.resolve("c"), KeyAlgorithm.ED25519, keys.resolve("secret")).publicKeyInfo()));
        RecordView r = records.latest(a.deviceId(), wrong, 1).get(0);
        assertFalse(r.signature().passed());
        assertEquals("signature: does not verify with the registered key", r.signature().detail());
        assertTrue(r.inclusion().passed(), "the proof does not depend on the signature");
        Optional<RegisteredKey> otherAlgorithm = keyOf(b);
        RecordView r2 = records.latest(a.deviceId(), otherAlgorithm, 1).get(0);
        assertFalse(r2.signature().passed());
        assertTrue(r2.signature().detail().startsWith("key algorithm: expected"), r2.signature().detail());
        assertFalse(records.latest(a.deviceId(), Optional.empty(), 1).get(0).signature().passed());
    }

    /** The ledger's chain with every transaction's proof passed through {@code change}. */
    private static ChainSource withProofs(ReferenceLedger ledger, UnaryOperator<TxProof> change) {
        ChainSource real = ChainSource.of(ledger);
        return new ChainSource() {
            @Override
            public String chainId() {
                return real.chainId();
            }

            @Override
            public long latestHeight() {
                return real.latestHeight();
            }

            @Override
            public Optional<CommittedBlock> committedBlock(long height) {
                return real.committedBlock(height).map(block -> {
                    List<IncludedTx> txs = new ArrayList<>();
                    for (IncludedTx t : block.txs()) {
                        txs.add(new IncludedTx(t.height(), t.index(), t.tx(), t.hash(), t.result(), change.apply(t.proof()),
                                t.resultProof()));
                    }
                    return new CommittedBlock(block.height(), block.time(), txs);
                });
            }

            @Override
            public Optional<LightBlock> lightBlock(long height) {
                return real.lightBlock(height);
            }
        };
    }

    @Test
    void aProofWithAChangedAuntIsCaught() throws Exception {
        ReferenceLedger ledger = ledger(10);
        ChainSource tampered = withProofs(ledger, p -> {
            List<Bytes> aunts = new ArrayList<>(p.aunts());
            if (!aunts.isEmpty()) {
                byte[] first = aunts.get(0).toArray();
                first[0] ^= 1;
                aunts.set(0, Bytes.of(first));
            }
            return new TxProof(p.rootHash(), p.data(), p.total(), p.index(), p.leafHash(), aunts);
        });
        LedgerRecords records = new LedgerRecords(tampered, Clock.systemUTC());
        fill(ledger);
        RecordView r = records.latest(a.deviceId(), keyOf(a), 1).get(0);
        assertTrue(r.header().passed(), r.header().detail());
        assertFalse(r.inclusion().passed());
        assertTrue(r.inclusion().detail().startsWith("root hash: the proof leads to "), r.inclusion().detail());
    }

    @Test
    void aProofOfAnotherBlockIsCaughtByTheHeadersDataHash() throws Exception {
        ReferenceLedger ledger = ledger(11);
        // A proof that is right in itself, at the transaction's own index, but of a tree whose other
        // leaf is some other transaction: its root is not the block's data hash.
        ChainSource tampered = withProofs(ledger, p -> {
            List<byte[]> leaves = new ArrayList<>(List.of(TxInclusion.txHash(Bytes.of(new byte[] {9})).toArray(),
                    TxInclusion.txHash(p.data()).toArray()));
            if (p.index() == 0) {
                java.util.Collections.reverse(leaves);
            }
            int index = (int) Math.min(1, p.index());
            return new TxProof(Bytes.of(MerkleTree.root(leaves)), p.data(), 2, index, p.leafHash(),
                    MerkleTree.aunts(leaves, index).stream().map(Bytes::of).toList());
        });
        LedgerRecords records = new LedgerRecords(tampered, Clock.systemUTC());
        fill(ledger);
        RecordView r = records.latest(a.deviceId(), keyOf(a), 1).get(0);
        assertFalse(r.inclusion().passed());
        assertTrue(r.inclusion().detail().contains("is not the data hash"), r.inclusion().detail());
    }

    @Test
    void aHeaderFromAnotherChainIsNotVerifiedAndItsProofNotTrusted() throws Exception {
        ReferenceLedger ledger = ledger(12);
        ReferenceLedger other = ledger(13);
        fill(ledger);
        fill(other);
        ledger.produceBlock();
        ChainSource real = ChainSource.of(ledger);
        // Block 3 as another set of validators signed it, its transactions as they are.
        ChainSource forged = new ChainSource() {
            @Override
            public String chainId() {
                return real.chainId();
            }

            @Override
            public long latestHeight() {
                return real.latestHeight();
            }

            @Override
            public Optional<CommittedBlock> committedBlock(long height) {
                return real.committedBlock(height);
            }

            @Override
            public Optional<LightBlock> lightBlock(long height) {
                return height == 3 ? other.lightBlock(3) : real.lightBlock(height);
            }
        };
        LedgerRecords records = new LedgerRecords(forged, Clock.systemUTC());
        RecordView r = records.latest(a.deviceId(), keyOf(a), 1).get(0);
        assertEquals(3, r.height());
        assertFalse(r.header().passed());
        assertTrue(r.header().detail().startsWith("header 3: "), r.header().detail());
        assertFalse(r.inclusion().passed());
        assertEquals("not checked: the header of block 3 is not verified", r.inclusion().detail());
        assertTrue(r.proof().dataHash().isEmpty());
    }
}
