package io.wattproof.agent.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.agent.TestDeviceKey;
import io.wattproof.agent.charging.ChargingTransactions;
import io.wattproof.crypto.seal.Kem;
import io.wattproof.crypto.seal.RecipientKeyPair;
import io.wattproof.protocol.v1.TxResultCode;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The car owner over Debian's Mosquitto (MQTT 5) against two test doubles: {@link GatewayDouble}
 * answering receipts on the car owner's topics, and {@link PileDouble} running the pile's real
 * charging controller behind the topics of docs/charging.md.
 */
class CarOwnerIT {
    @TempDir
    Path dir;
    private TestMosquitto broker;
    private PileDouble pile;
    private GatewayDouble gateway;
    private CarOwner owner;
    private final BookingNonces nonces = new BookingNonces.InMemory(0);
    private final DriverData data = DriverData.commit("Erika, B-EM 123E", new SecureRandom());

    @BeforeEach
    void start() throws Exception {
        broker = TestMosquitto.start(dir);
        pile = new PileDouble(broker.uri());
        gateway = new GatewayDouble(broker.uri(), pile::booked);
        TestDeviceKey key = new TestDeviceKey();
        owner = new CarOwner(CarOwner.Settings.of(broker.uri(), PileDouble.CHAIN, key.deviceId()).withResend(Duration.ofSeconds(2), 3),
                key, RecipientKeyPair.generate(Kem.X25519_HKDF_SHA256, new SecureRandom()), nonces, Clock.systemUTC(), new SecureRandom());
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {owner, gateway, pile, broker}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private CarOwner.BookingResult book() throws Exception {
        long now = Instant.now().getEpochSecond();
        return owner.book(pile.id(), pile.offerHash(), 10_000, 3_000_000, now - 10, now + 3600, 3_000_000, data.pseudonym(),
                Duration.ofSeconds(10));
    }

    @Test
    void thePilesRetainedInfoIsRead() throws Exception {
        PileInfo info = assertInstanceOf(PileInfo.Parsed.Ok.class, owner.readPileInfo(pile.id(), Duration.ofSeconds(5))).info();
        assertEquals(pile.sealKey.publicKey(), info.sealKey());
        assertArrayEquals(pile.offerHash(), info.offers().get(0).txHash());
    }

    @Test
    void aBookingIsAcceptedAndItsNonceCounted() throws Exception {
        CarOwner.BookingResult.Booked b = assertInstanceOf(CarOwner.BookingResult.Booked.class, book());
        assertEquals(1, b.nonce());
        assertArrayEquals(ChargingTransactions.txHash(b.tx()), b.bookingTxHash());
        assertArrayEquals(gateway.received.get(0), b.tx(), "the booking went out on drivers/<D>/tx as signed");
        assertEquals(1, nonces.lastAccepted());
        assertEquals(2, assertInstanceOf(CarOwner.BookingResult.Booked.class, book()).nonce());
    }

    @Test
    void aRefusedBookingIsReportedWithCodeAndLogAndKeepsItsNonce() throws Exception {
        gateway.mode = GatewayDouble.Mode.REFUSE;
        CarOwner.BookingResult.Refused r = assertInstanceOf(CarOwner.BookingResult.Refused.class, book());
        assertEquals(TxResultCode.RESULT_INVALID_VALUE, r.code());
        assertEquals(GatewayDouble.REFUSAL_LOG, r.log());
        assertEquals(0, r.height());
        assertEquals(0, nonces.lastAccepted(), "a refusal does not use up a nonce");
        gateway.mode = GatewayDouble.Mode.ACCEPT;
        assertEquals(1, assertInstanceOf(CarOwner.BookingResult.Booked.class, book()).nonce());
    }

    @Test
    void anUnparsableReceiptIsWaitedPast() throws Exception {
        gateway.mode = GatewayDouble.Mode.GARBAGE_THEN_ACCEPT;
        assertInstanceOf(CarOwner.BookingResult.Booked.class, book());
    }

    @Test
    void aLostBookingIsSentAgainWithTheSameBytes() throws Exception {
        gateway.mode = GatewayDouble.Mode.SILENT_ONCE;
        assertInstanceOf(CarOwner.BookingResult.Booked.class, book());
        assertEquals(2, gateway.received.size());
        assertArrayEquals(gateway.received.get(0), gateway.received.get(1));
    }

    @Test
    void startedAndClosedOverTheBroker() throws Exception {
        CarOwner.BookingResult.Booked b = assertInstanceOf(CarOwner.BookingResult.Booked.class, book());
        List<SessionMessage> watched = new CopyOnWriteArrayList<>();
        try (CarOwner.Watch w = owner.watch(b.bookingTxHash(), watched::add)) {
            PileInfo info = assertInstanceOf(PileInfo.Parsed.Ok.class, owner.readPileInfo(pile.id(), Duration.ofSeconds(5))).info();
            CarOwner.RequestResult.Answered started = assertInstanceOf(CarOwner.RequestResult.Answered.class,
                    owner.start(pile.id(), b.bookingTxHash(), info.sealKey(), info.suite(), data));
            assertInstanceOf(SessionMessage.Started.class, started.event());
            assertEquals(1, started.attempts());
            assertEquals(List.of(data.contact()), pile.openedContacts, "the pile's key opened the contact");

            CarOwner.RequestResult.Answered closed = assertInstanceOf(CarOwner.RequestResult.Answered.class,
                    owner.stop(pile.id(), b.bookingTxHash()));
            SessionMessage.Closed c = assertInstanceOf(SessionMessage.Closed.class, closed.event());
            assertEquals("STOPPED_BY_USER", c.endReason());
            assertEquals(PileDouble.END_WH - PileDouble.START_WH, c.energyWh());
            assertEquals(c.energyWh() * PileDouble.PRICE / 1000, c.amount());

            pile.publishGarbageLive(owner.driverId(), b.bookingTxHash());
            awaitSize(watched, 4);
        }
        assertInstanceOf(SessionMessage.Started.class, watched.get(0));
        assertInstanceOf(SessionMessage.Live.class, watched.get(1));
        assertInstanceOf(SessionMessage.Closed.class, watched.get(2));
        assertTrue(watched.get(3) instanceof SessionMessage.Malformed m && m.reason().startsWith("live: expected a JSON object"),
                watched.get(3).toString());
    }

    @Test
    void aMissedStartRequestIsSentAgain() throws Exception {
        CarOwner.BookingResult.Booked b = assertInstanceOf(CarOwner.BookingResult.Booked.class, book());
        pile.ignoreNext.set(1);
        CarOwner.RequestResult.Answered started = assertInstanceOf(CarOwner.RequestResult.Answered.class,
                owner.start(pile.id(), b.bookingTxHash(), pile.sealKey.publicKey(), io.wattproof.crypto.seal.Suite.X25519_AES_128_GCM, data));
        assertEquals(2, started.attempts());
    }

    @Test
    void aLiveValueAnswersAStartWhoseEventWasLost() throws Exception {
        CarOwner.BookingResult.Booked b = assertInstanceOf(CarOwner.BookingResult.Booked.class, book());
        pile.loseStartedEvent = true;
        CarOwner.RequestResult.Answered started = assertInstanceOf(CarOwner.RequestResult.Answered.class,
                owner.start(pile.id(), b.bookingTxHash(), pile.sealKey.publicKey(), io.wattproof.crypto.seal.Suite.X25519_AES_128_GCM, data));
        assertInstanceOf(SessionMessage.Started.class, started.event());
        assertEquals(1, started.attempts(), "answered by the live value, without a second request");
        assertEquals(1, pile.requests.get());
    }

    @Test
    void aStartThePileRefusesIsReportedWithItsReason() throws Exception {
        // Never booked: the pile holds no such booking.
        byte[] unknown = new byte[32];
        CarOwner.RequestResult.Refused r = assertInstanceOf(CarOwner.RequestResult.Refused.class,
                owner.start(pile.id(), unknown, pile.sealKey.publicKey(), io.wattproof.crypto.seal.Suite.X25519_AES_128_GCM, data));
        assertTrue(r.reason().startsWith("start request booking_tx_hash: expected one of 0 verified bookings"), r.reason());
    }

    @Test
    void aPileThatNeverAnswersTimesOut() throws Exception {
        CarOwner.BookingResult.Booked b = assertInstanceOf(CarOwner.BookingResult.Booked.class, book());
        pile.ignoreNext.set(100);
        CarOwner.RequestResult.TimedOut t = assertInstanceOf(CarOwner.RequestResult.TimedOut.class,
                owner.start(pile.id(), b.bookingTxHash(), pile.sealKey.publicKey(), io.wattproof.crypto.seal.Suite.X25519_AES_128_GCM, data));
        assertEquals(3, t.attempts());
        // Each attempt reached the pile (counted on arrival; the last may land after the wait ended on a busy machine).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pile.requests.get() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(3, pile.requests.get());
    }

    private static void awaitSize(List<?> list, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (list.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(list.size() >= n, "expected " + n + " messages, got " + list);
    }
}
