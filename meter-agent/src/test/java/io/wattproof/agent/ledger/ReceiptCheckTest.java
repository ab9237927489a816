package io.wattproof.agent.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.wattproof.agent.record.SignedRecord;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.Header;
import io.wattproof.protocol.v1.Receipt;
import io.wattproof.protocol.v1.TxProof;
import io.wattproof.protocol.v1.TxResultCode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every verdict of {@link ReceiptCheck} on real proofs from a signed chain: a record is final only
 * when the proof holds against the verified header and carries exactly the stored bytes.
 */
class ReceiptCheckTest {
    private final LedgerChain chain = new LedgerChain(7);
    private final SignedRecord ours = LedgerChain.record(5);
    private final SignedRecord other = LedgerChain.record(6);
    private final SignedRecord third = LedgerChain.record(7);

    ReceiptCheckTest() {
        chain.commit(List.of());
        // The third transaction is in the block but refused there (a second booking of a window, say).
        chain.commit(List.of(other.signedTx(), ours.signedTx(), third.signedTx()),
                List.of(0, 0, TxResultCode.RESULT_INVALID_VALUE));
        chain.commit(List.of(LedgerChain.record(9).signedTx()));
    }

    private static LedgerReceipt read(Receipt r) {
        return assertInstanceOf(LedgerReceipt.class, ReceiptCheck.read(r.toByteArray()));
    }

    private ReceiptVerdict check(Receipt r, SignedRecord record) {
        return ReceiptCheck.check(read(r), record, chain.block(r.getHeight()).header());
    }

    @Test
    void aProofThatHoldsAgainstTheVerifiedHeaderMakesTheRecordFinal() {
        assertEquals(new ReceiptVerdict.Final(5, 2, false), check(chain.receipt(ours.signedTx(), TxResultCode.RESULT_OK), ours));
        assertEquals(new ReceiptVerdict.Final(6, 2, false), check(chain.receipt(other.signedTx(), TxResultCode.RESULT_OK), other));
        assertEquals(new ReceiptVerdict.Final(7, 2, false), check(chain.receipt(third.signedTx(), TxResultCode.RESULT_OK), third));
    }

    @Test
    void alreadyIncludedWithAProofIsAsFinalAsOk() {
        assertEquals(new ReceiptVerdict.Final(5, 2, true),
                check(chain.receipt(ours.signedTx(), TxResultCode.RESULT_ALREADY_INCLUDED), ours));
    }

    @Test
    void aRefusalIsKeptWithItsCodeAndLog() {
        Receipt r = LedgerChain.refusal(ours.signedTx(), TxResultCode.RESULT_BROKEN_CHAIN, "previous_hash: expected ab, got cd");
        ReceiptVerdict v = ReceiptCheck.check(read(r), ours, chain.block(1).header());
        assertEquals(new ReceiptVerdict.RefusedByLedger(5, 6, "previous_hash: expected ab, got cd"), v);
        assertTrue(v.describe().contains("RESULT_BROKEN_CHAIN (6)"), v.describe());
    }

    @Test
    void aRefusalCarryingAProofIsStillARefusal() {
        Receipt r = chain.receipt(ours.signedTx(), TxResultCode.RESULT_OK).toBuilder()
                .setCode(TxResultCode.RESULT_DUPLICATE_SEQUENCE_VALUE).build();
        assertEquals(new ReceiptVerdict.RefusedByLedger(5, 5, ""), check(r, ours));
    }

    @Test
    void aRefusalsLogCannotBreakALogLine() {
        Receipt r = LedgerChain.refusal(ours.signedTx(), TxResultCode.RESULT_MALFORMED, "bad\nsequence=1 FORGED\u001b[31m");
        assertEquals("bad?sequence=1 FORGED?[31m", read(r).log());
    }

