package io.wattproof.agent.charging;

import static io.wattproof.agent.charging.ChargingFixture.CHAIN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.wattproof.agent.TestDeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.protocol.v1.BodyType;
import io.wattproof.protocol.v1.Booking;
import io.wattproof.protocol.v1.PileOffer;
import io.wattproof.protocol.v1.SignedTx;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BookingCheckTest {
    private final ChargingFixture f = new ChargingFixture();
    private final BookingCheck check = new BookingCheck(CHAIN, f.pileId());

    private String refused(byte[] tx) {
        return refused(tx, f.offers());
    }

    private String refused(byte[] tx, Map<String, PileOffer> offers) {
        return assertInstanceOf(BookingVerdict.Refused.class, check.check(tx, offers)).reason();
    }

    @Test
    void aGoodBookingIsVerifiedWithItsHashKeyAndPrice() {
        Booking b = f.booking().build();
        byte[] tx = f.bookingTx(b);
        VerifiedBooking v = assertInstanceOf(BookingVerdict.Verified.class, check.check(tx, f.offers())).booking();
        assertArrayEquals(ChargingTransactions.txHash(tx), v.bookingTxHash());
        assertEquals(b, v.booking());
        assertEquals(f.offer, v.offer());
        assertArrayEquals(f.driver.publicKeyInfo(), v.driverPublicKeyInfo());
        assertEquals(KeyAlgorithm.ED25519, v.driverAlgorithm());
        assertEquals(f.driver.deviceId(), v.driverId());
        assertEquals(ChargingFixture.PRICE, v.unitPrice());
    }

    @Test
    void bytesThatAreNotASignedTxAreRefused() {
        assertTrue(refused(new byte[] {(byte) 0xff, 0x01}).startsWith("signed tx: expected a wattproof.v1.SignedTx"));
    }

    @Test
    void anotherBodyTypeIsRefused() {
        byte[] tx = ChargingFixture.sign(f.driver, BodyType.START_REQUEST, f.booking().build(), true);
        assertEquals("signed tx body_type: expected BOOKING, got START_REQUEST", refused(tx));
    }

    @Test
    void aBookingWithoutItsKeyIsRefused() {
        byte[] tx = ChargingFixture.sign(f.driver, BodyType.BOOKING, f.booking().build(), false);
        assertTrue(refused(tx).startsWith("booking public_key: expected the car owner's DER key"));
    }

    @Test
    void aSignatureForAnotherChainIsRefused() {
        byte[] tx = ChargingFixture.sign(f.driver, BodyType.BOOKING, f.booking().build(), true, "other-chain");
        assertTrue(refused(tx).startsWith("booking signed tx signature: expected one by"), refused(tx));
    }

    @Test
    void aSignatureByAnotherKeyIsRefused() throws Exception {
        SignedTx good = SignedTx.parseFrom(f.bookingTx(f.booking().build()));
        byte[] forged = good.toBuilder().setPublicKey(ByteString.copyFrom(new TestDeviceKey().publicKeyInfo())).build().toByteArray();
        assertTrue(refused(forged).contains("does not verify"), refused(forged));
    }

    @Test
    void aBookingOfAnUnknownOfferIsRefused() {
        byte[] tx = f.bookingTx(f.booking().setOfferTxHash(ByteString.copyFrom(new byte[32])).build());
        assertEquals("booking offer_tx_hash: expected one of this pile's 1 offers, got " + "00".repeat(32), refused(tx));
    }

    @Test
    void anOfferOfAnotherPileIsRefused() {
        PileOffer foreign = f.offer.toBuilder().setPileDeviceId(ByteString.copyFrom(new byte[20])).build();
        String reason = refused(f.bookingTx(f.booking().build()), Map.of(HexFormat.of().formatHex(f.offerHash), foreign));
        assertTrue(reason.contains("pile_device_id: expected " + f.pileId()), reason);
    }

    @Test
    void aWindowOutsideTheOfferIsRefused() {
        Booking b = f.booking().setWindowEnd(f.offer.getWindowEnd() + 1).build();
        assertTrue(refused(f.bookingTx(b)).startsWith("booking window: expected inside the offer's"));
        Booking empty = f.booking().setWindowEnd(f.booking().getWindowStart()).build();
        assertTrue(refused(f.bookingTx(empty)).startsWith("booking window: expected start < end"));
    }

    @Test
    void aDepositBelowTheMaximumAmountIsRefused() {
        Booking b = f.booking().setDeposit(4_999_999).build();
        assertEquals("booking deposit: expected at least max_amount 5000000, got 4999999", refused(f.bookingTx(b)));
    }

    @Test
    void aSealKeyOfTheWrongLengthIsRefused() {
        Booking b = f.booking().setDriverSealKey(ByteString.copyFrom(new byte[31])).build();
        assertTrue(refused(f.bookingTx(b)).startsWith("booking driver_seal_key: "), refused(f.bookingTx(b)));
    }

    @Test
    void aDriverPseudonymOfTheWrongLengthIsRefused() {
        Booking b = f.booking().setDriverPseudonym(ByteString.copyFrom(new byte[5])).build();
        assertEquals("booking driver_pseudonym: expected 32 bytes, got 5", refused(f.bookingTx(b)));
    }
}
