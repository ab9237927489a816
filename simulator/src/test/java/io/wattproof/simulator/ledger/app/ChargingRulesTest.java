package io.wattproof.simulator.ledger.app;

import io.wattproof.agent.charging.ChargingTransactions;

import static io.wattproof.simulator.ledger.app.EnergyApplicationTest.assertOk;
import static io.wattproof.simulator.ledger.app.EnergyApplicationTest.assertRefused;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.KeyStoreFailure;
import io.wattproof.protocol.v1.ChargingSession;
import io.wattproof.protocol.v1.Reading;
import io.wattproof.protocol.v1.SignedTx;
import io.wattproof.protocol.v1.TxResultCode;
import io.wattproof.simulator.ledger.TxResult;
import io.wattproof.simulator.ledger.app.AppSnapshot.BookingStatus;
import io.wattproof.simulator.ledger.app.AppSnapshot.BookingView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The charging rules of the energy application, one test per rule of docs/charging.md ("The state
 * machine on the ledger"). No tariff contract, so the pile's readings move no money and every
 * balance below comes from charging alone. Times: the pile reads every 900 s from T0; the offer
 * covers a day, the booking [T0 + 900, T0 + 4500).
 */
class ChargingRulesTest {
    private static final String CHAIN = AppFixture.CHAIN_ID;
    private static final long T0 = TestMeter.T0;
    private static final long W_START = T0 + 900;
    private static final long W_END = T0 + 4500;
    /** 0.30 per kWh. */
    private static final long PRICE = 300_000;
    private static final long MAX_AMOUNT = 5_000_000;
    private static final long DEPOSIT = 6_000_000;
    private static final long CREDIT = 10_000_000;
    private static final byte[] OWNER = filled(0x0a);
    private static final byte[] DRIVER_PSEUDONYM = filled(0x0d);
    /** X25519 public key u = 9, the curve's base point (RFC 7748 §4.1). */
    private static final byte[] SEAL_KEY = sealKey();

    private final AppFixture f = new AppFixture(Optional.empty());
    private final TestMeter pile = f.registered(KeyAlgorithm.ED25519, 1, "pile-owner");
    private final DeviceKey driver = TestKeys.get(KeyAlgorithm.ECDSA_P256_SHA256, 5);
    private final String driverAccount = ChargingTransactions.driverAccount(driver.deviceId());
    /** The pile's chain as signed so far: the next record's sequence is size + 1. */
    private final List<byte[]> pileChain = new ArrayList<>();
    private long pileOfferNonce;
    private long driverNonce;

    private static byte[] filled(int b) {
        byte[] out = new byte[32];
        Arrays.fill(out, (byte) b);
        return out;
    }

    private static byte[] sealKey() {
        byte[] k = new byte[32];
        k[0] = 9;
        return k;
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private TxResult assertRefusedChangingNothing(TxResultCode code, String logPart, byte[] tx) {
        assertRefused(code, logPart, f.app.checkTx(tx));
        TxResult r = assertRefused(code, logPart, f.one(tx));
        assertArrayEquals(f.replayWithout(tx).appHash(), f.app.appHash(), "app hash after a refusal");
        return r;
    }

    private static <T> T unchecked(Signing<T> s) {
        try {
            return s.get();
        } catch (KeyStoreFailure e) {
            throw new IllegalStateException(e);
        }
    }

    private interface Signing<T> {
        T get() throws KeyStoreFailure;
    }

    private byte[] credit(String account, long amount) {
        return unchecked(() -> OperatorTransactions.accountCredit(CHAIN, f.operator, ++f.nonce, account, amount));
    }

    private byte[] offer(long windowStart, long windowEnd) {
        return unchecked(() -> ChargingTransactions.offer(CHAIN, pile.key, ++pileOfferNonce, OWNER, PRICE, windowStart, windowEnd, 11_000));
    }

    private byte[] booking(DeviceKey key, long nonce, byte[] offer, long start, long end, long maxAmount, long deposit) {
        return unchecked(() -> ChargingTransactions.booking(CHAIN, key, nonce, ChargingTransactions.txHash(offer), DRIVER_PSEUDONYM,
                20_000, maxAmount, start, end, deposit, SEAL_KEY));
    }

    private byte[] booking(byte[] offer, long start, long end) {
        return booking(driver, ++driverNonce, offer, start, end, MAX_AMOUNT, DEPOSIT);
    }

    private byte[] startRequest(DeviceKey key, byte[] booking, long requestedAt) {
        return unchecked(() -> ChargingTransactions.startRequest(CHAIN, key, ChargingTransactions.txHash(booking), pile.id, requestedAt));
    }

    private byte[] sessionStart(byte[] booking, long startTime, long startImportWh, byte[] request) {
        return unchecked(() -> ChargingTransactions.sessionStart(CHAIN, pile.key, ChargingTransactions.txHash(booking), startTime,
                startImportWh, request));
    }

    private byte[] previousHash() {
        return pileChain.isEmpty() ? new byte[0] : ChargingTransactions.recordHash(CHAIN, pileChain.get(pileChain.size() - 1));
    }

    /** The pile's next reading, for interval number {@code slot} (from T0, 900 s each). */
    private byte[] reading(long slot, long importDeltaWh) {
        long sequence = pileChain.size() + 1;
        Reading r = pile.reading(sequence, previousHash(), importDeltaWh, 0).setIntervalStart(T0 + 900 * slot).build();
        byte[] tx = pile.tx(r);
        pileChain.add(tx);
        return tx;
    }

    private ChargingSession.Builder sessionBody(byte[] booking, long start, long end, long startImport, long endImport) {
        return ChargingSession.newBuilder()
                .setDeviceId(ByteString.copyFrom(pile.id.bytes()))
                .setSequence(pileChain.size() + 1)
                .setPreviousHash(ByteString.copyFrom(previousHash()))
                .setContractTxHash(ByteString.copyFrom(ChargingTransactions.txHash(booking)))
                .setStartTime(start)
                .setEndTime(end)
                .setStartImportWh(startImport)
                .setEndImportWh(endImport)
                .setEnergyWh(endImport - startImport)
                .setEndReason(ChargingSession.EndReason.STOPPED_BY_USER)
                .setOwnerPseudonym(ByteString.copyFrom(OWNER))
                .setDriverPseudonym(ByteString.copyFrom(DRIVER_PSEUDONYM));
    }

    /** Signs {@code body}; only a session that is accepted stays in {@link #pileChain}. */
    private byte[] session(ChargingSession body) {
        return unchecked(() -> ChargingTransactions.session(CHAIN, pile.key, body));
    }

    private byte[] sessionInChain(ChargingSession body) {
        byte[] tx = session(body);
        pileChain.add(tx);
        return tx;
    }

    private BookingView bookingView(byte[] booking) {
        return f.app.snapshot().charging().booking(HexFormat.of().formatHex(ChargingTransactions.txHash(booking))).orElseThrow();
    }

    private long balance(String account) {
        return f.app.snapshot().balance(account);
    }

    /** Offer, credit and booking in blocks; returns {offer, booking}. */
    private byte[][] booked() {
        assertOk(f.one(reading(0, 0)));
        byte[] offer = offer(T0, T0 + 86_400);
        assertOk(f.one(offer));
        assertOk(f.one(credit(driverAccount, CREDIT)));
        byte[] booking = booking(offer, W_START, W_END);
        assertOk(f.one(booking));
        return new byte[][] {offer, booking};
    }

    /** {@link #booked()} and then the session started at W_START with the register at 10,000 Wh. */
    private byte[] started() {
        byte[] booking = booked()[1];
        assertOk(f.one(sessionStart(booking, W_START, 10_000, startRequest(driver, booking, W_START))));
        return booking;
    }

    // ---- the rules -------------------------------------------------------------------------------------

    @Test
    void offerBookingStartSessionAndReadingsSettleWithExactBalances() {
        byte[] booking = started();
        assertEquals(BookingStatus.ACTIVE, bookingView(booking).status());
        assertEquals(CREDIT - DEPOSIT, balance(driverAccount), "the deposit left the car owner's account");
        assertOk(f.one(reading(1, 5_000)));
        assertOk(f.one(reading(2, 5_000)));
        // Readings first, then the session they cover: settled in the session's block.
        assertOk(f.one(sessionInChain(sessionBody(booking, W_START, T0 + 2700, 10_000, 20_000).build())));
        BookingView v = bookingView(booking);
        assertEquals(BookingStatus.SETTLED, v.status());
        assertEquals(10_000, v.energyWh());
        // floor(10,000 Wh × 300,000 / 1000) = 3,000,000, under max_amount 5,000,000.
        assertEquals(3_000_000, v.amount());
        assertEquals(3_000_000, balance("pile-owner"));
        assertEquals(CREDIT - 3_000_000, balance(driverAccount), "deposit - amount came back");
        assertEquals(0, v.held());
        var c = f.app.snapshot().charging();
        assertEquals(1, c.sessions());
        assertEquals(1, c.settled());
        assertEquals(0, c.disputes());
        assertEquals(1, c.offers().size());
    }

    @Test
    void theAmountIsCappedAtMaxAmount() {
        byte[] booking = started();
        assertOk(f.one(reading(1, 9_000)));
        assertOk(f.one(reading(2, 9_000)));
        assertOk(f.one(sessionInChain(sessionBody(booking, W_START, T0 + 2700, 10_000, 28_000).build())));
        // floor(18,000 × 300,000 / 1000) = 5,400,000 > max_amount.
        assertEquals(MAX_AMOUNT, bookingView(booking).amount());
        assertEquals(MAX_AMOUNT, balance("pile-owner"));
        assertEquals(CREDIT - MAX_AMOUNT, balance(driverAccount));
    }

    @Test
    void aSessionIsSettledOnlyOnceTheCoveringReadingArrives() {
        byte[] booking = started();
        assertOk(f.one(reading(1, 5_000)));
        // The session ends inside interval 2, whose reading comes after it in the pile's chain.
        assertOk(f.one(sessionInChain(sessionBody(booking, W_START, T0 + 2000, 10_000, 16_000).build())));
        assertEquals(BookingStatus.COMPLETED, bookingView(booking).status());
        assertEquals(CREDIT - DEPOSIT, balance(driverAccount));
        assertOk(f.one(reading(2, 5_000)));
        // inner 5,000 ≤ 6,000 ≤ outer 10,000.
        assertEquals(BookingStatus.SETTLED, bookingView(booking).status());
        assertEquals(1_800_000, balance("pile-owner"));
        assertEquals(CREDIT - 1_800_000, balance(driverAccount));
    }

    @Test
    void aSessionNotMatchingTheReadingsIsDisputed() {
        byte[] booking = started();
        assertOk(f.one(reading(1, 1_000)));
        assertOk(f.one(reading(2, 1_000)));
        // The pile claims 10,000 Wh where its readings hold 2,000: nothing is paid.
        assertOk(f.one(sessionInChain(sessionBody(booking, W_START, T0 + 2700, 10_000, 20_000).build())));
        BookingView v = bookingView(booking);
        assertEquals(BookingStatus.DISPUTED, v.status());
        assertEquals(0, v.amount());
        assertEquals(DEPOSIT, v.held(), "the deposit stays held while disputed");
        assertEquals(0, balance("pile-owner"));
        assertEquals(CREDIT - DEPOSIT, balance(driverAccount));
        assertEquals(1, f.app.snapshot().charging().disputes());
    }

    @Test
    void aSessionBelowTheReadingsWhollyInsideIsDisputed() {
        byte[] booking = started();
        assertOk(f.one(reading(1, 5_000)));
        assertOk(f.one(reading(2, 5_000)));
        // 9,997 Wh where the readings wholly inside hold 10,000: more than 2 Wh of rounding below.
        assertOk(f.one(sessionInChain(sessionBody(booking, W_START, T0 + 2700, 10_000, 19_997).build())));
        assertEquals(BookingStatus.DISPUTED, bookingView(booking).status());
    }

    @Test
    void aCompletedSessionWithoutCoveringReadingsIsDisputedAnHourAfterTheWindow() {
        byte[] booking = started();
        assertOk(f.one(sessionInChain(sessionBody(booking, W_START, T0 + 2000, 10_000, 11_000).build())));
        f.blockAt(W_END + 3_599);
        assertEquals(BookingStatus.COMPLETED, bookingView(booking).status());
        f.blockAt(W_END + 3_600);
        assertEquals(BookingStatus.DISPUTED, bookingView(booking).status());
    }

    @Test
    void anActiveSessionNotClosedByWindowEndPlusAnHourIsDisputed() {
        byte[] booking = started();
        f.blockAt(W_END + 3_599);
        assertEquals(BookingStatus.ACTIVE, bookingView(booking).status());
        f.blockAt(W_END + 3_600);
        BookingView v = bookingView(booking);
        assertEquals(BookingStatus.DISPUTED, v.status());
        assertEquals(CREDIT - DEPOSIT, balance(driverAccount));
        // A session record after that is refused: the booking is no longer active.
        assertRefusedChangingNothing(TxResultCode.RESULT_INVALID, "contract_tx_hash: expected a booking that is ACTIVE",
                session(sessionBody(booking, W_START, T0 + 2000, 10_000, 11_000).build()));
    }

    @Test
    void anUnstartedBookingExpiresAtItsWindowEndAndTheDepositComesBack() {
        byte[] booking = booked()[1];
        f.blockAt(W_END - 1);
        assertEquals(BookingStatus.BOOKED, bookingView(booking).status());
        assertEquals(CREDIT - DEPOSIT, balance(driverAccount));
        f.blockAt(W_END);
        assertEquals(BookingStatus.EXPIRED, bookingView(booking).status());
        assertEquals(CREDIT, balance(driverAccount));
        assertRefusedChangingNothing(TxResultCode.RESULT_INVALID, "booking_tx_hash: expected a booking that is BOOKED",
                sessionStart(booking, W_START, 10_000, startRequest(driver, booking, W_START)));
    }

    @Test
    void anOfferExpiresAtItsWindowEndAndTakesNoMoreBookings() {
        assertOk(f.one(credit(driverAccount, CREDIT)));
        byte[] offer = offer(T0, T0 + 1000);
        assertOk(f.one(offer));
        f.blockAt(T0 + 1000);
        String hex = HexFormat.of().formatHex(ChargingTransactions.txHash(offer));
        assertTrue(f.app.snapshot().charging().offers().get(hex).expired());
        assertRefusedChangingNothing(TxResultCode.RESULT_INVALID, "offer_tx_hash: expected an offer that is offered",
                booking(offer, T0 + 1000, T0 + 1000));
    }

    @Test
    void aDoubleBookingOfAnOverlappingWindowIsRefused() {
        byte[] offer = booked()[0];
        assertOk(f.one(credit(driverAccount, CREDIT)));
        DeviceKey other = TestKeys.get(KeyAlgorithm.ED25519, 6);
        assertOk(f.one(credit(ChargingTransactions.driverAccount(other.deviceId()), CREDIT)));
        assertRefusedChangingNothing(TxResultCode.RESULT_INVALID, "window: expected no overlap with booking",
                booking(other, 1, offer, W_END - 1, W_END + 900, MAX_AMOUNT, DEPOSIT));
        // Touching windows do not overlap ([start, end)).
        assertOk(f.one(booking(other, 1, offer, W_END, W_END + 900, MAX_AMOUNT, DEPOSIT)));
    }

    @Test
    void aBookingWithoutEnoughBalanceIsRefused() {
        assertOk(f.one(reading(0, 0)));
        byte[] offer = offer(T0, T0 + 86_400);
        assertOk(f.one(offer));
        assertOk(f.one(credit(driverAccount, DEPOSIT - 1)));
        assertRefusedChangingNothing(TxResultCode.RESULT_INVALID, "deposit: expected at most the balance 5999999 of " + driverAccount,
                booking(driver, 1, offer, W_START, W_END, MAX_AMOUNT, DEPOSIT));
        assertEquals(DEPOSIT - 1, balance(driverAccount));
    }

    @Test
    void aDepositBelowMaxAmountIsRefused() {
        byte[] offer = booked()[0];
        assertRefusedChangingNothing(TxResultCode.RESULT_INVALID, "deposit: expected at least max_amount 5000000, got 4999999",
                booking(driver, driverNonce + 1, offer, W_END, W_END + 900, MAX_AMOUNT, MAX_AMOUNT - 1));
    }

    @Test
    void aBookingOutsideTheOfferOrWithABadSealKeyIsRefused() {
        byte[] offer = booked()[0];
        assertRefusedChangingNothing(TxResultCode.RESULT_INVALID, "window: expected a non-empty window inside the offer's",
                booking(driver, driverNonce + 1, offer, T0 + 86_000, T0 + 87_000, MAX_AMOUNT, DEPOSIT));
        byte[] badSeal = unchecked(() -> ChargingTransactions.booking(CHAIN, driver, driverNonce + 1, ChargingTransactions.txHash(offer),
                DRIVER_PSEUDONYM, 1000, MAX_AMOUNT, W_END, W_END + 900, DEPOSIT, new byte[31]));
        assertRefusedChangingNothing(TxResultCode.RESULT_INVALID, "driver_seal_key: expected 32 (X25519) or 65 (P-256) bytes, got 31",
                badSeal);
    }

    @Test
    void aStartRequestSignedByAnotherKeyIsRefused() {
        byte[] booking = booked()[1];
        DeviceKey stranger = TestKeys.get(KeyAlgorithm.ECDSA_P256_SHA256, 6);
        assertRefusedChangingNothing(TxResultCode.RESULT_UNAUTHORIZED, "start_request.public_key: expected the booking's key",
                sessionStart(booking, W_START, 10_000, startRequest(stranger, booking, W_START)));
        // The booking's key in public_key, but a signature by another key.
        SignedTx good = parse(startRequest(driver, booking, W_START));
        SignedTx forged = good.toBuilder().setSignature(parse(startRequest(stranger, booking, W_START)).getSignature()).build();
        assertRefusedChangingNothing(TxResultCode.RESULT_BAD_SIGNATURE, "start_request.signature",
                sessionStart(booking, W_START, 10_000, forged.toByteArray()));
        assertEquals(BookingStatus.BOOKED, bookingView(booking).status());
    }

    @Test
    void aSessionStartByAnotherPileIsRefused() {
        byte[] booking = booked()[1];
        TestMeter otherPile = f.registered(KeyAlgorithm.ED25519, 2, "other-owner");
        byte[] tx = unchecked(() -> ChargingTransactions.sessionStart(CHAIN, otherPile.key, ChargingTransactions.txHash(booking), W_START,
                10_000, startRequest(driver, booking, W_START)));
        assertRefusedChangingNothing(TxResultCode.RESULT_UNAUTHORIZED, "pile_device_id: expected " + pile.id, tx);
    }

    @Test
    void aStartOutsideTheBookedWindowIsRefused() {
        byte[] booking = booked()[1];
        assertRefusedChangingNothing(TxResultCode.RESULT_INVALID, "start_time: expected in the booked window",
                sessionStart(booking, W_END, 10_000, startRequest(driver, booking, W_START)));
        assertRefusedChangingNothing(TxResultCode.RESULT_INVALID, "start_request.requested_at: expected in the booked window",
                sessionStart(booking, W_START, 10_000, startRequest(driver, booking, W_START - 1)));
        assertOk(f.one(sessionStart(booking, W_END - 1, 10_000, startRequest(driver, booking, W_END - 1))));
    }

    @Test
    void aSessionAboveTheBookedMaximumEnergyIsRefused() {
        byte[] booking = started();
        // 11,000 W for 15 s is 45.8 Wh: a pile stopping at the first sample over 20,000 Wh may
        // report up to 20,046 Wh (billed as 20,000); one more is refused.
        assertRefusedChangingNothing(TxResultCode.RESULT_INVALID, "energy_wh: expected at most 20046 (the booking's max_energy_wh 20000 + 46 Wh",
                session(sessionBody(booking, W_START, T0 + 2700, 10_000, 30_047).build()));
        assertRefusedChangingNothing(TxResultCode.RESULT_INVALID, "energy_wh: expected end_import_wh - start_import_wh = 1000",
                session(sessionBody(booking, W_START, T0 + 2700, 10_000, 11_000).setEnergyWh(999).build()));
        assertRefusedChangingNothing(TxResultCode.RESULT_INVALID, "start_import_wh: expected 10000 (the SessionStart's)",
                session(sessionBody(booking, W_START, T0 + 2700, 9_000, 11_000).build()));
        assertEquals(BookingStatus.ACTIVE, bookingView(booking).status());
    }

    @Test
    void aSessionStoppedAtTheWindowsEndMayEndItsRecordShortlyAfterAndIsSettled() {
        byte[] booking = started();
        for (int slot = 1; slot <= 4; slot++) {
            assertOk(f.one(reading(slot, 1_000)));
        }
        // The relay opened at the window's end; the end register was read 10 s later.
        assertRefusedChangingNothing(TxResultCode.RESULT_INVALID, "end_time: expected " + W_START + ".." + (W_END + 15)
                + " (start_time to the booked window's end + 15 s), got " + (W_END + 16),
                session(sessionBody(booking, W_START, W_END + 16, 10_000, 14_050).build()));
        assertOk(f.one(sessionInChain(sessionBody(booking, W_START, W_END + 10, 10_000, 14_050).build())));
        assertEquals(BookingStatus.COMPLETED, bookingView(booking).status(), "the reading holding its end is still to come");
        // The reading after the window is evidence too: inner 4,000 ≤ 4,050 ≤ outer 4,100.
        assertOk(f.one(reading(5, 100)));
        assertEquals(BookingStatus.SETTLED, bookingView(booking).status());
    }

    @Test
    void aBookingStartsOnce() {
        byte[] booking = started();
        assertRefusedChangingNothing(TxResultCode.RESULT_INVALID, "booking_tx_hash: expected a booking that is BOOKED",
                sessionStart(booking, W_START + 1, 10_000, startRequest(driver, booking, W_START + 1)));
    }

    @Test
    void aZeroLengthSessionIsJudgedByTheReadingHoldingItsStart() {
        byte[] booking = started();
        assertOk(f.one(sessionInChain(sessionBody(booking, W_START, W_START, 10_000, 10_000)
                .setEndReason(ChargingSession.EndReason.FAULT).build())));
        assertEquals(BookingStatus.COMPLETED, bookingView(booking).status());
        assertOk(f.one(reading(1, 0)));
        BookingView v = bookingView(booking);
        assertEquals(BookingStatus.SETTLED, v.status());
        assertEquals(0, v.amount());
        assertEquals(CREDIT, balance(driverAccount), "the whole deposit came back");
    }

    @Test
    void aSessionForABookingOfAnotherPileIsRefused() {
        byte[] booking = started();
        TestMeter otherPile = f.registered(KeyAlgorithm.ED25519, 2, "other-owner");
        ChargingSession body = sessionBody(booking, W_START, T0 + 1800, 10_000, 11_000)
                .setDeviceId(ByteString.copyFrom(otherPile.id.bytes())).setSequence(1).setPreviousHash(ByteString.EMPTY).build();
        byte[] tx = unchecked(() -> ChargingTransactions.session(CHAIN, otherPile.key, body));
        assertRefusedChangingNothing(TxResultCode.RESULT_INVALID, "contract_tx_hash: expected a booking of pile " + otherPile.id, tx);
    }

    @Test
    void aChargingSessionIsARecordOfThePilesChainBetweenItsReadings() {
        byte[] booking = started();
        assertOk(f.one(reading(1, 5_000)));
        // A session that does not link to the last reading breaks the chain.
        ChargingSession unlinked = sessionBody(booking, W_START, T0 + 1800, 10_000, 15_000)
                .setPreviousHash(ByteString.copyFrom(new byte[32])).build();
        assertRefusedChangingNothing(TxResultCode.RESULT_BROKEN_CHAIN, "previous_hash: expected", session(unlinked));
        ChargingSession linked = sessionBody(booking, W_START, T0 + 1800, 10_000, 15_000).build();
        byte[] sessionTx = sessionInChain(linked);
        assertOk(f.one(sessionTx));
        assertEquals(3, f.app.snapshot().device(pile.id).orElseThrow().headSequence());
        // The next reading links to the session's record hash ("wattproof/v1/ChargingSession" domain), not to the reading before it.
        Reading afterSkippingSession = pile.reading(4, ChargingTransactions.recordHash(CHAIN, pileChain.get(1)), 0, 0)
                .setIntervalStart(T0 + 1800).build();
        assertRefusedChangingNothing(TxResultCode.RESULT_BROKEN_CHAIN, "previous_hash: expected", pile.tx(afterSkippingSession));
        assertOk(f.one(reading(2, 0)));
        // The session's sequence is held: another body under it is a duplicate.
        assertRefusedChangingNothing(TxResultCode.RESULT_DUPLICATE_SEQUENCE, "(sequence 3 already held), got",
                session(linked.toBuilder().setSequence(3).setPreviousHash(ByteString.copyFrom(
                        ChargingTransactions.recordHash(CHAIN, pileChain.get(1)))).setEndReason(ChargingSession.EndReason.FAULT).build()));
        assertEquals(4, f.app.snapshot().device(pile.id).orElseThrow().headSequence());
        assertEquals(BookingStatus.SETTLED, bookingView(booking).status());
    }

    @Test
    void aSessionSignedByAnotherKeyIsABadSignature() {
        byte[] booking = started();
        ChargingSession body = sessionBody(booking, W_START, T0 + 1800, 10_000, 15_000).build();
        byte[] byOther = unchecked(() -> ChargingTransactions.session(CHAIN, TestKeys.get(KeyAlgorithm.ED25519, 3), body));
        assertRefusedChangingNothing(TxResultCode.RESULT_BAD_SIGNATURE, "signature: expected one by the key of device " + pile.id, byOther);
    }

    @Test
    void replayedNoncesAreRefused() {
        byte[][] ob = booked();
        // Offer: the pile's nonce 1 again.
        byte[] replayedOffer = unchecked(() -> ChargingTransactions.offer(CHAIN, pile.key, 1, OWNER, PRICE + 1, T0, T0 + 86_400, 11_000));
        assertRefusedChangingNothing(TxResultCode.RESULT_BAD_NONCE, "nonce: expected 2", replayedOffer);
        // Booking: the car owner's nonce 1 again, for another window.
        assertRefusedChangingNothing(TxResultCode.RESULT_BAD_NONCE, "nonce: expected 2",
                booking(driver, 1, ob[0], W_END, W_END + 900, MAX_AMOUNT, 1_000_000 + MAX_AMOUNT));
        // Credit: the operator's nonce again (registration used 1, the credit 2).
        byte[] replayedCredit = unchecked(() -> OperatorTransactions.accountCredit(CHAIN, f.operator, 2, driverAccount, 1));
        assertRefusedChangingNothing(TxResultCode.RESULT_BAD_NONCE, "nonce: expected 3", replayedCredit);
        // A credit by a key that is not a genesis operator.
        byte[] byStranger = unchecked(() -> OperatorTransactions.accountCredit(CHAIN, driver, 1, driverAccount, 1));
        assertRefusedChangingNothing(TxResultCode.RESULT_UNAUTHORIZED, "public_key: expected the key of a genesis operator", byStranger);
    }

    @Test
    void checkTxAdmitsACarOwnersNextBookingNoncesBeforeTheyAreInABlock() {
        byte[] offer = booked()[0];
        assertOk(f.one(credit(driverAccount, CREDIT)));
        byte[] second = booking(driver, 2, offer, W_END, W_END + 900, MAX_AMOUNT, DEPOSIT);
        byte[] third = booking(driver, 3, offer, W_END + 900, W_END + 1800, MAX_AMOUNT, DEPOSIT);
        byte[] hash = f.app.appHash();
        assertOk(f.app.checkTx(second));
        assertOk(f.app.checkTx(third));
        assertRefused(TxResultCode.RESULT_BAD_NONCE, "nonce: expected 4", f.app.checkTx(second));
        assertArrayEquals(hash, f.app.appHash(), "checkTx changes no committed state");
        var results = f.block(second, third).txResults();
        assertOk(results.get(0));
        assertOk(results.get(1));
        assertEquals(2 * CREDIT - 3 * DEPOSIT, balance(driverAccount));
    }

    @Test
    void anOfferNeedsARegisteredPileAndSensibleFields() {
        TestMeter stranger = new TestMeter(TestKeys.get(KeyAlgorithm.ED25519, 7));
        assertRefusedChangingNothing(TxResultCode.RESULT_UNKNOWN_DEVICE, "device_id: expected a registered device",
                unchecked(() -> ChargingTransactions.offer(CHAIN, stranger.key, 1, OWNER, PRICE, T0, T0 + 900, 11_000)));
        assertRefusedChangingNothing(TxResultCode.RESULT_INVALID, "unit_price: expected 1..1000000000, got 0",
                unchecked(() -> ChargingTransactions.offer(CHAIN, pile.key, 1, OWNER, 0, T0, T0 + 900, 11_000)));
        assertRefusedChangingNothing(TxResultCode.RESULT_INVALID, "window_end: expected after window_start",
                unchecked(() -> ChargingTransactions.offer(CHAIN, pile.key, 1, OWNER, PRICE, T0 + 900, T0 + 900, 11_000)));
        assertRefusedChangingNothing(TxResultCode.RESULT_INVALID, "max_power_w: expected above 0",
                unchecked(() -> ChargingTransactions.offer(CHAIN, pile.key, 1, OWNER, PRICE, T0, T0 + 900, 0)));
        assertOk(f.one(unchecked(() -> ChargingTransactions.offer(CHAIN, pile.key, 1, OWNER, PRICE, T0, T0 + 900, 11_000))));
    }

    @Test
    void anAccountCreditNeedsAnAccountAndAnAmount() {
        assertRefusedChangingNothing(TxResultCode.RESULT_INVALID, "account: expected 1..64",
                unchecked(() -> OperatorTransactions.accountCredit(CHAIN, f.operator, f.nonce + 1, "", 5)));
        assertRefusedChangingNothing(TxResultCode.RESULT_INVALID, "amount: expected 1..",
                unchecked(() -> OperatorTransactions.accountCredit(CHAIN, f.operator, f.nonce + 1, driverAccount, 0)));
        assertOk(f.one(credit(driverAccount, 7)));
        assertEquals(7, balance(driverAccount));
    }

    @Test
    void requestsForThePileAloneAreNotLedgerTransactions() {
        byte[] booking = booked()[1];
        assertRefusedChangingNothing(TxResultCode.RESULT_MALFORMED, "body_type: expected a ledger body",
                startRequest(driver, booking, W_START));
        assertRefusedChangingNothing(TxResultCode.RESULT_MALFORMED, "body_type: expected a ledger body",
                unchecked(() -> ChargingTransactions.stopRequest(CHAIN, driver, ChargingTransactions.txHash(booking), pile.id, W_START)));
        // A SessionStart whose start_request is another body type.
        assertRefusedChangingNothing(TxResultCode.RESULT_MALFORMED, "start_request.body_type: expected START_REQUEST (8)",
                sessionStart(booking, W_START, 10_000,
                        unchecked(() -> ChargingTransactions.stopRequest(CHAIN, driver, ChargingTransactions.txHash(booking), pile.id,
                                W_START))));
    }

    @Test
    void twinsFedTheSameBlocksReachTheSameAppHashAndEveryChargingStepChangesIt() {
        byte[] booking = started();
        assertOk(f.one(reading(1, 5_000)));
        byte[] before = f.app.appHash();
        assertOk(f.one(reading(2, 5_000)));
        byte[] sessionTx = sessionInChain(sessionBody(booking, W_START, T0 + 2700, 10_000, 20_000).build());
        assertOk(f.one(sessionTx));
        assertFalse(Arrays.equals(before, f.app.appHash()));
        EnergyApplication twin = f.replayWithout(null);
        assertArrayEquals(f.app.appHash(), twin.appHash());
        assertEquals(f.app.snapshot().charging(), twin.snapshot().charging());
        // Without the session the booking stays active: a different state, a different hash.
        assertFalse(Arrays.equals(f.replayWithout(sessionTx).appHash(), f.app.appHash()));
        for (var b : f.history) {
            for (byte[] tx : b.txs()) {
                assertFalse(Arrays.equals(f.replayWithout(tx).appHash(), f.app.appHash()), "every accepted transaction changes the hash");
            }
        }
    }

    @Test
    void mutatedChargingBodiesSignedByTheRightKeyAreAnsweredNeverThrown() {
        byte[] booking = started();
        byte[] offer = f.history.get(2).txs().get(0);
        byte[] sessionTx = session(sessionBody(booking, W_START, T0 + 2700, 10_000, 20_000).build());
        byte[][] goods = {offer, booking(driver, driverNonce + 1, offer, W_END, W_END + 900, MAX_AMOUNT, DEPOSIT),
                sessionStart(booking, W_START, 10_000, startRequest(driver, booking, W_START)), sessionTx,
                credit(driverAccount, 5)};
        f.nonce--;
        DeviceKey[] signers = {pile.key, driver, pile.key, pile.key, f.operator};
        java.util.Random random = new java.util.Random(11);
        List<byte[]> block = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            int k = i % goods.length;
            SignedTx good = parse(goods[k]);
            byte[] body = good.getBody().toByteArray();
            if (i % 3 == 0) {
                body = Arrays.copyOf(body, random.nextInt(body.length + 1));
            } else {
                body[random.nextInt(body.length)] ^= (byte) (1 << random.nextInt(8));
            }
            byte[] signed = body.clone();
            byte[] signature = unchecked(() -> signers[k].sign(io.wattproof.protocol.SignBytes.of(good.getBodyType(), CHAIN, signed)));
            byte[] tx = good.toBuilder().setBody(ByteString.copyFrom(body)).setSignature(ByteString.copyFrom(signature)).build()
                    .toByteArray();
            TxResult r = f.app.checkTx(tx);
            assertTrue(r.code() >= 0 && r.code() <= TxResultCode.RESULT_INVALID_VALUE, r::toString);
            assertTrue(r.isOk() || !r.log().isEmpty(), r::toString);
            block.add(tx);
            if (block.size() == 100) {
                f.block(block.toArray(byte[][]::new));
                block.clear();
            }
        }
    }

    private static SignedTx parse(byte[] tx) {
        try {
            return SignedTx.parseFrom(tx);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
