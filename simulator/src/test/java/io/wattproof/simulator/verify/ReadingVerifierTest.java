package io.wattproof.simulator.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.wattproof.agent.charging.ChargingTransactions;
import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.protocol.SignBytes;
import io.wattproof.protocol.v1.BodyType;
import io.wattproof.protocol.v1.ChargingSession;
import io.wattproof.protocol.v1.Reading;
import io.wattproof.protocol.v1.SignedTx;
import io.wattproof.simulator.verify.Verdict.Duplicate;
import io.wattproof.simulator.verify.Verdict.Held;
import io.wattproof.simulator.verify.Verdict.NotARecord;
import io.wattproof.simulator.verify.Verdict.Reason;
import io.wattproof.simulator.verify.Verdict.Rejected;
import io.wattproof.simulator.verify.Verdict.Verified;
import io.wattproof.simulator.verify.VerifierSnapshot.DeviceSnapshot;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ReadingVerifierTest {

    private final ReadingVerifier verifier = new ReadingVerifier(TestDevice.CHAIN_ID);

    private TestDevice device(KeyAlgorithm algorithm) {
        TestDevice d = TestDevice.create(algorithm);
        d.registeredIn(verifier);
        return d;
    }

    private static Verified assertVerified(Verdict verdict, long sequence) {
        Verified v = assertInstanceOf(Verified.class, verdict, () -> "verdict " + verdict);
        assertEquals(sequence, v.sequence());
        return v;
    }

    private static Rejected assertRejected(Verdict verdict, Reason reason) {
        Rejected r = assertInstanceOf(Rejected.class, verdict, () -> "verdict " + verdict);
        assertEquals(reason, r.reason(), r.detail());
        assertEquals(r.detail().toLowerCase(Locale.ROOT).charAt(0), r.detail().charAt(0), "detail starts lowercase");
        return r;
    }

    private DeviceSnapshot stateOf(TestDevice d) {
        return verifier.snapshot().devices().get(d.id);
    }

    /** Everything but the rejection counters: what a rejected record must leave alone. */
    private static List<Long> chainState(DeviceSnapshot s) {
        return List.of(s.chainHead(), s.counters().verified(), s.counters().duplicates(), s.counters().held());
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void aChainOfTenVerifies(KeyAlgorithm algorithm) {
        TestDevice d = device(algorithm);
        List<Reading> readings = d.readings(10);
        for (int i = 0; i < 10; i++) {
            Verified v = assertVerified(verifier.accept(d.payload(readings.get(i))), i + 1);
            assertEquals(d.id, v.deviceId());
            assertEquals(algorithm, v.algorithm());
            assertEquals(BodyType.READING, v.bodyType());
            assertEquals(readings.get(i), v.reading().orElseThrow());
            assertArrayEquals(TestDevice.signBytes(readings.get(i)), v.signBytes());
            assertEquals(64, v.signature().length);
            assertTrue(verifier.drainReleased().isEmpty());
        }
        DeviceSnapshot s = stateOf(d);
        assertEquals(10, s.chainHead());
        assertEquals(10, s.counters().verified());
        assertEquals(0, s.counters().rejectedTotal());
        assertEquals(0, s.gaps(10));
        assertEquals(10, verifier.snapshot().total().verified());
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void aRedeliveredRecordIsADuplicateNotAnError(KeyAlgorithm algorithm) {
        TestDevice d = device(algorithm);
        List<Reading> readings = d.readings(2);
        byte[] first = d.payload(readings.get(0));
        assertVerified(verifier.accept(first), 1);
        assertVerified(verifier.accept(d.payload(readings.get(1))), 2);

        assertEquals(new Duplicate(d.id, 1), verifier.accept(first));
        // After an agent restart the same body may travel with a fresh ECDSA signature: same record.
        assertEquals(new Duplicate(d.id, 1), verifier.accept(d.payload(readings.get(0))));

        DeviceSnapshot s = stateOf(d);
        assertEquals(2, s.counters().verified());
        assertEquals(2, s.counters().duplicates());
        assertEquals(0, s.counters().rejectedTotal());
        assertEquals(2, s.chainHead());
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void aDifferentSignedBodyForAUsedSequenceIsEquivocation(KeyAlgorithm algorithm) {
        TestDevice d = device(algorithm);
        Reading original = d.reading(1, new byte[0], 5_000);
        Reading other = d.reading(1, new byte[0], 5_001);
        assertVerified(verifier.accept(d.payload(original)), 1);

        Rejected r = assertRejected(verifier.accept(d.payload(other)), Reason.EQUIVOCATION);
        assertEquals(d.id, r.deviceId());
        assertEquals(1, r.sequence());
        String expectedHash = HexFormat.of().formatHex(SignBytes.recordHash(TestDevice.signBytes(original)));
        assertTrue(r.detail().contains("expected " + expectedHash), r.detail());
        assertEquals(List.of(1L, 1L, 0L, 0L), chainState(stateOf(d)));
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void equivocationIsDetectedAgainstHeldRecordsToo(KeyAlgorithm algorithm) {
        TestDevice d = device(algorithm);
        List<Reading> readings = d.readings(3);
        assertInstanceOf(Held.class, verifier.accept(d.payload(readings.get(2))));
        assertEquals(new Duplicate(d.id, 3), verifier.accept(d.payload(readings.get(2))));
        Reading forged = d.reading(3, SignBytes.recordHash(TestDevice.signBytes(readings.get(1))), 1);
        assertRejected(verifier.accept(d.payload(forged)), Reason.EQUIVOCATION);
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void aWrongPreviousHashBreaksTheChain(KeyAlgorithm algorithm) {
        TestDevice d = device(algorithm);
        List<Reading> readings = d.readings(2);
        byte[] one = SignBytes.recordHash(TestDevice.signBytes(readings.get(0)));

        Rejected first = assertRejected(verifier.accept(d.payload(d.reading(1, one))), Reason.BROKEN_CHAIN);
        assertTrue(first.detail().startsWith("previous_hash: expected empty for sequence 1"), first.detail());

        assertVerified(verifier.accept(d.payload(readings.get(0))), 1);
        byte[] wrong = one.clone();
        wrong[31] ^= 1;
        Rejected broken = assertRejected(verifier.accept(d.payload(d.reading(2, wrong))), Reason.BROKEN_CHAIN);
        assertTrue(broken.detail().contains(HexFormat.of().formatHex(one)), broken.detail());
        assertTrue(broken.detail().contains(HexFormat.of().formatHex(wrong)), broken.detail());
        assertRejected(verifier.accept(d.payload(d.reading(2, new byte[0]))), Reason.BROKEN_CHAIN);

        assertEquals(List.of(1L, 1L, 0L, 0L), chainState(stateOf(d)));
        assertVerified(verifier.accept(d.payload(readings.get(1))), 2);
        assertEquals(3, stateOf(d).counters().rejected(Reason.BROKEN_CHAIN));
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void aBadSignatureChangesNothingAndTheCorrectRecordStillVerifies(KeyAlgorithm algorithm) {
        TestDevice d = device(algorithm);
        List<Reading> readings = d.readings(3);
        assertVerified(verifier.accept(d.payload(readings.get(0))), 1);
        List<Long> before = chainState(stateOf(d));

        for (Reading r : List.of(readings.get(1), readings.get(2))) { // next, and one that would be held
            SignedTx good = d.txBuilder(r).build();
            byte[] signature = good.getSignature().toByteArray();
            signature[10] ^= 0x01;
            byte[] flipped = good.toBuilder().setSignature(ByteString.copyFrom(signature)).build().toByteArray();
            assertRejected(verifier.accept(flipped), Reason.BAD_SIGNATURE);
        }
        // A flipped bit in the signed body, with the original signature.
        SignedTx good = d.txBuilder(readings.get(1)).build();
        byte[] body = good.getBody().toByteArray();
        body[body.length - 1] ^= 0x01;
        assertRejected(verifier.accept(good.toBuilder().setBody(ByteString.copyFrom(body)).build().toByteArray()),
                Reason.BAD_SIGNATURE);

        assertEquals(before, chainState(stateOf(d)));
        assertEquals(3, stateOf(d).counters().rejected(Reason.BAD_SIGNATURE));
        assertVerified(verifier.accept(d.payload(readings.get(1))), 2);
        assertVerified(verifier.accept(d.payload(readings.get(2))), 3);
    }

    @Test
    void aHighSSignatureIsRejected() {
        TestDevice d = device(KeyAlgorithm.ECDSA_P256_SHA256);
        Reading r = d.readings(1).get(0);
        byte[] low = d.sign(TestDevice.signBytes(r));
        SignedTx tx = d.txBuilder(r).setSignature(ByteString.copyFrom(TestDevice.highS(low))).build();

        Rejected rejected = assertRejected(verifier.accept(tx.toByteArray()), Reason.BAD_SIGNATURE);
        assertTrue(rejected.detail().contains("low-s"), rejected.detail());
        assertEquals(0, stateOf(d).chainHead());
        assertVerified(verifier.accept(tx.toBuilder().setSignature(ByteString.copyFrom(low)).build().toByteArray()), 1);
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void signaturesOfTheWrongLengthAreRejected(KeyAlgorithm algorithm) {
        TestDevice d = device(algorithm);
        Reading r = d.readings(1).get(0);
        byte[] sig = d.sign(TestDevice.signBytes(r));
        for (byte[] bad : List.of(new byte[0], Arrays.copyOf(sig, 63), Arrays.copyOf(sig, 65))) {
            byte[] payload = d.txBuilder(r).setSignature(ByteString.copyFrom(bad)).build().toByteArray();
            Rejected rejected = assertRejected(verifier.accept(payload), Reason.BAD_SIGNATURE);
            assertEquals("signature length: expected 64 bytes, got " + bad.length, rejected.detail());
        }
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void aRecordSignedForAnotherChainIsRejected(KeyAlgorithm algorithm) {
        TestDevice d = device(algorithm);
        Reading r = d.readings(1).get(0);
        byte[] otherChain = d.sign(SignBytes.of(BodyType.READING, "wattproof-other", r.toByteArray()));
        assertRejected(verifier.accept(d.txBuilder(r).setSignature(ByteString.copyFrom(otherChain)).build().toByteArray()),
                Reason.BAD_SIGNATURE);
    }

    @Test
    void anUnregisteredDeviceIsRejectedAndCountedInTheTotalOnly() {
        TestDevice stranger = TestDevice.create(KeyAlgorithm.ED25519);
        byte[] payload = stranger.txBuilder(stranger.readings(1).get(0))
                .setPublicKey(ByteString.copyFrom(stranger.spki)) // carrying its key does not register it
                .build().toByteArray();
        Rejected r = assertRejected(verifier.accept(payload), Reason.UNKNOWN_DEVICE);
        assertEquals(stranger.id, r.deviceId());
        assertEquals(1, r.sequence());
        assertEquals("device_id: expected a registered device, got " + stranger.id, r.detail());
        assertEquals(1, verifier.snapshot().total().rejected(Reason.UNKNOWN_DEVICE));
        assertTrue(verifier.snapshot().devices().isEmpty());
    }

    @Test
    void anotherAlgorithmThanRegisteredIsRejected() {
        TestDevice d = device(KeyAlgorithm.ECDSA_P256_SHA256);
        Reading r = d.readings(1).get(0);
        for (int wire : new int[] {0, 2, 3, 99}) {
            Rejected rejected = assertRejected(
                    verifier.accept(d.txBuilder(r).setKeyAlgorithmValue(wire).build().toByteArray()),
                    Reason.ALGORITHM_MISMATCH);
            assertTrue(rejected.detail().startsWith("key_algorithm: expected ECDSA_P256_SHA256 (1), got "), rejected.detail());
            assertTrue(rejected.detail().endsWith("(" + wire + ")"), rejected.detail());
        }
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void aCarriedPublicKeyMustBeTheRegisteredOne(KeyAlgorithm algorithm) {
        TestDevice d = device(algorithm);
        TestDevice other = TestDevice.create(algorithm);
        List<Reading> readings = d.readings(2);
        byte[] foreignKey = d.txBuilder(readings.get(0)).setPublicKey(ByteString.copyFrom(other.spki)).build().toByteArray();
        Rejected r = assertRejected(verifier.accept(foreignKey), Reason.PUBLIC_KEY_MISMATCH);
        assertTrue(r.detail().contains(other.id.hex()), r.detail());

        byte[] ownKey = d.txBuilder(readings.get(0)).setPublicKey(ByteString.copyFrom(d.spki)).build().toByteArray();
        assertVerified(verifier.accept(ownKey), 1);
    }

    @Test
    void malformedPayloadsAreRejectedWithoutExceptions() {
        TestDevice d = device(KeyAlgorithm.ECDSA_P256_SHA256);
        assertRejected(verifier.accept(new byte[0]), Reason.MALFORMED);
        assertRejected(verifier.accept(null), Reason.MALFORMED);

        Random random = new Random(20240611);
        for (int i = 0; i < 2_000; i++) {
            byte[] junk = new byte[random.nextInt(300)];
            random.nextBytes(junk);
            Verdict v = verifier.accept(junk);
            // Junk that happens to parse as another body type is left alone like any non-record.
            assertTrue(v instanceof Rejected || v instanceof NotARecord, () -> "verdict " + v);
        }

        // Every truncation of a valid payload: some cut at a field boundary and parse, but none is valid.
        byte[] valid = d.chain(1).get(0);
        for (int length = 0; length < valid.length; length++) {
            assertInstanceOf(Rejected.class, verifier.accept(Arrays.copyOf(valid, length)), "prefix of " + length);
        }
        assertEquals(0, stateOf(d).chainHead());
        assertVerified(verifier.accept(valid), 1);
    }

    @Test
    void malformedFieldsNameTheFieldWithExpectedAndActual() {
        TestDevice d = device(KeyAlgorithm.ED25519);
        Reading good = d.readings(1).get(0);

        assertEquals("body_type: expected a body type of wattproof/v1, got BODY_TYPE_UNSPECIFIED (0)", assertRejected(
                verifier.accept(d.txBuilder(good).setBodyTypeValue(0).build().toByteArray()), Reason.MALFORMED).detail());
        assertEquals("body_type: expected a body type of wattproof/v1, got UNRECOGNIZED (99)", assertRejected(verifier.accept(
                d.txBuilder(good).setBodyTypeValue(99).build().toByteArray()), Reason.MALFORMED).detail());
        assertEquals("body: expected a serialized Reading, got 3 bytes that do not parse", assertRejected(verifier.accept(
                d.txBuilder(good).setBody(ByteString.copyFrom(new byte[] {0x0a, 0x7f, 0x00})).build().toByteArray()),
                Reason.MALFORMED).detail());
        assertEquals("body: expected a serialized ChargingSession, got 3 bytes that do not parse", assertRejected(
                verifier.accept(d.txBuilder(good).setBodyType(BodyType.CHARGING_SESSION)
                        .setBody(ByteString.copyFrom(new byte[] {0x0a, 0x7f, 0x00})).build().toByteArray()),
                Reason.MALFORMED).detail());

        Reading shortId = good.toBuilder().setDeviceId(good.getDeviceId().substring(0, 19)).build();
        assertEquals("device_id: expected 20 bytes, got 19",
                assertRejected(verifier.accept(d.payload(shortId)), Reason.MALFORMED).detail());
        ChargingSession session = d.session(2, new byte[32], 0, 1);
        ChargingSession shortSessionId = session.toBuilder().setDeviceId(session.getDeviceId().substring(0, 19)).build();
        assertEquals("device_id: expected 20 bytes, got 19",
                assertRejected(verifier.accept(d.payload(shortSessionId)), Reason.MALFORMED).detail());

        Rejected zero = assertRejected(verifier.accept(d.payload(good.toBuilder().setSequence(0).build())), Reason.MALFORMED);
        assertEquals("sequence: expected at least 1, got 0", zero.detail());
        assertEquals(d.id, zero.deviceId());

        assertEquals("sequence: expected at most 2^63-1, got 18446744073709551615", assertRejected(
                verifier.accept(d.payload(good.toBuilder().setSequence(-1L).build())), Reason.MALFORMED).detail());

        Reading oddHash = d.reading(2, new byte[31]);
        assertEquals("previous_hash: expected 0 or 32 bytes, got 31",
                assertRejected(verifier.accept(d.payload(oddHash)), Reason.MALFORMED).detail());

        // Malformed records that name a registered device are charged to it.
        assertEquals(3, stateOf(d).counters().rejected(Reason.MALFORMED));
        assertEquals(9, verifier.snapshot().total().rejected(Reason.MALFORMED));
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void outOfOrderRecordsAreHeldAndChainedWhenThePredecessorArrives(KeyAlgorithm algorithm) {
        TestDevice d = device(algorithm);
        List<byte[]> chain = d.chain(3);

        assertEquals(new Held(d.id, 3, 1), verifier.accept(chain.get(2)));
        assertEquals(1, stateOf(d).counters().held());
        assertEquals(0, stateOf(d).counters().verified());

        assertVerified(verifier.accept(chain.get(0)), 1);
        assertTrue(verifier.drainReleased().isEmpty(), "3 still waits for 2");

        assertVerified(verifier.accept(chain.get(1)), 2);
        List<Verdict> released = verifier.drainReleased();
        assertEquals(1, released.size());
        assertVerified(released.get(0), 3);
        assertTrue(verifier.drainReleased().isEmpty(), "drained once");

        DeviceSnapshot s = stateOf(d);
        assertEquals(3, s.chainHead());
        assertEquals(3, s.counters().verified());
        assertEquals(0, s.counters().held());
        assertEquals(new Duplicate(d.id, 3), verifier.accept(chain.get(2)));
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void severalHeldRecordsAreReleasedInOrder(KeyAlgorithm algorithm) {
        TestDevice d = device(algorithm);
        List<byte[]> chain = d.chain(5);
        assertEquals(new Held(d.id, 5, 1), verifier.accept(chain.get(4)));
        assertEquals(new Held(d.id, 3, 1), verifier.accept(chain.get(2)));
        assertEquals(new Held(d.id, 2, 1), verifier.accept(chain.get(1)));

        assertVerified(verifier.accept(chain.get(0)), 1);
        List<Verdict> released = verifier.drainReleased();
        assertEquals(2, released.size());
        assertVerified(released.get(0), 2);
        assertVerified(released.get(1), 3);
        assertEquals(1, stateOf(d).counters().held());

        assertVerified(verifier.accept(chain.get(3)), 4);
        assertVerified(verifier.drainReleased().get(0), 5);
        assertEquals(5, stateOf(d).counters().verified());
    }

    @Test
    void aHeldRecordWhoseLinkTurnsOutBrokenIsRejectedOnRelease() {
        TestDevice d = device(KeyAlgorithm.ED25519);
        List<Reading> readings = d.readings(3);
        Reading badLink = d.reading(3, new byte[32]);
        assertInstanceOf(Held.class, verifier.accept(d.payload(badLink)));
        assertVerified(verifier.accept(d.payload(readings.get(0))), 1);
        assertVerified(verifier.accept(d.payload(readings.get(1))), 2);

        List<Verdict> released = verifier.drainReleased();
        assertEquals(1, released.size());
        assertRejected(released.get(0), Reason.BROKEN_CHAIN);
        assertEquals(0, stateOf(d).counters().held());
        // The sequence is still open for the device's real record 3.
        assertVerified(verifier.accept(d.payload(readings.get(2))), 3);
    }

    @Test
    void recordsTooFarAheadAreNotHeld() {
        ReadingVerifier small = new ReadingVerifier(TestDevice.CHAIN_ID, new CryptoSeSignatureCheck(), 2);
        TestDevice d = TestDevice.create(KeyAlgorithm.ED25519);
        d.registeredIn(small);
        List<byte[]> chain = d.chain(4);
        assertInstanceOf(Held.class, small.accept(chain.get(1)));
        Rejected r = assertRejected(small.accept(chain.get(3)), Reason.TOO_FAR_AHEAD);
        assertEquals("sequence: expected at most 2 (chain head 0 + 2), got 4", r.detail());
    }

    @Test
    void gapsCountSignedSequencesNeverVerified() {
        TestDevice a = device(KeyAlgorithm.ECDSA_P256_SHA256);
        TestDevice b = device(KeyAlgorithm.ED25519);
        List<byte[]> chainA = a.chain(8);
        for (int i = 0; i < 5; i++) {
            verifier.accept(chainA.get(i));
        }
        verifier.accept(chainA.get(6)); // 7 is held: not verified yet
        verifier.accept(b.chain(1).get(0));

        DeviceSnapshot sa = verifier.snapshot().devices().get(a.id);
        assertEquals(3, sa.gaps(8), "6, 7 and 8");
        assertEquals(0, sa.gaps(5));
        assertEquals(0, sa.gaps(3));
        assertEquals(1, sa.counters().held());
        assertThrows(IllegalArgumentException.class, () -> sa.gaps(-1));

        DeviceId unregistered = TestDevice.create(KeyAlgorithm.ED25519).id;
        assertEquals(3 + 1 + 4, verifier.snapshot().gaps(Map.of(a.id, 8L, b.id, 2L, unregistered, 4L)));

        verifier.accept(chainA.get(5));
        assertEquals(1, verifier.snapshot().devices().get(a.id).gaps(8), "6 and 7 chained, 8 never arrived");
    }

    @Test
    void totalsSumTheDevices() {
        TestDevice a = device(KeyAlgorithm.ECDSA_P256_SHA256);
        TestDevice b = device(KeyAlgorithm.ED25519);
        List<byte[]> chainA = a.chain(2);
        verifier.accept(chainA.get(0));
        verifier.accept(chainA.get(0));
        verifier.accept(b.chain(3).get(2));
        verifier.accept(new byte[] {1, 2, 3});

        VerifierSnapshot.Counters total = verifier.snapshot().total();
        assertEquals(1, total.verified());
        assertEquals(1, total.duplicates());
        assertEquals(1, total.held());
        assertEquals(1, total.rejectedTotal());
    }

    @Test
    void registrationChecksTheIdAgainstTheKey() throws Exception {
        TestDevice d = TestDevice.create(KeyAlgorithm.ECDSA_P256_SHA256);
        TestDevice other = TestDevice.create(KeyAlgorithm.ECDSA_P256_SHA256);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> verifier.register(other.id, KeyAlgorithm.ECDSA_P256_SHA256, d.spki));
        assertEquals("device id: expected " + d.id + " (first 20 bytes of sha-256 of the public key info), got " + other.id,
                e.getMessage());

        assertThrows(IllegalArgumentException.class, () -> verifier.register(d.id, KeyAlgorithm.ED25519, d.spki));

        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"));
        byte[] p384 = g.generateKeyPair().getPublic().getEncoded();
        e = assertThrows(IllegalArgumentException.class,
                () -> verifier.register(DeviceId.fromPublicKeyInfo(p384), KeyAlgorithm.ECDSA_P256_SHA256, p384));
        assertTrue(e.getMessage().startsWith("ec public key curve: expected namedCurve 1.2.840.10045.3.1.7 (p-256)"), e.getMessage());

        RegisteredKey key = verifier.register(d.id, KeyAlgorithm.ECDSA_P256_SHA256, d.spki);
        assertEquals(key, verifier.register(d.id, KeyAlgorithm.ECDSA_P256_SHA256, d.spki), "idempotent");
        assertEquals(key, verifier.registeredKey(d.id).orElseThrow());
        assertEquals(1, verifier.snapshot().devices().size());
    }

    @Test
    void verifiedRecordsCopyTheirBytes() {
        TestDevice d = device(KeyAlgorithm.ED25519);
        Verified v = assertVerified(verifier.accept(d.chain(1).get(0)), 1);
        byte[] signBytes = v.signBytes();
        signBytes[0] ^= 1;
        assertArrayEquals(TestDevice.signBytes(d.readings(1).get(0)), v.signBytes());
        assertArrayEquals(SignBytes.recordHash(v.signBytes()), v.recordHash());
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void aRecordForTimeAlreadyCoveredIsRejectedEvenWhenProperlyChained(KeyAlgorithm algorithm) {
        TestDevice d = device(algorithm);
        Reading first = d.readings(1).get(0);
        assertVerified(verifier.accept(d.payload(first)), 1);
        // Same interval signed again under the next sequence: a reading signed twice.
        Reading again = first.toBuilder().setSequence(2)
                .setPreviousHash(ByteString.copyFrom(SignBytes.recordHash(TestDevice.signBytes(first)))).build();
        Rejected r = assertRejected(verifier.accept(d.payload(again)), Reason.OVERLAPPING_INTERVAL);
        assertTrue(r.detail().startsWith("interval_start: expected at or after " + (first.getIntervalStart() + 900)), r.detail());
        assertEquals(1, verifier.snapshot().devices().get(d.id).chainHead());
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void resumedChainContinuesFromTheSettledPointOnly(KeyAlgorithm algorithm) {
        TestDevice d = device(algorithm);
        List<Reading> chain = d.readings(5);
        Reading third = chain.get(2);
        verifier.resume(d.id, 3, SignBytes.recordHash(TestDevice.signBytes(third)), third.getIntervalStart() + 900);

        assertInstanceOf(Duplicate.class, verifier.accept(d.payload(chain.get(1)))); // settled before the resume point
        assertVerified(verifier.accept(d.payload(chain.get(3))), 4);
        assertVerified(verifier.accept(d.payload(chain.get(4))), 5);
        assertEquals(0, verifier.snapshot().gaps(java.util.Map.of(d.id, 5L)));
        assertEquals(5, verifier.chainPoint(d.id).orElseThrow().sequence());

        TestDevice other = device(algorithm);
        List<Reading> otherChain = other.readings(2);
        verifier.resume(other.id, 1, new byte[32], otherChain.get(0).getIntervalStart() + 900);
        assertRejected(verifier.accept(other.payload(otherChain.get(1))), Reason.BROKEN_CHAIN);
        assertThrows(IllegalStateException.class, () -> verifier.resume(d.id, 1, new byte[32], 0));
    }

    // A charging pile's chain: readings and ChargingSession records share sequence and
    // previous_hash (docs/charging.md, "Who signs what").

    private static byte[] hashOf(Reading r) {
        return SignBytes.recordHash(TestDevice.signBytes(r));
    }

    private static byte[] hashOf(ChargingSession s) {
        return SignBytes.recordHash(TestDevice.signBytes(s));
    }

    private static long endOf(Reading r) {
        return r.getIntervalStart() + r.getIntervalSeconds();
    }

    /** A session spanning reading {@code before} and an hour past it: later than any reading end so far. */
    private static ChargingSession sessionAfter(TestDevice d, Reading before, long sequence) {
        return d.session(sequence, hashOf(before), before.getIntervalStart(), endOf(before) + 3600);
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void aSessionRecordIsChainedBetweenReadings(KeyAlgorithm algorithm) {
        TestDevice d = device(algorithm);
        Reading first = d.readings(1).get(0);
        ChargingSession session = sessionAfter(d, first, 2);
        Reading third = d.reading(3, hashOf(session)).toBuilder().setIntervalStart(endOf(first)).build();

        assertVerified(verifier.accept(d.payload(first)), 1);
        Verified v = assertVerified(verifier.accept(d.payload(session)), 2);
        assertEquals(BodyType.CHARGING_SESSION, v.bodyType());
        assertEquals(session, v.body());
        assertTrue(v.reading().isEmpty());
        assertArrayEquals(TestDevice.signBytes(session), v.signBytes());
        assertArrayEquals(hashOf(session), v.recordHash());
        ReadingVerifier.ChainPoint point = verifier.chainPoint(d.id).orElseThrow();
        assertEquals(2, point.sequence());
        assertArrayEquals(hashOf(session), point.recordHash());
        assertEquals(endOf(first), point.intervalEnd(), "a session leaves the last interval end the reading's");

        assertVerified(verifier.accept(d.payload(third)), 3);
        DeviceSnapshot s = stateOf(d);
        assertEquals(3, s.chainHead());
        assertEquals(3, s.counters().verified());
        assertEquals(0, s.counters().rejectedTotal());

        assertEquals(new Duplicate(d.id, 2), verifier.accept(d.payload(session)));
        Rejected other = assertRejected(verifier.accept(d.payload(session.toBuilder().setEnergyWh(1).build())),
                Reason.EQUIVOCATION);
        assertTrue(other.detail().contains(HexFormat.of().formatHex(hashOf(session))), other.detail());
        // A reading signed for the session's sequence is a second record for it too.
        assertRejected(verifier.accept(d.payload(d.reading(2, hashOf(first)))), Reason.EQUIVOCATION);
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void aSessionArrivingBeforeThePrecedingReadingIsHeldAndReleased(KeyAlgorithm algorithm) {
        TestDevice d = device(algorithm);
        List<Reading> readings = d.readings(2);
        ChargingSession session = sessionAfter(d, readings.get(1), 3);
        Reading fourth = d.reading(4, hashOf(session));

        assertEquals(new Held(d.id, 4, 1), verifier.accept(d.payload(fourth)));
        assertEquals(new Held(d.id, 3, 1), verifier.accept(d.payload(session)));
        assertEquals(new Duplicate(d.id, 3), verifier.accept(d.payload(session)));
        assertVerified(verifier.accept(d.payload(readings.get(0))), 1);
        assertTrue(verifier.drainReleased().isEmpty(), "3 and 4 still wait for 2");

        assertVerified(verifier.accept(d.payload(readings.get(1))), 2);
        List<Verdict> released = verifier.drainReleased();
        assertEquals(2, released.size());
        assertEquals(BodyType.CHARGING_SESSION, assertVerified(released.get(0), 3).bodyType());
        assertEquals(fourth, assertVerified(released.get(1), 4).reading().orElseThrow());
        assertEquals(List.of(4L, 4L, 1L, 0L), chainState(stateOf(d)), "head, verified, one duplicate, none held");
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void aSessionWithABadSignatureOrAWrongLinkIsRejected(KeyAlgorithm algorithm) throws Exception {
        TestDevice d = device(algorithm);
        Reading first = d.readings(1).get(0);
        ChargingSession session = sessionAfter(d, first, 2);
        assertVerified(verifier.accept(d.payload(first)), 1);
        List<Long> before = chainState(stateOf(d));

        SignedTx good = SignedTx.parseFrom(d.payload(session));
        byte[] signature = good.getSignature().toByteArray();
        signature[10] ^= 0x01;
        assertRejected(verifier.accept(good.toBuilder().setSignature(ByteString.copyFrom(signature)).build().toByteArray()),
                Reason.BAD_SIGNATURE);
        // Signed as if it were a reading: the sign-bytes domain keeps the two bodies apart (docs/protocol.md).
        byte[] asReading = d.sign(SignBytes.of(BodyType.READING, TestDevice.CHAIN_ID, session.toByteArray()));
        assertRejected(verifier.accept(good.toBuilder().setSignature(ByteString.copyFrom(asReading)).build().toByteArray()),
                Reason.BAD_SIGNATURE);
        // A session signed by another pile's key.
        TestDevice other = TestDevice.create(algorithm);
        assertRejected(verifier.accept(other.payload(session)), Reason.BAD_SIGNATURE);

        byte[] wrong = hashOf(first);
        wrong[0] ^= 1;
        Rejected broken = assertRejected(verifier.accept(d.payload(d.session(2, wrong, 0, 1))), Reason.BROKEN_CHAIN);
        assertEquals("previous_hash: expected " + HexFormat.of().formatHex(hashOf(first)) + " (record hash of sequence 1), got "
                + HexFormat.of().formatHex(wrong), broken.detail());
        assertRejected(verifier.accept(d.payload(d.session(2, new byte[0], 0, 1))), Reason.BROKEN_CHAIN);

        assertEquals(before, chainState(stateOf(d)));
        assertEquals(3, stateOf(d).counters().rejected(Reason.BAD_SIGNATURE));
        assertEquals(2, stateOf(d).counters().rejected(Reason.BROKEN_CHAIN));
        assertVerified(verifier.accept(d.payload(session)), 2);
    }

    @Test
    void offersAndSessionStartsAreNotRecordsAndCountedNowhere() throws Exception {
        TestDevice d = device(KeyAlgorithm.ECDSA_P256_SHA256);
        TestDevice car = TestDevice.create(KeyAlgorithm.ED25519);
        byte[] offer = ChargingTransactions.offer(TestDevice.CHAIN_ID, d.deviceKey(), 1, new byte[32], 25, 1_767_225_600L,
                1_767_232_800L, 11_000);
        byte[] booking = ChargingTransactions.booking(TestDevice.CHAIN_ID, car.deviceKey(), 1,
                ChargingTransactions.txHash(offer), new byte[32], 7_000, 200, 1_767_225_600L, 1_767_229_200L, 200, new byte[32]);
        byte[] bookingHash = ChargingTransactions.txHash(booking);
        byte[] start = ChargingTransactions.sessionStart(TestDevice.CHAIN_ID, d.deviceKey(), bookingHash, 1_767_225_700L,
                10_000, ChargingTransactions.startRequest(TestDevice.CHAIN_ID, car.deviceKey(), bookingHash, d.id, 1_767_225_650L));

        assertEquals(new NotARecord(BodyType.PILE_OFFER), verifier.accept(offer));
        assertEquals(new NotARecord(BodyType.BOOKING), verifier.accept(booking));
        assertEquals(new NotARecord(BodyType.SESSION_START), verifier.accept(start));
        // Not checked at all: whether a non-record is authentic is the ledger's question.
        SignedTx tampered = SignedTx.parseFrom(offer).toBuilder().setSignature(ByteString.EMPTY).build();
        assertEquals(new NotARecord(BodyType.PILE_OFFER), verifier.accept(tampered.toByteArray()));

        VerifierSnapshot snapshot = verifier.snapshot();
        assertEquals(0, snapshot.total().rejectedTotal());
        assertEquals(0, snapshot.total().verified());
        assertEquals(0, snapshot.total().held());
        assertEquals(List.of(0L, 0L, 0L, 0L), chainState(stateOf(d)));
        assertTrue(verifier.drainReleased().isEmpty());
        assertVerified(verifier.accept(d.chain(1).get(0)), 1);
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void aReadingAfterASessionIsCheckedAgainstTheReadingBeforeIt(KeyAlgorithm algorithm) {
        TestDevice d = device(algorithm);
        Reading first = d.readings(1).get(0);
        ChargingSession session = sessionAfter(d, first, 2);
        assertVerified(verifier.accept(d.payload(first)), 1);
        assertVerified(verifier.accept(d.payload(session)), 2);

        // The first reading's interval signed again behind the session: still a reading signed twice.
        Reading again = first.toBuilder().setSequence(3).setPreviousHash(ByteString.copyFrom(hashOf(session))).build();
        Rejected r = assertRejected(verifier.accept(d.payload(again)), Reason.OVERLAPPING_INTERVAL);
        assertEquals("interval_start: expected at or after " + endOf(first) + " (end of the last reading before sequence 3), got "
                + first.getIntervalStart(), r.detail());
        assertEquals(2, stateOf(d).chainHead());

        // The session's end_time is no interval: a reading may start where the last reading ended.
        Reading next = d.reading(3, hashOf(session)).toBuilder().setIntervalStart(endOf(first)).build();
        assertVerified(verifier.accept(d.payload(next)), 3);
    }
}
