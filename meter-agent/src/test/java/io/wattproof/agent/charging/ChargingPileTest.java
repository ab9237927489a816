package io.wattproof.agent.charging;

import static io.wattproof.agent.charging.ChargingFixture.BOOKED_START;
import static io.wattproof.agent.charging.ChargingFixture.CHAIN;
import static io.wattproof.agent.charging.ChargingFixture.PRICE;
import static io.wattproof.agent.charging.ChargingFixture.RANDOM;
import static io.wattproof.agent.charging.ChargingFixture.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.wattproof.agent.clock.SettableClock;
import io.wattproof.agent.gpio.LoggingRelay;
import io.wattproof.crypto.SignatureCheck;
import io.wattproof.crypto.seal.Kem;
import io.wattproof.crypto.seal.RecipientKeyPair;
import io.wattproof.crypto.seal.Suite;
import io.wattproof.protocol.SignBytes;
import io.wattproof.protocol.v1.BodyType;
import io.wattproof.protocol.v1.Booking;
import io.wattproof.protocol.v1.ChargingSession;
import io.wattproof.protocol.v1.ChargingSession.EndReason;
import io.wattproof.protocol.v1.PileOffer;
import io.wattproof.protocol.v1.SessionStart;
import io.wattproof.protocol.v1.SignedTx;
import io.wattproof.protocol.v1.TxResultCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pile's shell with a real FileOutbox and session file, a logging relay, a settable clock and a test host. */
class ChargingPileTest {
    private static final byte[] OWNER_PSEUDONYM = new byte[32];
    private static final Instant T = BOOKED_START.plusSeconds(600);

    @TempDir
    Path dataDir;

    private final ChargingFixture f = new ChargingFixture();
    private final RecipientKeyPair pileSeal = RecipientKeyPair.generate(Kem.X25519_HKDF_SHA256, RANDOM);
    private final RecipientKeyPair owner = RecipientKeyPair.generate(Kem.X25519_HKDF_SHA256, RANDOM);
    private final RecipientKeyPair supervisor = RecipientKeyPair.generate(Kem.X25519_HKDF_SHA256, RANDOM);
    private final SettableClock clock = new SettableClock(T0);
    private LoggingRelay relay = new LoggingRelay(clock);
    private TestPileHost host;
    private ChargingPile pile;
    private byte[] offerHash;

    @BeforeEach
    void openPile() throws Exception {
        host = new TestPileHost(dataDir, f.pile, CHAIN);
        host.appendReading(T0.minusSeconds(900), 1000);
        pile = open();
        offerHash = pile.publishOffer(PRICE, T0.getEpochSecond(), T0.plusSeconds(10 * 3600).getEpochSecond(), 11_000);
    }

    @AfterEach
    void closeOutbox() throws Exception {
        host.outbox.close();
    }

    private ChargingPile open() {
        SessionSealer sealer = new SessionSealer(Suite.X25519_AES_128_GCM, pileSeal, owner.publicKey(), supervisor.publicKey(),
                "owner@example.org".getBytes(), new byte[16], RANDOM);
        return ChargingPile.open(ChargingPile.Settings.of(CHAIN, dataDir, OWNER_PSEUDONYM, pileSeal.publicKey().encoded(), "X25519"),
                f.pile, relay, sealer, host, clock);
    }

    private Booking booking() {
        return f.booking().setOfferTxHash(ByteString.copyFrom(offerHash)).build();
    }

    private byte[] bookingHash() {
        return ChargingTransactions.txHash(f.bookingTx(booking()));
    }

    private byte[] startRequest(Instant at) {
        return f.start(f.driver, bookingHash(), f.pileId(), at, null);
    }

    /** Moves the clock and has the meter read at that instant, then ticks. */
    private void sampleAt(Instant at, long importWh, double powerW) {
        clock.set(at);
        host.sample(at, importWh, powerW);
        pile.tick();
    }

    private Path sessionFile() {
        return dataDir.resolve(SessionStateFile.FILE_NAME);
    }