    @Test
    void anUnknownCodeIsARefusal() {
        Receipt r = LedgerChain.refusal(ours.signedTx(), TxResultCode.RESULT_OK, "").toBuilder().setCode(99).build();
        ReceiptVerdict v = ReceiptCheck.check(read(r), ours, chain.block(1).header());
        assertEquals(new ReceiptVerdict.RefusedByLedger(5, 99, ""), v);
    }

    @Test
    void aFlippedAuntIsForged() {
        Receipt honest = chain.receipt(ours.signedTx(), TxResultCode.RESULT_OK);
        TxProof p = honest.getProof();
        byte[] aunt = p.getProof().getAunts(0).toByteArray();
        aunt[3] ^= 0x10;
        Receipt r = honest.toBuilder().setProof(p.toBuilder().setProof(p.getProof().toBuilder().setAunts(0, ByteString.copyFrom(aunt))))
                .build();
        ReceiptVerdict.Forged f = assertInstanceOf(ReceiptVerdict.Forged.class, check(r, ours));
        assertEquals("proof.root_hash", f.what());
        assertEquals(5, f.sequence());
        assertEquals(Bytes.of(p.getRootHash().toByteArray()).hex(), f.actual());
    }

    @Test
    void aProofForAnotherTransactionIsForged() {
        // The receipt names our tx hash but carries the (valid) proof of the transaction beside it.
        Receipt r = chain.receipt(ours.signedTx(), TxResultCode.RESULT_OK).toBuilder().setProof(chain.proof(2, 0)).build();
        ReceiptVerdict.Forged f = assertInstanceOf(ReceiptVerdict.Forged.class, check(r, ours));
        assertEquals("proof.data", f.what());
        assertTrue(f.expected().startsWith("the stored SignedTx"), f.expected());
    }

    @Test
    void dataThatIsNotOurBytesIsForgedEvenWithAMatchingLeaf() {
        // One byte of the carried transaction changed, leaf hash and root recomputed to match: a
        // self-consistent proof of other bytes.
        Receipt honest = chain.receipt(ours.signedTx(), TxResultCode.RESULT_OK);
        byte[] data = ours.signedTx();
        data[data.length - 1] ^= 1;
        Receipt r = honest.toBuilder().setProof(honest.getProof().toBuilder().setData(ByteString.copyFrom(data))).build();
        ReceiptVerdict.Forged f = assertInstanceOf(ReceiptVerdict.Forged.class, check(r, ours));
        assertEquals("proof.data", f.what());
    }

    @Test
    void aProofWhoseRootIsNotTheHeadersDataHashIsForged() {
        // A consistent proof from a tree the block does not have (our tx and one invented one).
        LedgerChain elsewhere = new LedgerChain(8);
        elsewhere.commit(List.of(ours.signedTx(), new byte[] {1, 2, 3}));
        Receipt r = chain.receipt(ours.signedTx(), TxResultCode.RESULT_OK).toBuilder().setProof(elsewhere.proof(1, 0)).build();
        Header header = chain.block(2).header();
        ReceiptVerdict.Forged f = assertInstanceOf(ReceiptVerdict.Forged.class, ReceiptCheck.check(read(r), ours, header));
        assertEquals("proof.root_hash", f.what());
        assertTrue(f.expected().startsWith(header.dataHash().hex() + " (data_hash of the verified header at height 2)"), f.expected());
    }

    @Test
    void anHonestProofAgainstAForgedHeaderIsForged() {
        Receipt r = chain.receipt(ours.signedTx(), TxResultCode.RESULT_OK);
        ReceiptVerdict v = ReceiptCheck.check(read(r), ours, chain.forgedDataHash(2).header());
        assertEquals("proof.root_hash", assertInstanceOf(ReceiptVerdict.Forged.class, v).what());
    }

