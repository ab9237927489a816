package io.wattproof.agent.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.wattproof.agent.clock.SettableClock;
import io.wattproof.agent.outbox.MemoryOutbox;
import io.wattproof.agent.outbox.OutboxException;
import io.wattproof.agent.provision.TrustAnchor;
import io.wattproof.agent.record.SignedRecord;
import com.google.protobuf.ByteString;
import io.wattproof.lightclient.store.MemoryLightStore;
import io.wattproof.lightclient.tx.TxInclusion;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.protocol.v1.BodyType;
import io.wattproof.protocol.v1.Booking;
import io.wattproof.protocol.v1.PileOffer;
import io.wattproof.protocol.v1.Receipt;
import io.wattproof.protocol.v1.SignedTx;
import io.wattproof.protocol.v1.TxProof;
import io.wattproof.protocol.v1.TxResultCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The follower against a gateway in the test: honest answers make records final and pruned; a
 * forged header, a bad proof, withheld receipts and refusals change nothing stored, are counted
 * once each, and the record is finalised by a later honest answer. The clock is settable, so the
 * receipt timeout passes when the test says so.
 */
class LedgerFollowerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final SettableClock clock = new SettableClock(LedgerChain.GENESIS.plus(Duration.ofHours(1)));
    private final LedgerChain chain = new LedgerChain(21);
    private final MemoryOutbox outbox = new MemoryOutbox();
    private final List<Long> resent = new ArrayList<>();
    /** Transactions (no records) the follower asked to send again. */
    private final List<byte[]> txsResent = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** What the follower handed on: "booking <tx hash hex> <height>", "decided <tx hash hex> <code> <height>". */
    private final List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** What the host heard of records made final: "sequence intervalEnd at". */
    private final List<String> confirmations = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final FakeGateway gateway;
    private final LedgerFollower follower;
    private int pruned;

    LedgerFollowerTest() throws Exception {
        chain.commit(List.of());
        gateway = new FakeGateway(chain, bytes -> followerRef().receiptArrived(bytes));
        TrustAnchor anchor = new TrustAnchor("test", LedgerChain.CHAIN_ID, Duration.ofDays(14), chain.block(1));
        LedgerSettings settings = LedgerSettings.of(anchor).withReceiptTimeout(TIMEOUT).withPruneThreshold(2);
        follower = LedgerFollower.start(settings, new MemoryLightStore(), gateway, new LedgerFollower.Host() {
            @Override
            public void finalised(List<Long> sequences) {
                synchronized (outbox) {
                    try {
                        pruned += FinalRecords.apply(outbox, sequences, 2);
                    } catch (OutboxException e) {
                        throw new AssertionError(e);
                    }
                }
            }

            @Override
            public void resubmit(SignedRecord record) {
                synchronized (outbox) {
                    resent.add(record.sequence());
                }
                send(record);
            }

            @Override
            public void resubmitTransaction(byte[] signedTx) {
                txsResent.add(signedTx);
            }

            @Override
            public void confirmed(SignedRecord record, java.time.Instant at) {
                confirmations.add(record.sequence() + " " + record.intervalEnd() + " " + at);
            }
        }, clock, "00112233445566778899aabbccddeeff00112233");
        follower.transactions(new LedgerTxListener() {
            @Override
            public void bookingVerified(byte[] bookingTx, long height) {
                heard.add("booking " + hex(TxInclusion.txHash(Bytes.of(bookingTx)).toArray()) + " " + height);
            }

            @Override
            public void txDecided(byte[] txHash, int resultCode, long height) {
                heard.add("decided " + hex(txHash) + " " + resultCode + " " + height);
            }
        });
    }

    private LedgerFollower followerRef() {
        return follower;
    }

    @AfterEach
    void close() {
        follower.close();
    }

    /** As the agent sends: expected first, then out to the gateway, acknowledged by the broker. */
    private void send(SignedRecord r) {
        follower.expect(r);
        synchronized (outbox) {
            outbox.markAcknowledged(r.sequence());
        }
        gateway.submit(r.signedTx());
    }

    private SignedRecord store(long sequence) {
        SignedRecord r = LedgerChain.record(sequence);
        synchronized (outbox) {
            outbox.append(r);
        }
        return r;
    }

    private void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what + "; counters " + follower.counters());
            }
            Thread.sleep(5);
        }
    }

    private boolean allFinal() {
        synchronized (outbox) {
            return outbox.depth() == 0 && outbox.unconfirmedCount() == 0;
        }
    }

    /** Lets the timeout pass and waits for the follower to act on it. */
    private void timeoutPasses(int resubmissionsBefore) throws Exception {
        follower.awaitIdle();
        clock.advance(TIMEOUT.plusSeconds(1));
        follower.checkNow();
        assertEquals(resubmissionsBefore + 1, follower.counters().resubmissions());
        follower.awaitIdle();
    }

    @Test
    void honestReceiptsMakeRecordsFinalAndPruned() throws Exception {
        for (long s = 1; s <= 3; s++) {
            send(store(s));
        }
        await("three final records", () -> follower.counters().confirmed() == 3);
        assertTrue(allFinal());
        synchronized (outbox) {
            assertEquals(2, pruned, "pruned when two were final");
            assertEquals(1, outbox.prunable());
        }
        LedgerCounters c = follower.counters();
        assertEquals(0, c.forgeriesDetected());
        assertEquals(0, c.resubmissions());
        assertEquals(chain.height(), c.verifiedHeight());
        assertEquals(3, outbox.chainState().nextSequence() - 1, "the chain state survives pruning");
    }

    /**
     * Records the broker acknowledged but never delivered (a broker restarted without its
     * sessions) are sent again in sequence order, and one that falls due takes its unconfirmed
     * predecessors along ahead of it: the ledger fills a gap from its lower end only.
     */
    @Test
    void aLostBacklogIsSentAgainInSequenceOrderWithItsPredecessors() throws Exception {
        for (long s = 1; s <= 12; s++) {
            SignedRecord r = store(s);
            follower.expect(r);
            synchronized (outbox) {
                outbox.markAcknowledged(r.sequence());
            }
            if (s == 6) {
                // Records 7..12 fall due one timeout after 1..6.
                follower.awaitIdle();
                clock.advance(TIMEOUT.dividedBy(2));
            }
        }
        follower.awaitIdle();
        clock.advance(TIMEOUT.dividedBy(2).plusMillis(1));
        follower.checkNow();
        follower.awaitIdle();
        synchronized (outbox) {
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), resent, "the records due, in sequence order");
        }
        await("the first six final", () -> follower.counters().confirmed() == 6);
        clock.advance(TIMEOUT);
        follower.checkNow();
        follower.awaitIdle();
        synchronized (outbox) {
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L), resent);
        }
        await("all final", () -> follower.counters().confirmed() == 12);
    }

    /**
     * A forged block condemns the block, not the receipt: the receipt is kept and its header asked
     * for again at the next check, so an honest answer makes the record final without sending it
     * again, and a lie in the receipt itself would still be found.
     */
    @Test
    void eachRecordMadeFinalIsHeardOnceWithItsIntervalEndAndTheClockOfTheMoment() throws Exception {
        SignedRecord first = store(1);
        SignedRecord second = store(2);
        send(first);
        send(second);
        await("two final records", () -> follower.counters().confirmed() == 2);
        // A second receipt for a final record (after a re-submission) is checked, not heard again.
        gateway.submit(first.signedTx());
        follower.awaitIdle();
        assertEquals(2, follower.counters().confirmed());
        assertEquals(List.of("1 " + first.intervalEnd() + " " + clock.instant(), "2 " + second.intervalEnd() + " " + clock.instant()),
                confirmations.stream().sorted().toList());
    }

    @Test
    void aForgedHeaderServedOnceIsCountedOnceAndAnHonestAnswerLaterFinalises() throws Exception {
        SignedRecord r = store(1);
        gateway.forgeHeightOnce = 2;
        send(r);
        await("the forgery", () -> follower.counters().forgeriesDetected() == 1);
        follower.awaitIdle();
        assertEquals(1, outbox.unconfirmedCount(), "the record is kept");
        assertEquals(0, follower.counters().confirmed());

        follower.checkNow();
        await("the record final", () -> follower.counters().confirmed() == 1);
        assertTrue(allFinal());
        assertEquals(1, gateway.forgedServed);
        assertEquals(1, follower.counters().forgeriesDetected(), "one forgery served, one counted");
        assertEquals(0, follower.counters().resubmissions(), "the same receipt, checked again against an honest header");
        assertEquals(List.of(), resent);
    }

    @Test
    void aBadProofIsCountedAndTheRecordKeptUntilAnHonestReceipt() throws Exception {
        SignedRecord r = store(1);
        gateway.badProofNext = true;
        send(r);
        await("the forgery", () -> follower.counters().forgeriesDetected() == 1);
        follower.awaitIdle();
        assertEquals(1, outbox.unconfirmedCount());

        timeoutPasses(0);
        await("the record final", () -> follower.counters().confirmed() == 1);
        assertEquals(1, follower.counters().forgeriesDetected());
        assertTrue(allFinal());
    }

    @Test
    void aWithheldReceiptIsAnsweredByReSubmittingAfterTheTimeout() throws Exception {
        SignedRecord r = store(1);
        gateway.withhold = 1;
        send(r);
        follower.awaitIdle();
        assertEquals(0, follower.counters().resubmissions(), "nothing is sent again before the timeout");
        assertEquals(1, outbox.unconfirmedCount());

        timeoutPasses(0);
        await("the record final", () -> follower.counters().confirmed() == 1);
        assertEquals(1, follower.counters().resubmissions());
        assertEquals(2, gateway.submitted);
        assertEquals(0, follower.counters().forgeriesDetected(), "withholding is not a forgery");
        assertTrue(allFinal());
    }

    @Test
    void aRefusalKeepsTheRecordRaisesTheAlarmAndBacksOff() throws Exception {
        SignedRecord r = store(1);
        gateway.refuseNext = TxResultCode.RESULT_BROKEN_CHAIN;
        send(r);
        await("the refusal", () -> follower.counters().refusedByLedger() == 1);
        follower.awaitIdle();
        assertEquals(1, outbox.unconfirmedCount());

        timeoutPasses(0); // first refusal: one timeout
        await("the record final", () -> follower.counters().confirmed() == 1);
        assertEquals(1, follower.counters().refusedByLedger());
        assertTrue(allFinal());
    }

    @Test
    void aSecondRefusalWaitsTwiceAsLong() throws Exception {
        SignedRecord r = store(1);
        gateway.refuseNext = TxResultCode.RESULT_BROKEN_CHAIN;
        send(r);
        await("the refusal", () -> follower.counters().refusedByLedger() == 1);
        gateway.refuseNext = TxResultCode.RESULT_BROKEN_CHAIN;
        timeoutPasses(0);
        await("the second refusal", () -> follower.counters().refusedByLedger() == 2);
        follower.awaitIdle();
        clock.advance(TIMEOUT.plusSeconds(1));
        follower.checkNow();
        assertEquals(1, follower.counters().resubmissions(), "not yet: the back-off is two timeouts");
        clock.advance(TIMEOUT);
        follower.checkNow();
        assertEquals(2, follower.counters().resubmissions());
        await("the record final", () -> follower.counters().confirmed() == 1);
    }

    /** The next block is committed (the one whose header proves the results) and the follower checks again. */
    private void nextBlockAndCheck() throws Exception {
        follower.awaitIdle();
        chain.commit(List.of());
        follower.checkNow();
        follower.awaitIdle();
    }

    @Test
    void aResultProofMakesARecordFinalOnceTheNextHeaderIsVerified() throws Exception {
        gateway.withResults = true;
        SignedRecord r = store(1);
        send(r);
        follower.awaitIdle();
        // The header after the receipt's block is not committed yet: the receipt waits for it.
        assertEquals(0, follower.counters().confirmed());
        assertEquals(0, follower.counters().forgeriesDetected());
        nextBlockAndCheck();
        assertEquals(1, follower.counters().confirmed());
        assertEquals(chain.height(), follower.counters().verifiedHeight());
        assertTrue(allFinal());
    }

    @Test
    void aRefusalTheBlockDisprovesIsAForgeryAndAnHonestAnswerLaterFinalises() throws Exception {
        gateway.withResults = true;
        gateway.lieCodeNext = TxResultCode.RESULT_INVALID;
        SignedRecord r = store(1);
        send(r);
        nextBlockAndCheck();
        LedgerCounters c = follower.counters();
        assertEquals(1, c.forgeriesDetected(), "refused, but proven accepted");
        assertEquals(0, c.refusedByLedger(), "a disproven refusal is no refusal");
        assertEquals(0, c.confirmed());
        timeoutPasses(0);
        assertEquals(1, follower.counters().confirmed(), "the re-submission's honest receipt");
        assertEquals(1, follower.counters().forgeriesDetected(), "counted once");
        assertTrue(allFinal());
    }

    /**
     * Two receipts of one record wait for the header after their block: a forged one and, after the
     * re-submission, an honest one. Both are decided once the header comes; the honest one makes
     * the record final and the forged one is still counted (a later receipt must not push an
     * earlier one out unchecked).
     */
    @Test
    void aForgedReceiptWaitingBesideAnHonestOneIsStillCounted() throws Exception {
        gateway.withResults = true;
        gateway.badProofNext = true;
        SignedRecord r = store(1);
        send(r);
        follower.awaitIdle();
        timeoutPasses(0);
        assertEquals(0, follower.counters().forgeriesDetected(), "both wait for the next header");
        nextBlockAndCheck();
        assertEquals(1, follower.counters().confirmed());
        assertEquals(1, follower.counters().forgeriesDetected());
        assertTrue(allFinal());
    }

    /** A receipt that comes after the record is final is checked all the same: a forged one counts. */
    @Test
    void aForgedReceiptAfterTheRecordIsFinalIsCounted() throws Exception {
        SignedRecord r = store(1);
        send(r);
        await("the record final", () -> follower.counters().confirmed() == 1);
        gateway.badProofNext = true;
        gateway.submit(r.signedTx()); // a late answer to an earlier send
        await("the forgery", () -> follower.counters().forgeriesDetected() == 1);
        follower.awaitIdle();
        assertEquals(1, follower.counters().confirmed(), "a record is made final once");
        gateway.submit(r.signedTx()); // and an honest late one changes nothing
        follower.awaitIdle();
        assertEquals(1, follower.counters().confirmed());
        assertEquals(1, follower.counters().forgeriesDetected());
    }

    @Test
    void anAcceptanceTheBlockDisprovesIsAForgeryAndTheRecordStays() throws Exception {
        gateway.withResults = true;
        gateway.blockRefusesNext = TxResultCode.RESULT_INVALID;
        gateway.lieCodeNext = TxResultCode.RESULT_OK;
        SignedRecord r = store(1);
        send(r);
        nextBlockAndCheck();
        LedgerCounters c = follower.counters();
        assertEquals(1, c.forgeriesDetected(), "accepted, but proven refused");
        assertEquals(0, c.confirmed());
        synchronized (outbox) {
            assertEquals(1, outbox.unconfirmedCount(), "the record is kept, not final");
        }
        // The re-submission's honest receipt: the refusal, now proven by the block.
        timeoutPasses(0);
        c = follower.counters();
        assertEquals(1, c.refusedByLedger());
        assertEquals(1, c.forgeriesDetected());
        assertEquals(0, c.confirmed());
    }

    @Test
    void malformedReceiptsAndReceiptsForOthersChangeNothing() throws Exception {
        SignedRecord r = store(1);
        gateway.withhold = 1;
        send(r);
        follower.receiptArrived(new byte[] {(byte) 0xff, 1, 2});
        // The filler transaction FakeGateway put beside ours in block 2: in the chain, not ours.
        follower.receiptArrived(chain.receipt(new byte[] {1}, TxResultCode.RESULT_OK).toByteArray());
        follower.awaitIdle();
        assertEquals(1, follower.counters().malformedReceipts());
        assertEquals(0, follower.counters().confirmed());
        assertEquals(0, follower.counters().forgeriesDetected());
        assertEquals(1, outbox.unconfirmedCount());
    }

    // ---- transactions that are no records: bookings of the pile's offers, the pile's own offers ---------

    private static String hex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b);
    }

    /** A booking as the ledger would hold it (the follower checks proofs, not the booking's content). */
    private static byte[] bookingTx(int n) {
        Booking b = Booking.newBuilder().setOfferTxHash(ByteString.copyFrom(new byte[32])).setNonce(n).build();
        return SignedTx.newBuilder().setBodyType(BodyType.BOOKING).setBody(b.toByteString())
                .setSignature(ByteString.copyFrom(new byte[64])).build().toByteArray();
    }

    private static byte[] offerTx(int n) {
        PileOffer o = PileOffer.newBuilder().setPileDeviceId(ByteString.copyFrom(new byte[20])).setNonce(n).build();
        return SignedTx.newBuilder().setBodyType(BodyType.PILE_OFFER).setBody(o.toByteString())
                .setSignature(ByteString.copyFrom(new byte[64])).build().toByteArray();
    }

    /** Commits {@code tx} in a block beside a filler, with {@code code} as its result, and the block after it. */
    private long commitWithNext(byte[] tx, int code) {
        chain.commit(List.of(new byte[] {(byte) chain.height()}, tx), List.of(0, code));
        long h = chain.height();
        chain.commit(List.of());
        return h;
    }

    private static String hashOf(byte[] tx) {
        return hex(TxInclusion.txHash(Bytes.of(tx)).toArray());
    }

    @Test
    void aVerifiedAcceptedBookingIsHandedOverOnce() throws Exception {
        byte[] booking = bookingTx(1);
        long h = commitWithNext(booking, 0);
        byte[] receipt = chain.receiptWithResult(booking, TxResultCode.RESULT_OK).toByteArray();
        follower.bookingArrived(receipt);
        follower.bookingArrived(receipt); // the gateway's QoS 1 may deliver it twice
        follower.awaitIdle();
        assertEquals(List.of("booking " + hashOf(booking) + " " + h), heard);
        assertEquals(0, follower.counters().forgeriesDetected());
    }

    @Test
    void aBookingWaitsForTheHeaderThatProvesItsResult() throws Exception {
        byte[] booking = bookingTx(2);
        chain.commit(List.of(new byte[] {9}, booking), List.of(0, 0));
        long h = chain.height();
        follower.bookingArrived(chain.receiptWithResult(booking, TxResultCode.RESULT_OK).toByteArray());
        follower.awaitIdle();
        assertEquals(List.of(), heard, "not before header h + 1 is verified");
        nextBlockAndCheck();
        assertEquals(List.of("booking " + hashOf(booking) + " " + h), heard);
    }

    @Test
    void aBookingTheBlockRefusedIsNotHandedOver() throws Exception {
        byte[] booking = bookingTx(3);
        commitWithNext(booking, TxResultCode.RESULT_INVALID_VALUE);
        follower.bookingArrived(chain.receiptWithResult(booking, TxResultCode.RESULT_INVALID).toByteArray());
        follower.awaitIdle();
        assertEquals(List.of(), heard);
        assertEquals(0, follower.counters().forgeriesDetected(), "an honest refusal is no forgery");
        // And a gateway claiming it was accepted is lying: the result proof says otherwise.
        follower.bookingArrived(chain.receiptWithResult(booking, TxResultCode.RESULT_INVALID).toBuilder().setCode(0).build().toByteArray());
        follower.awaitIdle();
        assertEquals(List.of(), heard);
        assertEquals(1, follower.counters().forgeriesDetected());
    }

    @Test
    void aBookingWhoseProofDoesNotMatchTheHeaderIsCountedAsForgedAndNotHandedOver() throws Exception {
        byte[] booking = bookingTx(4);
        commitWithNext(booking, 0);
        Receipt honest = chain.receiptWithResult(booking, TxResultCode.RESULT_OK);
        TxProof p = honest.getProof();
        byte[] aunt = p.getProof().getAunts(0).toByteArray();
        aunt[0] ^= 1;
        Receipt flipped = honest.toBuilder().setProof(p.toBuilder().setProof(p.getProof().toBuilder()
                .setAunts(0, ByteString.copyFrom(aunt)))).build();
        follower.bookingArrived(flipped.toByteArray());
        // A booking the ledger never held, passed off under the real one's hash and proof.
        follower.bookingArrived(honest.toBuilder().setProof(p.toBuilder().setData(ByteString.copyFrom(bookingTx(99)))).build().toByteArray());
        follower.awaitIdle();
        assertEquals(List.of(), heard);
        assertEquals(2, follower.counters().forgeriesDetected());
        // The honest receipt afterwards is still handed over.
        follower.bookingArrived(honest.toByteArray());
        follower.awaitIdle();
        assertEquals(1, heard.size());
    }

    @Test
    void aBookingReceiptWithoutAResultProofIsRefused() throws Exception {
        byte[] booking = bookingTx(5);
        commitWithNext(booking, 0);
        follower.bookingArrived(chain.receipt(booking, TxResultCode.RESULT_OK).toByteArray());
        follower.bookingArrived(new byte[] {(byte) 0xff, 1});
        follower.awaitIdle();
        assertEquals(List.of(), heard);
        assertEquals(2, follower.counters().malformedReceipts());
        assertEquals(0, follower.counters().forgeriesDetected());
    }

    @Test
    void aTrackedTransactionIsDecidedOnceByAVerifiedReceipt() throws Exception {
        gateway.withResults = true;
        byte[] offer = offerTx(1);
        follower.expectTx(offer);
        gateway.submit(offer);
        follower.awaitIdle();
        assertEquals(List.of(), heard, "the result is proven by the next header only");
        long h = chain.height();
        nextBlockAndCheck();
        assertEquals(List.of("decided " + hashOf(offer) + " 0 " + h), heard);
        gateway.submit(offer); // answered RESULT_ALREADY_INCLUDED
        follower.expectTx(offer);
        follower.checkNow();
        follower.awaitIdle();
        assertEquals(1, heard.size(), "decided once");
        clock.advance(TIMEOUT.plusSeconds(1));
        follower.checkNow();
        assertEquals(List.of(), txsResent, "a decided transaction is not sent again");
    }

    @Test
    void aTrackedTransactionTheBlockRefusesIsDecidedWithItsCode() throws Exception {
        gateway.withResults = true;
        gateway.blockRefusesNext = TxResultCode.RESULT_BAD_NONCE;
        byte[] offer = offerTx(2);
        follower.expectTx(offer);
        gateway.submit(offer);
        long h = chain.height();
        nextBlockAndCheck();
        assertEquals(List.of("decided " + hashOf(offer) + " " + TxResultCode.RESULT_BAD_NONCE_VALUE + " " + h), heard);
    }

    @Test
    void aTrackedTransactionWithoutAVerifiedReceiptIsAskedForAgainUntilDecided() throws Exception {
        byte[] offer = offerTx(3);
        gateway.withResults = true;
        gateway.badProofNext = true;
        follower.expectTx(offer);
        gateway.submit(offer);
        nextBlockAndCheck();
        assertEquals(1, follower.counters().forgeriesDetected());
        assertEquals(List.of(), heard, "a forged receipt decides nothing");
        assertEquals(List.of(), txsResent, "nothing is sent again before the timeout");

        clock.advance(TIMEOUT.plusSeconds(1));
        follower.checkNow();
        assertEquals(1, txsResent.size());
        assertArrayEquals(offer, txsResent.get(0));
        // The host sends it again; the honest receipt (already included) decides it.
        follower.expectTx(offer);
        gateway.submit(offer);
        follower.awaitIdle();
        assertEquals(1, heard.size());
        clock.advance(TIMEOUT.plusSeconds(1));
        follower.checkNow();
        assertEquals(1, txsResent.size(), "decided: not asked for again");
    }

    @Test
    void anUnprovenReceiptDecidesNoTrackedTransaction() throws Exception {
        byte[] offer = offerTx(4);
        follower.expectTx(offer);
        gateway.refuseNext = TxResultCode.RESULT_BAD_NONCE; // a refusal at CheckTx: height 0, nothing proven
        gateway.submit(offer);
        gateway.submit(offer); // inclusion proof, but no result proof (withResults off)
        nextBlockAndCheck();
        assertEquals(List.of(), heard);
        assertEquals(1, follower.counters().refusedByLedger());
        clock.advance(TIMEOUT.plusSeconds(1));
        follower.checkNow();
        assertEquals(1, txsResent.size(), "still undecided: sent again after the refusal's back-off");
    }
}
