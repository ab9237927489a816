package io.wattproof.simulator.ledger.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.protocol.v1.BodyType;
import io.wattproof.protocol.v1.Reading;
import io.wattproof.protocol.v1.SignedTx;
import io.wattproof.protocol.v1.TxResultCode;
import io.wattproof.simulator.ledger.BlockResult;
import io.wattproof.simulator.ledger.TxResult;
import io.wattproof.simulator.ledger.app.AppSnapshot.DeviceView;
import io.wattproof.simulator.ledger.app.AppSnapshot.GapRange;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EnergyApplicationTest {
    private static final byte[] NONE = new byte[0];

    private final AppFixture f = new AppFixture();

    static void assertOk(TxResult r) {
        assertTrue(r.isOk(), () -> "expected ok, got " + r);
    }

    /** Refused with {@code code}; the log is lowercase and contains {@code logPart}. */
    static TxResult assertRefused(TxResultCode code, String logPart, TxResult r) {
        assertEquals(code.getNumber(), r.code(), () -> "code of " + r);
        assertEquals(r.log().toLowerCase(Locale.ROOT).charAt(0), r.log().charAt(0), () -> "log starts lowercase: " + r.log());
        assertTrue(r.log().contains(logPart), () -> "log contains '" + logPart + "': " + r.log());
        return r;
    }

    /**
     * Refused by checkTx and in a block with the same code, and the state after the block is exactly
     * that of a twin that never saw the transaction.
     */
    private TxResult assertRefusedChangingNothing(TxResultCode code, String logPart, byte[] tx) {
        assertRefused(code, logPart, f.app.checkTx(tx));
        TxResult r = assertRefused(code, logPart, f.one(tx));
        assertArrayEquals(f.replayWithout(tx).appHash(), f.app.appHash(), "app hash after a refusal");
        return r;
    }

    private DeviceView view(TestMeter m) {
        return f.app.snapshot().device(m.id).orElseThrow();
    }

    private TestMeter meter(KeyAlgorithm algorithm, int index) {
        return f.registered(algorithm, index, "acct-" + algorithm.name().toLowerCase(Locale.ROOT) + "-" + index);
    }

    private void acceptAll(TestMeter m, List<Reading> readings) {
        for (Reading r : readings) {
            assertOk(f.one(m.tx(r)));
        }
    }

    // ---- readings ----------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"ECDSA_P256_SHA256", "ED25519", "SM2_SM3"})
    void aChainOfReadingsIsAccepted(KeyAlgorithm algorithm) {
        TestMeter m = meter(algorithm, 1);
        acceptAll(m, m.chain(5, 100, 20));
        DeviceView v = view(m);
        assertEquals(5, v.headSequence());
        assertEquals(5, v.accepted());
        assertEquals(List.of(), v.gaps());
        assertEquals(5, f.app.snapshot().totals().readingsAccepted());
    }

    @Test
    void unknownDeviceIsRefused() {
        TestMeter stranger = new TestMeter(TestKeys.get(KeyAlgorithm.ED25519, 9));
        assertRefusedChangingNothing(TxResultCode.RESULT_UNKNOWN_DEVICE,
                "device_id: expected a registered device, got " + stranger.id, stranger.tx(stranger.chain(1, 100, 0).get(0)));
        assertEquals(1, f.app.snapshot().totals().refused(TxResultCode.RESULT_UNKNOWN_DEVICE_VALUE));
    }

    @Test
    void revokedDeviceIsRefused() throws Exception {
        TestMeter m = meter(KeyAlgorithm.ED25519, 1);
        List<Reading> chain = m.chain(2, 100, 0);
        assertOk(f.one(m.tx(chain.get(0))));
        assertOk(f.one(OperatorTransactions.revoke(AppFixture.CHAIN_ID, f.operator, ++f.nonce, m.id)));
        assertTrue(view(m).revoked());
        assertRefusedChangingNothing(TxResultCode.RESULT_REVOKED_DEVICE, "revoked", m.tx(chain.get(1)));
        // Revoking twice makes no sense.
        assertRefused(TxResultCode.RESULT_INVALID, "device_id: expected a device not revoked yet",
                f.one(OperatorTransactions.revoke(AppFixture.CHAIN_ID, f.operator, ++f.nonce, m.id)));
    }

    @Test
    void rotatedDeviceStillFinishesItsChainAndItsSuccessorStartsAtOne() throws Exception {
        TestMeter old = meter(KeyAlgorithm.ECDSA_P256_SHA256, 1);
        TestMeter successor = new TestMeter(TestKeys.get(KeyAlgorithm.ED25519, 1));
        List<Reading> oldChain = old.chain(3, 100, 0);
        assertOk(f.one(old.tx(oldChain.get(0))));
        assertOk(f.one(OperatorTransactions.rotate(AppFixture.CHAIN_ID, f.operator, ++f.nonce, old.id, KeyAlgorithm.ED25519,
                successor.key.publicKeyInfo())));
        assertOk(f.one(old.tx(oldChain.get(1))));
        assertOk(f.one(old.tx(oldChain.get(2))));
        assertOk(f.one(successor.tx(successor.chain(1, 50, 0).get(0))));
        DeviceView o = view(old);
        DeviceView s = view(successor);
        assertEquals(3, o.headSequence());
        assertEquals(successor.id, o.rotatedTo().orElseThrow());
        assertEquals(1, s.headSequence());
        assertEquals(o.account(), s.account());
        assertEquals(o.board(), s.board());
        assertEquals(o.location(), s.location());
        assertEquals(KeyAlgorithm.ED25519, s.algorithm());
        // A second rotation of the old device is refused; the successor may rotate on.
        assertRefused(TxResultCode.RESULT_INVALID, "device_id: expected a device not rotated yet",
                f.one(OperatorTransactions.rotate(AppFixture.CHAIN_ID, f.operator, ++f.nonce, old.id, KeyAlgorithm.ED25519,
                        TestKeys.get(KeyAlgorithm.ED25519, 2).publicKeyInfo())));
        f.nonce--;
    }

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"ECDSA_P256_SHA256", "ED25519"})
    void aFlippedBitIsABadSignature(KeyAlgorithm algorithm) {
        TestMeter m = meter(algorithm, 1);
        Reading r = m.chain(1, 100, 0).get(0);
        SignedTx good = m.signed(r).build();
        byte[] signature = good.getSignature().toByteArray();
        signature[5] ^= 0x01;
        byte[] forged = good.toBuilder().setSignature(ByteString.copyFrom(signature)).build().toByteArray();
        assertRefusedChangingNothing(TxResultCode.RESULT_BAD_SIGNATURE, "signature", forged);
        // A flipped bit in the body breaks the signature as well.
        Reading altered = r.toBuilder().setImportDeltaWh(101).build();
        byte[] bodyForged = good.toBuilder().setBody(altered.toByteString()).build().toByteArray();
        assertRefusedChangingNothing(TxResultCode.RESULT_BAD_SIGNATURE, "signature", bodyForged);
        assertEquals(0, view(m).accepted());
    }

    @Test
    void aPublicKeyOtherThanTheRegisteredOneIsABadSignature() {
        TestMeter m = meter(KeyAlgorithm.ED25519, 1);
        byte[] tx = m.signed(m.chain(1, 100, 0).get(0))
                .setPublicKey(ByteString.copyFrom(TestKeys.get(KeyAlgorithm.ED25519, 2).publicKeyInfo())).build().toByteArray();
        assertRefusedChangingNothing(TxResultCode.RESULT_BAD_SIGNATURE, "public_key: expected empty or the registered key", tx);
        byte[] own = m.signed(m.chain(1, 100, 0).get(0)).setPublicKey(ByteString.copyFrom(m.key.publicKeyInfo())).build().toByteArray();
        assertOk(f.one(own));
    }

    @Test
    void algorithmMismatchIsRefused() {
        TestMeter m = meter(KeyAlgorithm.ECDSA_P256_SHA256, 1);
        byte[] tx = m.signed(m.chain(1, 100, 0).get(0)).setKeyAlgorithmValue(KeyAlgorithm.ED25519.wireNumber()).build().toByteArray();
        assertRefusedChangingNothing(TxResultCode.RESULT_ALGORITHM_MISMATCH, "key_algorithm: expected ECDSA_P256_SHA256 (1)", tx);
    }

    @Test
    void garbageBytesAreMalformed() {
        assertRefusedChangingNothing(TxResultCode.RESULT_MALFORMED, "tx: expected a serialized SignedTx",
                new byte[] {(byte) 0xff, (byte) 0xff, 0x01});
        assertRefused(TxResultCode.RESULT_MALFORMED, "tx: expected bytes", f.app.checkTx(null));
    }

    @Test
    void aWrongBodyTypeIsMalformed() {
        TestMeter m = meter(KeyAlgorithm.ED25519, 1);
        SignedTx good = m.signed(m.chain(1, 100, 0).get(0)).build();
        // A reading's bytes read as a ChargingSession lack its booking reference.
        assertRefusedChangingNothing(TxResultCode.RESULT_MALFORMED, "contract_tx_hash: expected 32 bytes, got 0",
                good.toBuilder().setBodyType(BodyType.CHARGING_SESSION).build().toByteArray());
        assertRefusedChangingNothing(TxResultCode.RESULT_MALFORMED, "body_type: expected a ledger body",
                good.toBuilder().setBodyType(BodyType.STOP_REQUEST).build().toByteArray());
        assertRefusedChangingNothing(TxResultCode.RESULT_MALFORMED, "body_type",
                good.toBuilder().setBodyType(BodyType.BODY_TYPE_UNSPECIFIED).build().toByteArray());
        assertRefusedChangingNothing(TxResultCode.RESULT_MALFORMED, "body: expected a serialized Reading",
                good.toBuilder().setBody(ByteString.copyFrom(new byte[] {(byte) 0x80})).build().toByteArray());
    }

    @Test
    void aShortDeviceIdIsMalformed() {
        TestMeter m = meter(KeyAlgorithm.ED25519, 1);
        Reading r = m.chain(1, 100, 0).get(0).toBuilder().setDeviceId(ByteString.copyFrom(new byte[19])).build();
        assertRefusedChangingNothing(TxResultCode.RESULT_MALFORMED, "device_id: expected 20 bytes, got 19", m.tx(r));
    }

    @Test
    void sequenceZeroIsMalformed() {
        TestMeter m = meter(KeyAlgorithm.ED25519, 1);
        Reading r = m.reading(1, NONE, 100, 0).setSequence(0).build();
        assertRefusedChangingNothing(TxResultCode.RESULT_MALFORMED, "sequence: expected at least 1, got 0", m.tx(r));
    }

    @Test
    void fieldsOutOfRangeAreMalformed() {
        TestMeter m = meter(KeyAlgorithm.ED25519, 1);
        assertRefusedChangingNothing(TxResultCode.RESULT_MALFORMED, "interval_seconds: expected 1..86400, got 0",
                m.tx(m.reading(1, NONE, 100, 0).setIntervalSeconds(0).build()));
        assertRefusedChangingNothing(TxResultCode.RESULT_MALFORMED, "interval_start: expected a multiple of interval_seconds",
                m.tx(m.reading(1, NONE, 100, 0).setIntervalStart(TestMeter.T0 + 1).build()));
        assertRefusedChangingNothing(TxResultCode.RESULT_MALFORMED, "import_delta_wh: expected 0..1000000000",
                m.tx(m.reading(1, NONE, -1L, 0).build()));
        assertRefusedChangingNothing(TxResultCode.RESULT_MALFORMED, "previous_hash: expected 0 or 32 bytes, got 5",
                m.tx(m.reading(1, new byte[5], 100, 0).build()));
    }

    @Test
    void anotherBodyUnderAHeldSequenceIsADuplicateSequence() {
        TestMeter m = meter(KeyAlgorithm.ECDSA_P256_SHA256, 1);
        List<Reading> chain = m.chain(2, 100, 0);
        acceptAll(m, chain);
        Reading other = chain.get(1).toBuilder().setImportDeltaWh(999).build();
        assertRefusedChangingNothing(TxResultCode.RESULT_DUPLICATE_SEQUENCE, "another body", m.tx(other));
        assertEquals(2, view(m).accepted());
    }

    @Test
    void theSameRecordAgainIsADuplicateSequenceNamedAsTheSameRecord() {
        TestMeter m = meter(KeyAlgorithm.ED25519, 1);
        List<Reading> chain = m.chain(2, 100, 0);
        acceptAll(m, chain);
        // The chain's tx-hash index answers ALREADY_INCLUDED for identical bytes; a re-encoding
        // (here with the public key attached) reaches the application.
        byte[] again = m.signed(chain.get(0)).setPublicKey(ByteString.copyFrom(m.key.publicKeyInfo())).build().toByteArray();
        assertRefusedChangingNothing(TxResultCode.RESULT_DUPLICATE_SEQUENCE, "already held with the same record", again);
    }

    @Test
    void aWrongPreviousHashIsABrokenChain() {
        TestMeter m = meter(KeyAlgorithm.ED25519, 1);
        List<Reading> chain = m.chain(2, 100, 0);
        byte[] wrong = new byte[32];
        assertRefusedChangingNothing(TxResultCode.RESULT_BROKEN_CHAIN, "previous_hash: expected empty for sequence 1",
                m.tx(m.reading(1, wrong, 100, 0).build()));
        assertOk(f.one(m.tx(chain.get(0))));
        assertRefusedChangingNothing(TxResultCode.RESULT_BROKEN_CHAIN, "previous_hash: expected",
                m.tx(chain.get(1).toBuilder().setPreviousHash(ByteString.copyFrom(wrong)).build()));
        assertRefusedChangingNothing(TxResultCode.RESULT_BROKEN_CHAIN, "previous_hash: expected the 32-byte record hash of sequence 2",
                m.tx(m.reading(3, NONE, 100, 0).build()));
        assertOk(f.one(m.tx(chain.get(1))));
    }

    @Test
    void anIntervalStartingBeforeThePreviousEndedIsOverlapping() {
        TestMeter m = meter(KeyAlgorithm.ED25519, 1);
        List<Reading> chain = m.chain(1, 100, 0);
        acceptAll(m, chain);
        Reading overlapping = m.reading(2, TestMeter.recordHash(chain.get(0)), 100, 0)
                .setIntervalStart(TestMeter.T0).build();
        assertRefusedChangingNothing(TxResultCode.RESULT_OVERLAPPING_INTERVAL,
                "interval_start: expected at or after " + (TestMeter.T0 + 900) + " (end of sequence 1), got " + TestMeter.T0,
                m.tx(overlapping));
        // Also beyond a gap: the head is the neighbour known.
        Reading ahead = m.reading(5, new byte[32], 100, 0).setIntervalStart(TestMeter.T0).build();
        assertRefusedChangingNothing(TxResultCode.RESULT_OVERLAPPING_INTERVAL, "interval_start", m.tx(ahead));
    }

    @Test
    void aGapIsRecordedThenFilledInOrder() {
        TestMeter m = meter(KeyAlgorithm.ECDSA_P256_SHA256, 1);
        List<Reading> chain = m.chain(6, 100, 0);
        assertOk(f.one(m.tx(chain.get(0))));
        assertOk(f.one(m.tx(chain.get(4)))); // sequence 5: gap 2..4
        assertEquals(List.of(new GapRange(2, 4)), view(m).gaps());
        assertEquals(3, f.app.snapshot().totals().openGapSequences());
        assertEquals(5, view(m).headSequence());
        assertOk(f.one(m.tx(chain.get(5))));
        assertOk(f.one(m.tx(chain.get(1))));
        assertEquals(List.of(new GapRange(3, 4)), view(m).gaps());
        assertOk(f.one(m.tx(chain.get(2))));
        assertOk(f.one(m.tx(chain.get(3))));
        assertEquals(List.of(), view(m).gaps());
        assertEquals(0, f.app.snapshot().totals().openGapSequences());
        assertEquals(6, view(m).accepted());
    }

    @Test
    void aGapFromTheFirstSequenceIsFilledFromOne() {
        TestMeter m = meter(KeyAlgorithm.ED25519, 1);
        List<Reading> chain = m.chain(3, 100, 0);
        assertOk(f.one(m.tx(chain.get(2))));
        assertEquals(List.of(new GapRange(1, 2)), view(m).gaps());
        assertOk(f.one(m.tx(chain.get(0))));
        assertOk(f.one(m.tx(chain.get(1))));
        assertEquals(List.of(), view(m).gaps());
    }

    /**
     * CheckTx runs against the state after the fills it already admitted since the last commit: a
     * backlog sent in order into a gap passes together (found by the broker-restart fault scenario,
     * docs/faults.md), a fill that skips one is still refused, and the committed state is untouched.
     */
    @Test
    void checkTxAdmitsAGapsFillsInOrderBeforeTheyAreInABlock() {
        TestMeter m = meter(KeyAlgorithm.ED25519, 1);
        List<Reading> chain = m.chain(6, 100, 0);
        assertOk(f.one(m.tx(chain.get(0))));
        assertOk(f.one(m.tx(chain.get(5)))); // sequence 6: gap 2..5
        byte[] hash = f.app.appHash();
        assertOk(f.app.checkTx(m.tx(chain.get(1))));
        assertOk(f.app.checkTx(m.tx(chain.get(2))));
        assertRefused(TxResultCode.RESULT_BROKEN_CHAIN, "sequence: expected 4, the lower end of the open gap 4..5",
                f.app.checkTx(m.tx(chain.get(4))));
        assertArrayEquals(hash, f.app.appHash(), "checkTx changes no committed state");
        assertEquals(List.of(new GapRange(2, 5)), view(m).gaps());
        // The block executes them in the mempool's order; the gap closes.
        f.block(m.tx(chain.get(1)), m.tx(chain.get(2)), m.tx(chain.get(3)), m.tx(chain.get(4)));
        assertEquals(List.of(), view(m).gaps());
        assertEquals(6, view(m).accepted());
    }

    @Test
    void aGapFilledOutOfOrderIsRefused() {
        TestMeter m = meter(KeyAlgorithm.ED25519, 1);
        List<Reading> chain = m.chain(5, 100, 0);
        assertOk(f.one(m.tx(chain.get(0))));
        assertOk(f.one(m.tx(chain.get(4))));
        assertRefusedChangingNothing(TxResultCode.RESULT_BROKEN_CHAIN, "sequence: expected 2, the lower end of the open gap 2..4",
                m.tx(chain.get(2)));
        assertEquals(List.of(new GapRange(2, 4)), view(m).gaps());
    }

    @Test
    void aGapClosingRecordWithTheWrongHashIsRefused() {
        TestMeter m = meter(KeyAlgorithm.ED25519, 1);
        List<Reading> chain = m.chain(3, 100, 0);
        assertOk(f.one(m.tx(chain.get(0))));
        assertOk(f.one(m.tx(chain.get(2))));
        // Links correctly to sequence 1 but is not the record sequence 3 linked to.
        Reading impostor = chain.get(1).toBuilder().setImportDeltaWh(555).build();
        assertRefusedChangingNothing(TxResultCode.RESULT_BROKEN_CHAIN, "(previous_hash of sequence 3, which closes the gap)",
                m.tx(impostor));
        // A filling record that does not link to the record below the gap.
        Reading unlinked = chain.get(1).toBuilder().setPreviousHash(ByteString.copyFrom(new byte[32])).build();
        assertRefusedChangingNothing(TxResultCode.RESULT_BROKEN_CHAIN, "previous_hash: expected", m.tx(unlinked));
        assertOk(f.one(m.tx(chain.get(1))));
    }

    @Test
    void aGapFillerOverlappingTheRecordAboveIsRefused() {
        TestMeter m = meter(KeyAlgorithm.ED25519, 1);
        List<Reading> chain = m.chain(4, 100, 0);
        assertOk(f.one(m.tx(chain.get(0))));
        // Sequence 4 claims to start right after sequence 1 ended: gap 2..3 has no time left.
        Reading four = chain.get(3).toBuilder().setIntervalStart(TestMeter.T0 + 900).build();
        assertOk(f.one(m.tx(four)));
        assertRefusedChangingNothing(TxResultCode.RESULT_OVERLAPPING_INTERVAL, "interval end: expected at or before " + (TestMeter.T0 + 900),
                m.tx(chain.get(1)));
    }

    @Test
    void aTransactionSeesTheOnesBeforeItInTheSameBlock() {
        TestMeter m = new TestMeter(TestKeys.get(KeyAlgorithm.ED25519, 1));
        List<Reading> chain = m.chain(2, 100, 0);
        byte[] register = f.register(m, "acct-a");
        BlockResult b = f.block(m.tx(chain.get(1)), register, m.tx(chain.get(0)), m.tx(chain.get(1)));
        assertEquals(TxResultCode.RESULT_UNKNOWN_DEVICE_VALUE, b.txResults().get(0).code());
        assertOk(b.txResults().get(1));
        assertOk(b.txResults().get(2));
        assertOk(b.txResults().get(3));
        assertEquals(2, view(m).headSequence());
    }

    // ---- settlement through blocks -----------------------------------------------------------------

    @Test
    void anIntervalIsSettledInTheFirstBlockAtItsEndPlusTheDelay() {
        TestMeter prosumer = f.registered(KeyAlgorithm.ED25519, 1, "prosumer");
        TestMeter consumer = f.registered(KeyAlgorithm.ECDSA_P256_SHA256, 1, "consumer");
        f.block(prosumer.tx(prosumer.chain(1, 0, 1000).get(0)), consumer.tx(consumer.chain(1, 1500, 0).get(0)));
        long due = TestMeter.T0 + 900 + 60;
        f.blockAt(due - 1);
        assertEquals(0, f.app.snapshot().settledIntervals());
        assertEquals(1, f.app.snapshot().openIntervals());
        f.blockAt(due);
        AppSnapshot s = f.app.snapshot();
        assertEquals(1, s.settledIntervals());
        assertEquals(0, s.openIntervals());
        // 1000 Wh P2P at 0.30 = 300000; the consumer's other 500 Wh from the grid at 0.40 = 200000.
        assertEquals(300_000, s.balance("prosumer"));
        assertEquals(-500_000, s.balance("consumer"));
        assertEquals(1000, s.grid().p2pWh());
        assertEquals(300_000, s.grid().p2pMoney());
        assertEquals(500, s.grid().importWh());
        assertEquals(200_000, s.grid().paidToGrid());
    }

    @Test
    void aReadingForAnIntervalAlreadySettledIsBookedAgainstTheGridAlone() {
        TestMeter prosumer = f.registered(KeyAlgorithm.ED25519, 1, "prosumer");
        TestMeter late = f.registered(KeyAlgorithm.ED25519, 2, "late");
        f.block(prosumer.tx(prosumer.chain(1, 0, 1000).get(0)));
        f.blockAt(TestMeter.T0 + 960);
        assertEquals(1, f.app.snapshot().settledIntervals());
        // Nobody bought: all 1000 Wh exported to the grid at 0.10.
        assertEquals(100_000, f.app.snapshot().balance("prosumer"));
        assertOk(f.one(late.tx(late.chain(1, 1000, 0).get(0))));
        AppSnapshot s = f.app.snapshot();
        assertEquals(-400_000, s.balance("late"), "1000 Wh from the grid at 0.40, no P2P after settlement");
        assertEquals(100_000, s.balance("prosumer"), "the settled interval stays as it was");
        assertEquals(1, s.settledIntervals());
        assertEquals(0, s.openIntervals());
    }

    @Test
    void withoutAContractIntervalsSettleWithNothingPaid() {
        AppFixture bare = new AppFixture(java.util.Optional.empty());
        TestMeter m = bare.registered(KeyAlgorithm.ED25519, 1, "a");
        bare.block(m.tx(m.chain(1, 500, 0).get(0)));
        bare.blockAt(TestMeter.T0 + 900);
        assertEquals(1, bare.app.snapshot().settledIntervals());
        assertEquals(0, bare.app.snapshot().balance("a"));
        assertTrue(bare.app.snapshot().contract().isEmpty());
    }

    // ---- operators ---------------------------------------------------------------------------------

    @Test
    void anOperatorNotInGenesisIsUnauthorized() throws Exception {
        TestMeter m = new TestMeter(TestKeys.get(KeyAlgorithm.ED25519, 1));
        byte[] tx = OperatorTransactions.register(AppFixture.CHAIN_ID, TestKeys.get(KeyAlgorithm.ED25519, 5), 1,
                KeyAlgorithm.ED25519, m.key.publicKeyInfo(), "b", "l", "acct");
        assertRefusedChangingNothing(TxResultCode.RESULT_UNAUTHORIZED, "public_key: expected the key of a genesis operator", tx);
        assertFalse(f.app.snapshot().isRegistered(m.id));
    }

    @Test
    void anOperatorSignatureThatDoesNotVerifyIsABadSignature() {
        TestMeter m = new TestMeter(TestKeys.get(KeyAlgorithm.ED25519, 1));
        SignedTx tx = parse(f.register(m, "acct"));
        f.nonce--;
        byte[] sig = tx.getSignature().toByteArray();
        sig[10] ^= 0x40;
        assertRefusedChangingNothing(TxResultCode.RESULT_BAD_SIGNATURE, "signature",
                tx.toBuilder().setSignature(ByteString.copyFrom(sig)).build().toByteArray());
    }

    @Test
    void aReplayedOrSkippedNonceIsRefused() throws Exception {
        TestMeter a = new TestMeter(TestKeys.get(KeyAlgorithm.ED25519, 1));
        TestMeter b = new TestMeter(TestKeys.get(KeyAlgorithm.ED25519, 2));
        byte[] first = f.register(a, "acct-a");
        assertOk(f.one(first));
        // Replayed: the recorded transaction again (the chain would call identical bytes
        // ALREADY_INCLUDED; a new transaction with the old nonce reaches the application).
        byte[] replay = OperatorTransactions.register(AppFixture.CHAIN_ID, f.operator, 1, KeyAlgorithm.ED25519,
                b.key.publicKeyInfo(), "b", "l", "acct-b");
        assertRefusedChangingNothing(TxResultCode.RESULT_BAD_NONCE, "nonce: expected 2", replay);
        byte[] skipped = OperatorTransactions.register(AppFixture.CHAIN_ID, f.operator, 3, KeyAlgorithm.ED25519,
                b.key.publicKeyInfo(), "b", "l", "acct-b");
        assertRefusedChangingNothing(TxResultCode.RESULT_BAD_NONCE, "nonce: expected 2", skipped);
        assertRefused(TxResultCode.RESULT_BAD_NONCE, "got 1", f.one(first));
    }

    /**
     * An operator may have several transactions waiting for one block: CheckTx counts the nonces
     * it already admitted since the last commit (and forgets them at the commit, when the mempool
     * is checked again), while the committed state is untouched until the block.
     */
    @Test
    void checkTxAdmitsAnOperatorsNextNoncesBeforeTheyAreInABlock() throws Exception {
        TestMeter a = new TestMeter(TestKeys.get(KeyAlgorithm.ED25519, 1));
        TestMeter b = new TestMeter(TestKeys.get(KeyAlgorithm.ED25519, 2));
        byte[] first = f.register(a, "acct-a");
        byte[] second = f.register(b, "acct-b");
        byte[] hash = f.app.appHash();
        assertOk(f.app.checkTx(first));
        assertOk(f.app.checkTx(second));
        byte[] secondAgain = OperatorTransactions.register(AppFixture.CHAIN_ID, f.operator, 2, KeyAlgorithm.ED25519,
                a.key.publicKeyInfo(), "x", "y", "acct-x");
        assertRefused(TxResultCode.RESULT_BAD_NONCE, "nonce: expected 3", f.app.checkTx(secondAgain));
        assertArrayEquals(hash, f.app.appHash(), "checkTx changes no committed state");
        assertFalse(f.app.snapshot().isRegistered(a.id));
        // Only the first made it into the block: after the commit the second is checked again.
        assertOk(f.one(first));
        assertOk(f.app.checkTx(second));
        assertOk(f.one(second));
        assertTrue(f.app.snapshot().isRegistered(b.id));
    }

    @Test
    void registerWithAnIdNotMatchingTheKeyIsInvalid() {
        TestMeter a = new TestMeter(TestKeys.get(KeyAlgorithm.ED25519, 1));
        TestMeter b = new TestMeter(TestKeys.get(KeyAlgorithm.ED25519, 2));
        SignedTx tx = parse(f.register(a, "acct"));
        byte[] body = io.wattproof.protocol.v1.DeviceRegistration.newBuilder(parseRegistration(tx))
                .setDeviceId(ByteString.copyFrom(b.id.bytes())).build().toByteArray();
        assertRefusedChangingNothing(TxResultCode.RESULT_INVALID,
                "device_id: expected " + a.id + " (first 20 bytes of sha-256 of public_key), got " + b.id, resign(body));
    }

    @Test
    void registerTwiceOrWithAWrongAlgorithmOrBadLabelsIsInvalid() {
        TestMeter a = f.registered(KeyAlgorithm.ED25519, 1, "acct");
        assertRefusedChangingNothing(TxResultCode.RESULT_INVALID, "already registered", f.register(a, "acct"));
        f.nonce--;
        TestMeter b = new TestMeter(TestKeys.get(KeyAlgorithm.ED25519, 2));
        SignedTx tx = parse(f.register(b, "acct"));
        f.nonce--;
        var reg = parseRegistration(tx);
        assertRefusedChangingNothing(TxResultCode.RESULT_INVALID, "public_key",
                resign(reg.toBuilder().setKeyAlgorithmValue(KeyAlgorithm.ECDSA_P256_SHA256.wireNumber()).build().toByteArray()));
        assertRefusedChangingNothing(TxResultCode.RESULT_INVALID, "account: expected 1..64",
                resign(reg.toBuilder().setAccount("").build().toByteArray()));
        assertRefusedChangingNothing(TxResultCode.RESULT_INVALID, "board: expected printable ascii",
                resign(reg.toBuilder().setBoard("pi\n").build().toByteArray()));
        assertRefusedChangingNothing(TxResultCode.RESULT_INVALID, "action: expected REGISTER",
                resign(reg.toBuilder().setActionValue(0).build().toByteArray()));
    }

    @Test
    void aTariffStartingBeforeItsBlockIsInvalidAndAValidOneGovernsLaterIntervals() throws Exception {
        f.blockAt(TestMeter.T0);
        var past = AppFixture.CONTRACT.toBuilder().setContractId("late").setValidFrom(TestMeter.T0 - 900).build();
        assertRefused(TxResultCode.RESULT_INVALID, "valid_from: expected at or after the block time",
                f.one(OperatorTransactions.tariff(AppFixture.CHAIN_ID, f.operator, 1, past)));
        var bad = AppFixture.CONTRACT.toBuilder().setContractId("x").setValidFrom(TestMeter.T0 + 900).setP2PPrice(2_000_000_000L).build();
        assertRefused(TxResultCode.RESULT_INVALID, "p2p_price: expected 0..1000000000",
                f.one(OperatorTransactions.tariff(AppFixture.CHAIN_ID, f.operator, 1, bad)));
        var next = AppFixture.CONTRACT.toBuilder().setContractId("tariff-b").setValidFrom(TestMeter.T0 + 900).build();
        assertOk(f.one(OperatorTransactions.tariff(AppFixture.CHAIN_ID, f.operator, ++f.nonce, next)));
        assertEquals("tariff-2026", f.app.snapshot().contract().orElseThrow().contractId());
        f.blockAt(TestMeter.T0 + 901);
        assertEquals("tariff-b", f.app.snapshot().contract().orElseThrow().contractId());
    }

    @Test
    void twoGenesisOperatorsKeepTheirOwnNonces() throws Exception {
        io.wattproof.crypto.DeviceKey second = TestKeys.get(KeyAlgorithm.ED25519, 7);
        EnergyApplication app = new EnergyApplication(new Genesis(AppFixture.CHAIN_ID, List.of(
                new Genesis.OperatorKey(f.operator.algorithm(), f.operator.publicKeyInfo()),
                new Genesis.OperatorKey(second.algorithm(), second.publicKeyInfo()))));
        TestMeter a = new TestMeter(TestKeys.get(KeyAlgorithm.ED25519, 1));
        TestMeter b = new TestMeter(TestKeys.get(KeyAlgorithm.ECDSA_P256_SHA256, 1));
        var results = app.finalizeBlock(1, java.time.Instant.ofEpochSecond(TestMeter.T0), List.of(
                OperatorTransactions.register(AppFixture.CHAIN_ID, f.operator, 1, KeyAlgorithm.ED25519, a.key.publicKeyInfo(), "", "", "a"),
                OperatorTransactions.register(AppFixture.CHAIN_ID, second, 1, KeyAlgorithm.ECDSA_P256_SHA256, b.key.publicKeyInfo(), "", "", "b"),
                OperatorTransactions.revoke(AppFixture.CHAIN_ID, second, 2, a.id))).txResults();
        results.forEach(EnergyApplicationTest::assertOk);
        assertTrue(app.snapshot().device(a.id).orElseThrow().revoked());
        assertTrue(app.snapshot().isRegistered(b.id));
        // Each operator's next transaction is told by the snapshot.
        assertEquals(1, app.snapshot().operatorNonce(io.wattproof.crypto.DeviceId.fromPublicKeyInfo(f.operator.publicKeyInfo())));
        assertEquals(2, app.snapshot().operatorNonce(io.wattproof.crypto.DeviceId.fromPublicKeyInfo(second.publicKeyInfo())));
    }

    @Test
    void anOperatorTransactionWithTheWrongAlgorithmOrDomainIsRefused() throws Exception {
        TestMeter a = new TestMeter(TestKeys.get(KeyAlgorithm.ED25519, 1));
        SignedTx tx = parse(f.register(a, "acct"));
        assertRefusedChangingNothing(TxResultCode.RESULT_ALGORITHM_MISMATCH, "key_algorithm: expected ECDSA_P256_SHA256 (1), the algorithm of operator",
                tx.toBuilder().setKeyAlgorithmValue(2).build().toByteArray());
        // A registration body signed under the TariffContract domain: the signature is for another message type.
        byte[] signature = f.operator.sign(io.wattproof.protocol.SignBytes.of(BodyType.TARIFF_CONTRACT, AppFixture.CHAIN_ID,
                tx.getBody().toByteArray()));
        assertRefusedChangingNothing(TxResultCode.RESULT_BAD_SIGNATURE, "signature",
                tx.toBuilder().setSignature(ByteString.copyFrom(signature)).build().toByteArray());
        assertOk(f.one(tx.toByteArray()));
    }

    @Test
    void aBadGenesisIsRefusedNamingTheField() {
        var wrongAlgorithm = new Genesis(AppFixture.CHAIN_ID, List.of(new Genesis.OperatorKey(KeyAlgorithm.ED25519, f.operator.publicKeyInfo())));
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new EnergyApplication(wrongAlgorithm));
        assertTrue(e.getMessage().contains("expected a ED25519 key, got ECDSA_P256_SHA256"), e.getMessage());
        var garbage = new Genesis(AppFixture.CHAIN_ID, List.of(new Genesis.OperatorKey(KeyAlgorithm.ED25519, new byte[] {1, 2})));
        assertThrows(IllegalArgumentException.class, () -> new EnergyApplication(garbage));
        var badContract = new Genesis(AppFixture.CHAIN_ID, List.of(), java.util.Optional.of(AppFixture.CONTRACT.toBuilder().setContractId("").build()));
        e = assertThrows(IllegalArgumentException.class, () -> new EnergyApplication(badContract));
        assertTrue(e.getMessage().contains("genesis contract: contract_id: expected 1..64"), e.getMessage());
    }

    @Test
    void snapshotsReadFromAnotherThreadAreAlwaysConsistent() throws Exception {
        TestMeter m = meter(KeyAlgorithm.ED25519, 1);
        List<Reading> chain = m.chain(60, 100, 0);
        java.util.concurrent.atomic.AtomicReference<String> problem = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                AppSnapshot s = f.app.snapshot();
                long sum = s.devices().values().stream().mapToLong(DeviceView::accepted).sum();
                if (sum != s.totals().readingsAccepted()) {
                    problem.set("accepted per device " + sum + " vs total " + s.totals().readingsAccepted() + " at height " + s.height());
                }
            }
        });
        reader.start();
        for (int i = 0; i < chain.size(); i += 2) {
            f.block(m.tx(chain.get(i + 1)), m.tx(chain.get(i)));
        }
        done.set(true);
        reader.join();
        assertEquals(null, problem.get());
        assertEquals(60, view(m).headSequence());
        assertEquals(List.of(), view(m).gaps());
    }

    // ---- state, hashing, snapshots -----------------------------------------------------------------

    @Test
    void checkTxDoesNotChangeState() {
        TestMeter m = meter(KeyAlgorithm.ED25519, 1);
        List<Reading> chain = m.chain(3, 100, 0);
        byte[] hash = f.app.appHash();
        AppSnapshot before = f.app.snapshot();
        for (Reading r : chain) {
            assertOk(f.app.checkTx(m.tx(r)));
        }
        assertOk(f.app.checkTx(f.register(new TestMeter(TestKeys.get(KeyAlgorithm.ED25519, 2)), "x")));
        f.nonce--;
        assertArrayEquals(hash, f.app.appHash());
        assertEquals(before, f.app.snapshot());
        assertEquals(0, view(m).headSequence());
        // The same nonce is still the next one: checkTx did not consume it.
        assertOk(f.one(f.register(new TestMeter(TestKeys.get(KeyAlgorithm.ED25519, 2)), "x")));
        f.nonce--;
    }

    @Test
    void twoInstancesFedTheSameBlocksReachTheSameAppHash() {
        TestMeter a = meter(KeyAlgorithm.ED25519, 1);
        TestMeter b = meter(KeyAlgorithm.ECDSA_P256_SHA256, 1);
        List<Reading> ca = a.chain(4, 100, 0);
        List<Reading> cb = b.chain(4, 0, 80);
        f.block(a.tx(ca.get(0)), b.tx(cb.get(0)), a.tx(ca.get(2)));
        f.block(b.tx(cb.get(1)), a.tx(ca.get(1)), new byte[] {1, 2, 3});
        f.blockAt(TestMeter.T0 + 3000, a.tx(ca.get(3)), b.tx(cb.get(3)));
        EnergyApplication twin = f.replayWithout(null);
        assertArrayEquals(f.app.appHash(), twin.appHash());
        assertEquals(f.app.snapshot().balances(), twin.snapshot().balances());
        assertEquals(f.app.snapshot().devices().keySet(), twin.snapshot().devices().keySet());
        assertTrue(f.app.snapshot().settledIntervals() > 0);
    }

    @Test
    void everyStateChangeChangesTheAppHash() throws Exception {
        TestMeter a = new TestMeter(TestKeys.get(KeyAlgorithm.ED25519, 1));
        List<byte[]> changes = List.of(
                f.register(a, "acct-a"),
                a.tx(a.chain(1, 100, 0).get(0)),
                a.tx(a.chain(3, 100, 0).get(2)),
                a.tx(a.chain(3, 100, 0).get(1)),
                OperatorTransactions.tariff(AppFixture.CHAIN_ID, f.operator, ++f.nonce,
                        AppFixture.CONTRACT.toBuilder().setContractId("c2").setValidFrom(TestMeter.T0 + 90_000).build()),
                OperatorTransactions.revoke(AppFixture.CHAIN_ID, f.operator, ++f.nonce, a.id));
        for (byte[] change : changes) {
            assertOk(f.blockAt(f.nextTime, change).txResults().get(0));
            EnergyApplication without = f.replayWithout(change);
            assertFalse(Arrays.equals(without.appHash(), f.app.appHash()), "the change moved the app hash");
        }
    }

    @Test
    void anyByteStringIsAnsweredNeverThrown() {
        TestMeter m = meter(KeyAlgorithm.ED25519, 1);
        byte[] good = m.tx(m.chain(1, 100, 0).get(0));
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            byte[] tx = i % 2 == 0 ? new byte[random.nextInt(200)] : good.clone();
            if (i % 2 == 0) {
                random.nextBytes(tx);
            } else {
                tx[random.nextInt(tx.length)] ^= (byte) (1 << random.nextInt(8));
            }
            TxResult r = f.app.checkTx(tx);
            assertTrue(r.code() >= 0 && r.code() <= TxResultCode.RESULT_INVALID_VALUE, r::toString);
            assertTrue(r.isOk() || !r.log().isEmpty(), r::toString);
        }
    }

    @Test
    void theSnapshotIsImmutableAndAnswersQueries() {
        TestMeter m = meter(KeyAlgorithm.ED25519, 1);
        AppSnapshot s1 = f.app.snapshot();
        List<Reading> chain = m.chain(4, 100, 0);
        assertOk(f.one(m.tx(chain.get(0))));
        assertOk(f.one(m.tx(chain.get(3))));
        AppSnapshot s2 = f.app.snapshot();
        assertEquals(0, s1.device(m.id).orElseThrow().headSequence(), "an earlier snapshot keeps its values");
        DeviceView v = s2.device(m.id).orElseThrow();
        assertEquals(4, v.headSequence());
        assertEquals(2, v.accepted());
        assertEquals(2, v.missing());
        assertEquals("acct-ed25519-1", v.account());
        assertArrayEquals(m.key.publicKeyInfo(), v.publicKeyInfo());
        assertFalse(v.revoked());
        assertEquals(2, s2.totals().readingsAccepted());
        assertEquals(2, s2.totals().openGapSequences());
        assertEquals(f.height, s2.height());
        assertArrayEquals(f.app.appHash(), s2.appHash());
        assertEquals("tariff-2026", s2.contract().orElseThrow().contractId());
    }

    private static SignedTx parse(byte[] tx) {
        try {
            return SignedTx.parseFrom(tx);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static io.wattproof.protocol.v1.DeviceRegistration parseRegistration(SignedTx tx) {
        try {
            return io.wattproof.protocol.v1.DeviceRegistration.parseFrom(tx.getBody());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private byte[] resign(byte[] registrationBody) {
        try {
            return OperatorTransactions.sign(AppFixture.CHAIN_ID, f.operator, BodyType.DEVICE_REGISTRATION, registrationBody);
        } catch (io.wattproof.crypto.KeyStoreFailure e) {
            throw new AssertionError(e);
        }
    }
}