    @Test
    void indexAndAuntCountOutOfShapeAreForged() {
        Receipt honest = chain.receipt(ours.signedTx(), TxResultCode.RESULT_OK);
        TxProof p = honest.getProof();
        Receipt badIndex = honest.toBuilder().setProof(p.toBuilder().setProof(p.getProof().toBuilder().setIndex(3))).build();
        assertEquals("proof.proof.index", assertInstanceOf(ReceiptVerdict.Forged.class, check(badIndex, ours)).what());
        Receipt lessAunts = honest.toBuilder().setProof(p.toBuilder().setProof(p.getProof().toBuilder().clearAunts()
                .addAllAunts(p.getProof().getAuntsList().subList(1, p.getProof().getAuntsCount())))).build();
        assertEquals("proof.proof.aunts", assertInstanceOf(ReceiptVerdict.Forged.class, check(lessAunts, ours)).what());
        Receipt badLeaf = honest.toBuilder().setProof(p.toBuilder().setProof(p.getProof().toBuilder()
                .setLeafHash(ByteString.copyFrom(new byte[32])))).build();
        assertEquals("proof.proof.leaf_hash", assertInstanceOf(ReceiptVerdict.Forged.class, check(badLeaf, ours)).what());
    }

    @Test
    void aReceiptForAnotherTransactionIsNotOurs() {
        Receipt r = chain.receipt(other.signedTx(), TxResultCode.RESULT_OK);
        assertInstanceOf(ReceiptVerdict.NotOurs.class, ReceiptCheck.check(read(r), ours, chain.block(2).header()));
    }

    @Test
    void aHeaderOfAnotherHeightIsTheCallersMistake() {
        Receipt r = chain.receipt(ours.signedTx(), TxResultCode.RESULT_OK);
        assertThrows(IllegalArgumentException.class, () -> ReceiptCheck.check(read(r), ours, chain.block(3).header()));
    }

    @Test
    void malformedBytesAreNamedWithExpectedAndActual() {
        ReceiptVerdict.Malformed garbage = assertInstanceOf(ReceiptVerdict.Malformed.class,
                ReceiptCheck.read(new byte[] {(byte) 0xff, (byte) 0xff, 0x01}));
        assertEquals("receipt", garbage.field());
        Receipt honest = chain.receipt(ours.signedTx(), TxResultCode.RESULT_OK);
        assertEquals("tx_hash", malformed(honest.toBuilder().setTxHash(ByteString.copyFrom(new byte[31]))).field());
        assertEquals("height", malformed(honest.toBuilder().setHeight(-1)).field());
        assertEquals("height", malformed(honest.toBuilder().setHeight(0)).field());
        assertEquals("proof", malformed(honest.toBuilder().clearProof()).field());
        assertEquals("proof.proof", malformed(honest.toBuilder().setProof(honest.getProof().toBuilder().clearProof())).field());
        assertEquals("code", malformed(honest.toBuilder().setCode(-5)).field());
        ReceiptVerdict.Malformed m = malformed(honest.toBuilder().setTxHash(ByteString.EMPTY));
        assertEquals("32 bytes", m.expected());
        assertEquals("0 bytes", m.actual());
    }

    private static ReceiptVerdict.Malformed malformed(Receipt.Builder r) {
        return assertInstanceOf(ReceiptVerdict.Malformed.class, ReceiptCheck.read(r.build().toByteArray()));
    }

    @Test
    void noTruncationOrFlippedByteOfAReceiptEverThrows() {
        byte[] honest = chain.receipt(ours.signedTx(), TxResultCode.RESULT_OK).toByteArray();
        int finals = 0;
        for (int n = 0; n < honest.length; n++) {
            byte[] cut = java.util.Arrays.copyOf(honest, n);
            if (ReceiptCheck.read(cut) instanceof LedgerReceipt r && r.claimsInclusion() && r.height() == 2) {
                finals += ReceiptCheck.check(r, ours, chain.block(2).header()) instanceof ReceiptVerdict.Final ? 1 : 0;
            }
        }
        for (int i = 0; i < honest.length; i++) {
            byte[] flipped = honest.clone();
            flipped[i] ^= 0x04;
            if (ReceiptCheck.read(flipped) instanceof LedgerReceipt r && r.claimsInclusion() && r.height() == 2
                    && r.txHash().equals(ReceiptCheck.txHash(ours))) {
                finals += ReceiptCheck.check(r, ours, chain.block(2).header()) instanceof ReceiptVerdict.Final ? 1 : 0;
            }
        }
        // Only the code (RESULT_OK -> ALREADY_INCLUDED would need two bits) and the log are not
        // covered by the proof; no flip of proof, hash or height yields a final record.
        assertEquals(0, finals);
    }

