package io.wattproof.simulator.ledger.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.lightclient.encoding.Hashes;
import io.wattproof.lightclient.tx.IndexedTx;
import io.wattproof.lightclient.tx.TxInclusion;
import io.wattproof.lightclient.tx.TxProof;
import io.wattproof.lightclient.tx.TxVerdict;
import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.lightclient.verifier.Failure;
import io.wattproof.lightclient.verifier.Verdict;
import io.wattproof.lightclient.verifier.VerificationOptions;
import io.wattproof.lightclient.verifier.Verifier;
import io.wattproof.simulator.ledger.CommittedBlock;
import io.wattproof.simulator.ledger.IncludedTx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class ForgeryTest {
    static final VerificationOptions OPTIONS = VerificationOptions.builder(Duration.ofDays(14)).build();

    @ParameterizedTest
    @EnumSource(Forgery.HeaderField.class)
    void aForgedHeaderNoLongerMatchesItsCommitAndTheLightClientRefusesIt(Forgery.HeaderField field) throws Exception {
        try (FakeLedgerNode node = new FakeLedgerNode("forgery-test", 3)) {
            node.submit("a".getBytes(StandardCharsets.UTF_8));
            node.commit();
            node.commit();
            LightBlock trusted = node.lightBlock(1).orElseThrow();
            LightBlock honest = node.lightBlock(2).orElseThrow();
            Verifier verifier = new Verifier();
            assertTrue(verifier.verify(trusted, honest, OPTIONS, Instant.now()).isSuccess(), "the honest block verifies");

            LightBlock forged = Forgery.forgeHeader(honest, field);
            assertNotEquals(honest.header(), forged.header());
            assertEquals(honest.commit(), forged.commit());
            assertNotEquals(forged.commit().blockId().hash(), Hashes.header(forged.header()));
            Verdict v = verifier.verify(trusted, forged, OPTIONS, Instant.now());
            assertInstanceOf(Failure.CommitBlockHashMismatch.class, assertInstanceOf(Verdict.Invalid.class, v).reason(), v.explanation());
        }
    }

    @Test
    void everyBadProofFailsInclusionOfTheDevicesTransaction() throws Exception {
        try (FakeLedgerNode node = new FakeLedgerNode("forgery-test", 4)) {
            for (int i = 0; i < 3; i++) {
                node.submit(("tx-" + i).getBytes(StandardCharsets.UTF_8));
            }
            CommittedBlock block = node.commit();
            LightBlock lb = node.lightBlock(1).orElseThrow();
            IncludedTx mine = block.txs().get(0);
            TxProof other = block.txs().get(1).proof();
            assertTrue(TxInclusion.verify(indexed(mine, mine.proof()), lb.header()).isVerified());

            for (Forgery.ProofLie lie : Forgery.ProofLie.values()) {
                for (int byteIndex : new int[] {0, 7, 31, 1000}) {
                    TxProof bad = Forgery.badProof(mine.proof(), lie, byteIndex, other);
                    TxVerdict v = TxInclusion.verify(indexed(mine, bad), lb.header());
                    assertTrue(!v.isVerified(), lie + " at " + byteIndex + " verified");
                }
            }
            assertInstanceOf(TxVerdict.RootMismatch.class,
                    TxInclusion.verify(Forgery.badProof(mine.proof(), Forgery.ProofLie.FLIP_AUNT, 3, null), lb.header()));
            assertInstanceOf(TxVerdict.LeafHashMismatch.class,
                    TxInclusion.verify(Forgery.badProof(mine.proof(), Forgery.ProofLie.FLIP_LEAF_HASH, 3, null), lb.header()));
            assertInstanceOf(TxVerdict.ProofDataMismatch.class,
                    TxInclusion.verify(indexed(mine, Forgery.badProof(mine.proof(), Forgery.ProofLie.OTHER_TX_PROOF, 0, other)), lb.header()));
        }
    }

    @Test
    void refusesALieThatCannotBeToldOfThisProof() throws Exception {
        try (FakeLedgerNode node = new FakeLedgerNode("forgery-test", 5)) {
            node.submit("alone".getBytes(StandardCharsets.UTF_8));
            TxProof alone = node.commit().txs().get(0).proof();
            assertTrue(alone.aunts().isEmpty());
            assertThrows(IllegalArgumentException.class, () -> Forgery.badProof(alone, Forgery.ProofLie.FLIP_AUNT, 0, null));
            assertThrows(IllegalArgumentException.class, () -> Forgery.badProof(alone, Forgery.ProofLie.OTHER_TX_PROOF, 0, null));
            assertThrows(IllegalArgumentException.class, () -> Forgery.badProof(alone, Forgery.ProofLie.OTHER_TX_PROOF, 0, alone));
        }
    }

    /** What the device checks: the receipt's proof for its own transaction bytes, at its index. */
    static IndexedTx indexed(IncludedTx tx, TxProof proof) {
        return new IndexedTx(io.wattproof.lightclient.types.Bytes.of(tx.hash()), tx.height(), tx.index(),
                io.wattproof.lightclient.types.Bytes.of(tx.tx()), Optional.of(proof));
    }
}
