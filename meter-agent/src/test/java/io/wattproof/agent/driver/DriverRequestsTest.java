package io.wattproof.agent.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.agent.TestDeviceKey;
import io.wattproof.agent.charging.BookingCheck;
import io.wattproof.agent.charging.BookingVerdict;
import io.wattproof.agent.charging.ChargingCommand;
import io.wattproof.agent.charging.ChargingController;
import io.wattproof.agent.charging.ChargingTransactions;
import io.wattproof.agent.charging.MeterSample;
import io.wattproof.agent.charging.SessionSealer;
import io.wattproof.crypto.seal.Kem;
import io.wattproof.crypto.seal.OpenResult;
import io.wattproof.crypto.seal.RecipientKeyPair;
import io.wattproof.crypto.seal.Sealing;
import io.wattproof.crypto.seal.Suite;
import io.wattproof.protocol.v1.BodyType;
import io.wattproof.protocol.v1.PileOffer;
import io.wattproof.protocol.v1.SignedTx;
import io.wattproof.protocol.v1.StartRequest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The car owner's requests as the pile's own code takes them: the booking passes {@link
 * BookingCheck}, the start request closes the relay of a real {@link ChargingController}, and the
 * pile's HPKE key opens the contact sealed into it.
 */
class DriverRequestsTest {
    static final String CHAIN = "wattproof-sim";
    static final SecureRandom RANDOM = new SecureRandom();
    static final Instant NOW = Instant.parse("2026-11-27T18:10:00Z");

    private final TestDeviceKey pile = new TestDeviceKey();
    private final TestDeviceKey driver = new TestDeviceKey();
    private final RecipientKeyPair pileSeal = RecipientKeyPair.generate(Kem.X25519_HKDF_SHA256, RANDOM);
    private final RecipientKeyPair driverSeal = RecipientKeyPair.generate(Kem.X25519_HKDF_SHA256, RANDOM);
    private final DriverData data = DriverData.commit("Erika, B-EM 123E", RANDOM);
    private final ChargingController controller = new ChargingController(ChargingController.Settings.defaults(pile.deviceId(), CHAIN));
    private final byte[] bookingTx;
    private final byte[] bookingHash;

    DriverRequestsTest() throws Exception {
        Instant start = Instant.parse("2026-11-27T18:00:00Z");
        byte[] offerTx = ChargingTransactions.offer(CHAIN, pile, 1, new byte[32], 300_000, start.getEpochSecond(),
                start.plusSeconds(10 * 3600).getEpochSecond(), 11_000);
        PileOffer offer = PileOffer.parseFrom(SignedTx.parseFrom(offerTx).getBody());
        bookingTx = ChargingTransactions.booking(CHAIN, driver, 1, ChargingTransactions.txHash(offerTx), data.pseudonym(), 10_000, 3_000_000,
                start.getEpochSecond(), start.plusSeconds(3600).getEpochSecond(), 3_000_000, driverSeal.publicKey().encoded());
        bookingHash = ChargingTransactions.txHash(bookingTx);
        BookingVerdict v = new BookingCheck(CHAIN, pile.deviceId()).check(bookingTx,
                Map.of(HexFormat.of().formatHex(ChargingTransactions.txHash(offerTx)), offer));
        controller.onBooking(assertInstanceOf(BookingVerdict.Verified.class, v).booking());
    }

    private byte[] start(Instant at, DriverData d) throws Exception {
        return DriverRequests.start(CHAIN, driver, bookingHash, pile.deviceId(), at.getEpochSecond(), pileSeal.publicKey(),
                Suite.X25519_AES_128_GCM, d, RANDOM);
    }

    @Test
    void theStartRequestClosesThePilesRelay() throws Exception {
        List<ChargingCommand> out = controller.onStartRequest(start(NOW, data), NOW);
        assertEquals(List.of(new ChargingCommand.CloseRelay()), out);
    }

    @Test
    void thePilesKeyOpensTheContactAndItsSaltOpensTheBookingsPseudonym() throws Exception {
        StartRequest request = StartRequest.parseFrom(SignedTx.parseFrom(start(NOW, data)).getBody());
        assertTrue(request.hasDriverData());
        OpenResult opened = Sealing.open(SessionSealer.fromWire(request.getDriverData()), pileSeal,
                SessionSealer.driverDataContext(bookingHash));
        byte[] plaintext = assertInstanceOf(OpenResult.Opened.class, opened).plaintext();
        DriverData back = assertInstanceOf(DriverData.Decoded.Ok.class, DriverData.decode(plaintext)).data();
        assertEquals(data.contact(), back.contact());
        assertEquals(HexFormat.of().formatHex(data.pseudonym()), HexFormat.of().formatHex(back.pseudonym()));
    }

    @Test
    void theSealedDataDoesNotOpenForAnotherBookingOrKey() throws Exception {
        StartRequest request = StartRequest.parseFrom(SignedTx.parseFrom(start(NOW, data)).getBody());
        assertInstanceOf(OpenResult.Refused.class, Sealing.open(SessionSealer.fromWire(request.getDriverData()), pileSeal,
                SessionSealer.driverDataContext(new byte[32])));
        assertInstanceOf(OpenResult.NotARecipient.class, Sealing.open(SessionSealer.fromWire(request.getDriverData()), driverSeal,
                SessionSealer.driverDataContext(bookingHash)));
    }

    @Test
    void withoutDataNoneIsSent() throws Exception {
        StartRequest request = StartRequest.parseFrom(SignedTx.parseFrom(start(NOW, null)).getBody());
        assertFalse(request.hasDriverData());
        assertEquals(List.of(new ChargingCommand.CloseRelay()), controller.onStartRequest(start(NOW, null), NOW));
    }

    @Test
    void aRequestOlderThanAMinuteIsRefusedByThePile() throws Exception {
        List<ChargingCommand> out = controller.onStartRequest(start(NOW.minusSeconds(120), data), NOW);
        ChargingCommand.RejectRequest r = assertInstanceOf(ChargingCommand.RejectRequest.class, out.get(0));
        assertTrue(r.reason().contains("requested_at"), r.reason());
    }

    @Test
    void theStopRequestOpensTheRelay() throws Exception {
        controller.onStartRequest(start(NOW, data), NOW);
        controller.onSample(new MeterSample(1000, 11_000), NOW.plusSeconds(1));
        byte[] stop = DriverRequests.stop(CHAIN, driver, bookingHash, pile.deviceId(), NOW.plusSeconds(30).getEpochSecond());
        assertEquals(BodyType.STOP_REQUEST, SignedTx.parseFrom(stop).getBodyType());
        List<ChargingCommand> out = controller.onStopRequest(stop, NOW.plusSeconds(30));
        assertInstanceOf(ChargingCommand.OpenRelay.class, out.get(0));
    }
}