    // ---- result proofs: the code proven against last_results_hash of the next header ------------

    /** Checked against the verified headers at the receipt's height and the one after it. */
    private ReceiptVerdict checkWithResult(Receipt r, SignedRecord record) {
        return ReceiptCheck.check(read(r), record, chain.block(r.getHeight()).header(), chain.block(r.getHeight() + 1).header());
    }

    private Receipt withResultProof(Receipt r, io.wattproof.protocol.v1.ResultProof proof) {
        return r.toBuilder().setResultProof(proof).build();
    }

    @Test
    void aResultProofOfCodeZeroMakesTheRecordFinal() {
        assertEquals(new ReceiptVerdict.Final(5, 2, false),
                checkWithResult(chain.receiptWithResult(ours.signedTx(), TxResultCode.RESULT_OK), ours));
        assertEquals(new ReceiptVerdict.Final(6, 2, false),
                checkWithResult(chain.receiptWithResult(other.signedTx(), TxResultCode.RESULT_OK), other));
        // A re-submission's answer claims what RESULT_OK claims: the block accepted it.
        assertEquals(new ReceiptVerdict.Final(5, 2, true),
                checkWithResult(chain.receiptWithResult(ours.signedTx(), TxResultCode.RESULT_ALREADY_INCLUDED), ours));
    }

    @Test
    void aRefusalTheBlockProvesIsARefusal() {
        Receipt r = chain.receiptWithResult(third.signedTx(), TxResultCode.RESULT_INVALID);
        assertEquals(new ReceiptVerdict.RefusedByLedger(7, TxResultCode.RESULT_INVALID_VALUE, ""), checkWithResult(r, third));
    }

    @Test
    void refusedButProvenOkIsForged() {
        Receipt r = chain.receiptWithResult(ours.signedTx(), TxResultCode.RESULT_OK).toBuilder()
                .setCode(TxResultCode.RESULT_INVALID_VALUE).build();
        ReceiptVerdict.Forged f = assertInstanceOf(ReceiptVerdict.Forged.class, checkWithResult(r, ours));
        assertEquals("code", f.what());
        assertTrue(f.expected().startsWith("0 (the result the block committed"), f.expected());
        assertEquals("11", f.actual());
    }

    @Test
    void okButProvenRefusedIsForged() {
        Receipt ok = chain.receiptWithResult(third.signedTx(), TxResultCode.RESULT_OK);
        ReceiptVerdict.Forged f = assertInstanceOf(ReceiptVerdict.Forged.class, checkWithResult(ok, third));
        assertEquals("code", f.what());
        assertTrue(f.expected().startsWith("11 (the result the block committed"), f.expected());
        Receipt already = chain.receiptWithResult(third.signedTx(), TxResultCode.RESULT_ALREADY_INCLUDED);
        assertEquals("code", assertInstanceOf(ReceiptVerdict.Forged.class, checkWithResult(already, third)).what());
        // Without the result proof the same lie passes as final: inclusion is all such a receipt proves.
        assertInstanceOf(ReceiptVerdict.Final.class, check(chain.receipt(third.signedTx(), TxResultCode.RESULT_OK), third));
    }