    /** Booking verified, start accepted at T, start register 5000 Wh at T + 1 s, 2000 Wh charged by T + 61 s. */
    private void charge() {
        pile.bookingVerified(f.bookingTx(booking()));
        clock.set(T);
        pile.requestArrived(startRequest(T.minusSeconds(2)));
        assertTrue(relay.isClosed(), "relay closed on a verified booking's valid request");
        sampleAt(T.plusSeconds(1), 5000, 7200);
        assertEquals(ChargingController.Phase.CHARGING, pile.phase());
        sampleAt(T.plusSeconds(61), 7000, 7200);
    }

    @Test
    void aVerifiedBookingChargesToItsLimitAndEndsAsASessionRecordInChainOrder() throws Exception {
        charge();
        assertTrue(Files.exists(sessionFile()), "persisted at the start register");
        SignedTx startTx = SignedTx.parseFrom(host.submitted.get(1));
        assertEquals(BodyType.SESSION_START, startTx.getBodyType());
        SessionStart start = SessionStart.parseFrom(startTx.getBody());
        assertEquals(5000, start.getStartImportWh());
        assertEquals(T.plusSeconds(1).getEpochSecond(), start.getStartTime());
        assertArrayEquals(startRequest(T.minusSeconds(2)), start.getStartRequest().toByteArray(), "the request as received");
        assertTrue(f.pile.verifyingKey().check(SignBytes.of(BodyType.SESSION_START, CHAIN, startTx.getBody().toByteArray()),
                startTx.getSignature().toByteArray()) instanceof SignatureCheck.Valid);
        String driverTopic = "wattproof/v1/drivers/" + f.driver.deviceId().hex() + "/sessions/" + HexFormat.of().formatHex(bookingHash());
        assertTrue(host.published.stream().anyMatch(p -> p.topic().equals(driverTopic + "/events") && p.payload().contains("\"started\"")));
        assertTrue(host.published.stream().anyMatch(p -> p.topic().equals(driverTopic + "/live")
                && p.payload().contains("\"energy_wh\":2000") && !p.retained()));

        // The amount limit (5 000 000 at 300 000 per kWh) is reached at 16 667 Wh.
        sampleAt(T.plusSeconds(600), 5000 + 16_700, 7200);
        assertFalse(relay.isClosed(), "relay opened at the limit");
        assertEquals(ChargingController.Phase.STOPPING, pile.phase());
        assertTrue(host.sessions().isEmpty(), "no record before the end register");
        sampleAt(T.plusSeconds(603), 5000 + 16_705, 0);

        List<ChargingSession> sessions = host.sessions();
        assertEquals(1, sessions.size());
        ChargingSession s = sessions.get(0);
        assertEquals(2, s.getSequence(), "the record after the reading");
        assertArrayEquals(host.outbox.unacknowledged().get(0).recordHash(), s.getPreviousHash().toByteArray());
        assertArrayEquals(bookingHash(), s.getContractTxHash().toByteArray());
        assertEquals(5000, s.getStartImportWh());
        assertEquals(5000 + 16_705, s.getEndImportWh());
        assertEquals(16_705, s.getEnergyWh());
        assertEquals(EndReason.LIMIT_REACHED, s.getEndReason());
        assertTrue(s.hasSealedPersonalData());
        assertFalse(Files.exists(sessionFile()), "deleted once the record is in the outbox");
        assertTrue(host.published.stream().anyMatch(p -> p.topic().equals(driverTopic + "/events")
                && p.payload().contains("\"closed\"") && p.payload().contains("\"end_reason\":\"LIMIT_REACHED\"")
                && p.payload().contains("\"amount\":5000000")), host.published.toString());
        List<LoggingRelay.Change> changes = relay.changes();
        assertEquals(2, changes.size(), changes.toString());
        assertTrue(changes.get(0).closed());
        assertEquals(T, changes.get(0).at());
        assertFalse(changes.get(1).closed());
        assertEquals(T.plusSeconds(600), changes.get(1).at());

        // A second start for the same booking: refused, told to the car owner, relay untouched.
        clock.set(T.plusSeconds(700));
        pile.requestArrived(startRequest(T.plusSeconds(699)));
        assertEquals(2, relay.changes().size());
        assertTrue(host.published.stream().anyMatch(p -> p.topic().equals(driverTopic + "/events") && p.payload().contains("\"refused\"")));
    }