    @Test
    void theResultOfTheTransactionBesideOursIsForged() {
        Receipt honest = chain.receiptWithResult(ours.signedTx(), TxResultCode.RESULT_OK);
        // Leaf 2 (refused) presented for our transaction at index 1.
        Receipt beside = withResultProof(honest, chain.resultProof(2, 2)).toBuilder().setCode(TxResultCode.RESULT_INVALID_VALUE).build();
        ReceiptVerdict.Forged f = assertInstanceOf(ReceiptVerdict.Forged.class, checkWithResult(beside, ours));
        assertEquals("result_proof.proof.index", f.what());
        assertEquals("2", f.actual());
        // Relabelled as leaf 1, its path no longer leads to last_results_hash.
        var p = chain.resultProof(2, 2);
        Receipt relabelled = withResultProof(honest, p.toBuilder().setProof(p.getProof().toBuilder().setIndex(1)).build())
                .toBuilder().setCode(TxResultCode.RESULT_INVALID_VALUE).build();
        assertInstanceOf(ReceiptVerdict.Forged.class, checkWithResult(relabelled, ours));
    }

    @Test
    void aChangedResultOrFlippedResultAuntIsForged() {
        Receipt honest = chain.receiptWithResult(third.signedTx(), TxResultCode.RESULT_INVALID);
        var p = honest.getResultProof();
        // The result bytes say accepted (code 0 is the empty message), the receipt too.
        Receipt changed = withResultProof(honest, p.toBuilder().setResult(ByteString.EMPTY).build()).toBuilder().setCode(0).build();
        assertEquals("result_proof.proof.leaf_hash", assertInstanceOf(ReceiptVerdict.Forged.class, checkWithResult(changed, third)).what());
        byte[] aunt = p.getProof().getAunts(0).toByteArray();
        aunt[0] ^= 1;
        Receipt flipped = withResultProof(honest, p.toBuilder().setProof(p.getProof().toBuilder().setAunts(0, ByteString.copyFrom(aunt)))
                .build());
        ReceiptVerdict.Forged f = assertInstanceOf(ReceiptVerdict.Forged.class, checkWithResult(flipped, third));
        assertEquals("result_proof", f.what());
        assertTrue(f.expected().contains("last_results_hash of the verified header at height 3"), f.expected());
        Receipt lessAunts = withResultProof(honest, p.toBuilder().setProof(p.getProof().toBuilder().clearAunts()
                .addAllAunts(p.getProof().getAuntsList().subList(1, p.getProof().getAuntsCount()))).build());
        assertEquals("result_proof.proof.aunts", assertInstanceOf(ReceiptVerdict.Forged.class, checkWithResult(lessAunts, third)).what());
    }

    @Test
    void theInclusionProofIsStillCheckedFirst() {
        Receipt r = chain.receiptWithResult(ours.signedTx(), TxResultCode.RESULT_OK).toBuilder().setProof(chain.proof(2, 0)).build();
        assertEquals("proof.data", assertInstanceOf(ReceiptVerdict.Forged.class, checkWithResult(r, ours)).what());
    }

    @Test
    void aResultProofNeedsTheNextHeader() {
        Receipt r = chain.receiptWithResult(ours.signedTx(), TxResultCode.RESULT_OK);
        assertThrows(IllegalArgumentException.class, () -> ReceiptCheck.check(read(r), ours, chain.block(2).header(),
                chain.block(2).header()));
        // The pure helper says the same as a value.
        assertInstanceOf(io.wattproof.lightclient.tx.ResultVerdict.HeightMismatch.class,
                ReceiptCheck.verifyResult(read(r), chain.block(2).header()));
        assertEquals(0, assertInstanceOf(io.wattproof.lightclient.tx.ResultVerdict.Verified.class,
                ReceiptCheck.verifyResult(read(r), chain.block(3).header())).result().code());
    }

    @Test
    void withoutAResultProofTheCheckIsInclusionOnly() {
        Receipt r = chain.receipt(ours.signedTx(), TxResultCode.RESULT_OK);
        assertEquals(new ReceiptVerdict.Final(5, 2, false), checkWithResult(r, ours));
        assertEquals(new ReceiptVerdict.RefusedByLedger(5, 6, "x"), ReceiptCheck.check(
                read(LedgerChain.refusal(ours.signedTx(), TxResultCode.RESULT_BROKEN_CHAIN, "x")), ours, chain.block(1).header(),
                chain.block(2).header()));
    }

    @Test
    void aResultProofWithoutABlockIsMalformed() {
        Receipt honest = chain.receiptWithResult(third.signedTx(), TxResultCode.RESULT_INVALID);
        assertEquals("height", malformed(honest.toBuilder().setHeight(0)).field());
        assertEquals("proof", malformed(honest.toBuilder().clearProof()).field());
        assertEquals("result_proof.proof", malformed(honest.toBuilder().setResultProof(honest.getResultProof().toBuilder()
                .clearProof())).field());
    }

    @Test
    void noFlippedByteOfAReceiptWithAResultProofMakesARefusedTransactionFinal() {
        byte[] honest = chain.receiptWithResult(third.signedTx(), TxResultCode.RESULT_INVALID).toByteArray();
        for (int i = 0; i < honest.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] flipped = honest.clone();
                flipped[i] ^= (byte) (1 << bit);
                if (ReceiptCheck.read(flipped) instanceof LedgerReceipt r && r.height() == 2 && r.resultProof().isPresent()
                        && r.txHash().equals(ReceiptCheck.txHash(third))) {
                    ReceiptVerdict v = ReceiptCheck.check(r, third, chain.block(2).header(), chain.block(3).header());
                    assertTrue(!(v instanceof ReceiptVerdict.Final), "byte " + i + " bit " + bit + ": " + v);
                }
            }
        }
    }

    // ---- checkTransaction: transactions that are no records (a booking, an offer) -------------------

    private TxReceiptVerdict checkTx(Receipt r, byte[] tx) {
        return ReceiptCheck.checkTransaction(read(r), tx, chain.block(2).header(), chain.block(3).header());
    }

    @Test
    void aTransactionIsAcceptedOrRefusedOnlyAsTheBlockProves() {
        byte[] tx = ours.signedTx();
        assertEquals(new TxReceiptVerdict.Accepted(2, false), checkTx(chain.receiptWithResult(tx, TxResultCode.RESULT_OK), tx));
        assertEquals(new TxReceiptVerdict.Accepted(2, true),
                checkTx(chain.receiptWithResult(tx, TxResultCode.RESULT_ALREADY_INCLUDED), tx));
        byte[] refused = third.signedTx();
        assertEquals(new TxReceiptVerdict.Refused(2, TxResultCode.RESULT_INVALID_VALUE, ""),
                checkTx(chain.receiptWithResult(refused, TxResultCode.RESULT_INVALID), refused));
    }

    @Test
    void aTransactionsCodeIsNeverTakenOnTrust() {
        byte[] tx = ours.signedTx();
        // Inclusion alone proves no acceptance: the block may have refused it.
        assertEquals(new TxReceiptVerdict.Unproven(0, 2), checkTx(chain.receipt(tx, TxResultCode.RESULT_OK), tx));
        TxReceiptVerdict lie = checkTx(chain.receiptWithResult(third.signedTx(), TxResultCode.RESULT_INVALID).toBuilder().setCode(0).build(),
                third.signedTx());
        assertEquals("code", assertInstanceOf(TxReceiptVerdict.Forged.class, lie, lie.describe()).what());
        Receipt honest = chain.receiptWithResult(tx, TxResultCode.RESULT_OK);
        TxProof p = honest.getProof();
        byte[] leaf = p.getProof().getLeafHash().toByteArray();
        leaf[3] ^= 0x10;
        TxReceiptVerdict flipped = checkTx(honest.toBuilder().setProof(p.toBuilder().setProof(p.getProof().toBuilder()
                .setLeafHash(ByteString.copyFrom(leaf)))).build(), tx);
        assertInstanceOf(TxReceiptVerdict.Forged.class, flipped, flipped.describe());
        assertInstanceOf(TxReceiptVerdict.NotOurs.class, checkTx(honest, other.signedTx()));
    }
}