    @Test
    void theStartRegisterIsAReadFromAfterTheRelayClosed() throws Exception {
        pile.bookingVerified(f.bookingTx(booking()));
        host.sample(T.minusSeconds(1), 4990, 0); // read before the relay closed
        clock.set(T);
        pile.requestArrived(startRequest(T.minusSeconds(2)));
        pile.tick();
        assertEquals(ChargingController.Phase.AUTHORISED, pile.phase(), "an older read is not the start register");
        sampleAt(T.plusSeconds(1), 5000, 7200);
        assertEquals(ChargingController.Phase.CHARGING, pile.phase());
        assertEquals(5000, SessionStart.parseFrom(SignedTx.parseFrom(host.submitted.get(1)).getBody()).getStartImportWh());
    }

    @Test
    void aBookingTheFollowerNeverVerifiedNeverClosesTheRelay() throws Exception {
        clock.set(T);
        pile.requestArrived(startRequest(T.minusSeconds(2)));
        sampleAt(T.plusSeconds(1), 5000, 7200);
        assertFalse(relay.isClosed());
        assertTrue(relay.changes().isEmpty(), "the relay was never switched: " + relay.changes());
        assertEquals(ChargingController.Phase.IDLE, pile.phase());
        assertEquals(1, host.submitted.size(), "only the offer left the pile");
        assertTrue(host.publishedOn("/events").isEmpty(), "a request's own content never chooses where the pile publishes");
    }

    @Test
    void aBookingOfAnOfferThatIsNotThePilesIsNotHeld() {
        Booking foreign = f.booking().build(); // the fixture's offer, which this pile never made
        pile.bookingVerified(f.bookingTx(foreign));
        clock.set(T);
        pile.requestArrived(f.start(f.driver, ChargingTransactions.txHash(f.bookingTx(foreign)), f.pileId(), T, null));
        assertTrue(relay.changes().isEmpty());
    }

    @Test
    void badRequestBytesAreRefusedAndChangeNothing() throws Exception {
        pile.bookingVerified(f.bookingTx(booking()));
        clock.set(T);
        pile.requestArrived(new byte[] {(byte) 0xff, 0x01, 0x02});
        pile.requestArrived(new byte[ChargingPile.MAX_REQUEST_BYTES + 1]);
        pile.requestArrived(f.bookingTx(booking())); // a SignedTx, but a Booking
        byte[] forgedSignature = SignedTx.parseFrom(startRequest(T)).toBuilder().setSignature(ByteString.copyFrom(new byte[64]))
                .build().toByteArray();
        pile.requestArrived(forgedSignature);
        assertTrue(relay.changes().isEmpty());
        assertEquals(ChargingController.Phase.IDLE, pile.phase());
        // The state was unchanged: the real request still works.
        pile.requestArrived(startRequest(T));
        assertTrue(relay.isClosed());
    }

    @Test
    void aPowerCutMidSessionClosesItOnceAsFaultAtTheLastPersistedRegister() throws Exception {
        charge(); // persisted at 5000 Wh (start), then 7000 Wh at T + 61 s
        sampleAt(T.plusSeconds(90), 7400, 7200); // not persisted: less than 60 s since the last write
        // Power cut: nothing closes; the relay drops open with the power, the outbox is opened again.
        relay = new LoggingRelay(clock);
        host.reopen();
        clock.set(T.plusSeconds(400));
        int submittedBefore = host.submitted.size();
        pile = open();
        // The start is sent again (the cut may have lost it with the agent's memory), before the session is closed.
        List<SignedTx> resent = new java.util.ArrayList<>();
        for (byte[] tx : host.submitted.subList(submittedBefore, host.submitted.size())) {
            SignedTx parsed = SignedTx.parseFrom(tx);
            if (parsed.getBodyType() == io.wattproof.protocol.v1.BodyType.SESSION_START) {
                resent.add(parsed);
            }
        }
        assertEquals(1, resent.size());
        SignedTx startTx = resent.get(0);
        assertEquals(io.wattproof.protocol.v1.BodyType.SESSION_START, startTx.getBodyType());
        io.wattproof.protocol.v1.SessionStart start = io.wattproof.protocol.v1.SessionStart.parseFrom(startTx.getBody());
        assertEquals(5000, start.getStartImportWh());
        List<ChargingSession> sessions = host.sessions();
        assertEquals(1, sessions.size());
        assertEquals(start.getStartTime(), sessions.get(0).getStartTime());
        assertEquals(start.getStartImportWh(), sessions.get(0).getStartImportWh());
        assertEquals(EndReason.FAULT, sessions.get(0).getEndReason());
        assertEquals(7000, sessions.get(0).getEndImportWh(), "the last register the file held");
        assertEquals(T.plusSeconds(61).getEpochSecond(), sessions.get(0).getEndTime());
        assertFalse(Files.exists(sessionFile()));

        // A second restart bills nothing again, and the booking, handed over again, does not start.
        host.reopen();
        pile = open();
        pile.bookingVerified(f.bookingTx(booking()));
        pile.requestArrived(startRequest(T.plusSeconds(399)));
        assertEquals(1, host.sessions().size());
        assertTrue(relay.changes().isEmpty(), relay.changes().toString());
    }

    @Test
    void aCutBetweenStoringTheRecordAndDeletingTheFileDoesNotBillTwice() throws Exception {
        charge();
        byte[] file = Files.readAllBytes(sessionFile());
        sampleAt(T.plusSeconds(600), 5000 + 16_700, 7200);
        sampleAt(T.plusSeconds(603), 5000 + 16_705, 0);
        assertEquals(1, host.sessions().size());
        Files.write(sessionFile(), file); // as if the power went before the delete
        host.reopen();
        pile = open();
        assertEquals(1, host.sessions().size(), "the record was found: no second one");
        assertFalse(Files.exists(sessionFile()));
        pile.bookingVerified(f.bookingTx(booking()));
        clock.set(T.plusSeconds(700));
        pile.requestArrived(startRequest(T.plusSeconds(699)));
        assertFalse(relay.isClosed());
    }

    @Test
    void aRecordThatCannotBeStoredIsTriedAgainAndNoNewSessionStartsMeanwhile() throws Exception {
        charge();
        host.failAppends = true;
        sampleAt(T.plusSeconds(600), 5000 + 16_700, 7200);
        sampleAt(T.plusSeconds(603), 5000 + 16_705, 0);
        assertTrue(host.sessions().isEmpty());
        assertTrue(Files.exists(sessionFile()), "kept while the record is not stored");
        int attempts = host.appendAttempts;
        clock.set(T.plusSeconds(604));
        pile.tick();
        assertEquals(attempts, host.appendAttempts, "not again within " + ChargingPile.APPEND_RETRY);
        clock.set(T.plusSeconds(603).plus(ChargingPile.APPEND_RETRY));
        pile.tick();
        assertEquals(attempts + 1, host.appendAttempts);
        host.failAppends = false;
        pile.tick();
        assertTrue(host.sessions().isEmpty(), "the retry waits again after a failure");
        clock.set(T.plusSeconds(603).plus(ChargingPile.APPEND_RETRY.multipliedBy(2)));
        pile.tick();
        assertEquals(1, host.sessions().size());
        assertFalse(Files.exists(sessionFile()));
    }

    @Test
    void offersKeepTheirNonceAcrossRestartsAndARefusedOneGivesItBack() throws Exception {
        byte[] second = pile.publishOffer(PRICE, T0.getEpochSecond(), T0.plusSeconds(3600).getEpochSecond(), 7_000);
        assertEquals(2, PileOffer.parseFrom(SignedTx.parseFrom(host.submitted.get(1)).getBody()).getNonce());
        assertTrue(host.publishedOn("/charge/info").getLast().retained());
        assertTrue(host.publishedOn("/charge/info").getLast().payload().contains(HexFormat.of().formatHex(second)));

        List<byte[]> before = List.copyOf(host.submitted);
        host.reopen();
        pile = open();
        assertEquals(2, pile.offers().size(), "kept across a restart");
        // Sent again, the same bytes in nonce order: the agent forgot them, the ledger may never have seen them.
        assertEquals(4, host.submitted.size());
        assertArrayEquals(before.get(0), host.submitted.get(2));
        assertArrayEquals(before.get(1), host.submitted.get(3));
        byte[] third = pile.publishOffer(PRICE, T0.getEpochSecond(), T0.plusSeconds(7200).getEpochSecond(), 7_000);
        assertEquals(3, PileOffer.parseFrom(SignedTx.parseFrom(host.submitted.getLast()).getBody()).getNonce());
        pile.txDecided(third, TxResultCode.RESULT_INVALID_VALUE, 10);
        assertEquals(2, pile.offers().size(), "a refused offer is dropped");
        pile.publishOffer(PRICE, T0.getEpochSecond(), T0.plusSeconds(7200).getEpochSecond(), 7_000);
        assertEquals(3, PileOffer.parseFrom(SignedTx.parseFrom(host.submitted.getLast()).getBody()).getNonce(), "its nonce reused");

        // After the one-hour window ends, that offer is gone, after a restart too.
        clock.set(T0.plusSeconds(3600));
        host.reopen();
        pile = open();
        assertEquals(2, pile.offers().size());
        assertFalse(pile.offers().containsKey(HexFormat.of().formatHex(second)));
    }

    @Test
    void anOfferTheLedgerWouldRefuseIsNotSigned() {
        assertThrows(IllegalArgumentException.class, () -> pile.publishOffer(0, T0.getEpochSecond(), T0.getEpochSecond() + 1, 1));
        assertThrows(IllegalArgumentException.class, () -> pile.publishOffer(PRICE, T0.getEpochSecond() + 5, T0.getEpochSecond() + 5, 1));
        assertThrows(IllegalArgumentException.class,
                () -> pile.publishOffer(PRICE, T0.getEpochSecond(), T0.getEpochSecond() + 60, 0));
        assertEquals(1, host.submitted.size());
    }

    @Test
    void anUnreadablePileStateStopsOffersButNotCharging() throws Exception {
        Files.write(dataDir.resolve(PileStateFile.FILE_NAME), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        host.reopen();
        pile = open();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> pile.publishOffer(PRICE, T0.getEpochSecond(), T0.plusSeconds(60).getEpochSecond(), 7_000));
        assertTrue(e.getMessage().contains("nonce is unknown"), e.getMessage());
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, Files.readAllBytes(dataDir.resolve(PileStateFile.FILE_NAME)),
                "left for a person");
    }

    @Test
    void aStartTheLedgerRefusesStopsCharging() throws Exception {
        charge();
        byte[] startHash = ChargingTransactions.txHash(host.submitted.get(1));
        pile.txDecided(startHash, TxResultCode.RESULT_INVALID_VALUE, 12);
        assertFalse(relay.isClosed());
        List<ChargingSession> sessions = host.sessions();
        assertEquals(1, sessions.size());
        assertEquals(EndReason.FAULT, sessions.get(0).getEndReason());
    }

    @Test
    void chargeInfoNamesThePileItsSealKeyOffersAndState() {
        String json = pile.infoJson();
        assertTrue(json.startsWith("{\"pile\":\"" + f.pileId().hex() + "\",\"seal_key\":\""
                + HexFormat.of().formatHex(pileSeal.publicKey().encoded()) + "\",\"suite\":\"X25519\",\"offers\":[{\"tx_hash\":\""
                + HexFormat.of().formatHex(offerHash) + "\",\"unit_price\":" + PRICE + ","), json);
        assertTrue(json.endsWith("\"max_power_w\":11000}],\"state\":\"idle\"}"), json);
        assertEquals(Duration.ofSeconds(1), ChargingPile.Settings.of(CHAIN, dataDir, OWNER_PSEUDONYM, new byte[32], "x").tickPeriod());
    }
}
