package io.wattproof.agent.charging;

import com.google.protobuf.InvalidProtocolBufferException;
import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.PublicKeys;
import io.wattproof.crypto.VerifyingKey;
import io.wattproof.crypto.seal.Kem;
import io.wattproof.crypto.seal.RecipientPublicKey;
import io.wattproof.protocol.SignBytes;
import io.wattproof.protocol.v1.BodyType;
import io.wattproof.protocol.v1.Booking;
import io.wattproof.protocol.v1.PileOffer;
import io.wattproof.protocol.v1.SignedTx;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;

/**
 * What the pile checks itself of a booking whose inclusion and result the ledger follower has
 * already verified (docs/charging.md, "How the pile learns of a booking"): the ledger applied the
 * same rules, but the pile switches its relay on this booking, so it trusts no one's word that
 * they hold. Pure: bytes and the pile's own offers in, a verdict out.
 */
public final class BookingCheck {
    private static final int HASH_LENGTH = 32;
    private final String chainId;
    private final DeviceId pileId;

    public BookingCheck(String chainId, DeviceId pileId) {
        this.chainId = SignBytes.checkChainId(chainId);
        this.pileId = pileId;
    }

    /**
     * @param bookingTx the SignedTx bytes exactly as included (a receipt's {@code proof.data})
     * @param ownOffers this pile's offers on the ledger, by their tx hash in lowercase hex
     */
    public BookingVerdict check(byte[] bookingTx, Map<String, PileOffer> ownOffers) {
        SignedTx tx;
        switch (SignedBodies.parse(bookingTx, BodyType.BOOKING)) {
            case SignedBodies.Parsed.Bad bad -> {
                return new BookingVerdict.Refused(bad.reason());
            }
            case SignedBodies.Parsed.Ok ok -> tx = ok.tx();
        }
        if (tx.getPublicKey().isEmpty()) {
            return new BookingVerdict.Refused("booking public_key: expected the car owner's DER key (docs/charging.md), got none");
        }
        VerifyingKey driverKey;
        try {
            driverKey = PublicKeys.fromSubjectPublicKeyInfo(tx.getPublicKey().toByteArray());
        } catch (IllegalArgumentException e) {
            return new BookingVerdict.Refused("booking public_key: " + e.getMessage());
        }
        String badSignature = SignedBodies.checkSignature(tx, driverKey, chainId);
        if (badSignature != null) {
            return new BookingVerdict.Refused("booking " + badSignature);
        }
        Booking booking;
        try {
            booking = Booking.parseFrom(tx.getBody());
        } catch (InvalidProtocolBufferException e) {
            return new BookingVerdict.Refused("booking body: expected a wattproof.v1.Booking, got bytes that do not parse: " + e.getMessage());
        }
        byte[] offerHash = booking.getOfferTxHash().toByteArray();
        if (offerHash.length != HASH_LENGTH) {
            return new BookingVerdict.Refused("booking offer_tx_hash: expected " + HASH_LENGTH + " bytes, got " + offerHash.length);
        }
        String offerHex = HexFormat.of().formatHex(offerHash);
        PileOffer offer = ownOffers.get(offerHex);
        if (offer == null) {
            return new BookingVerdict.Refused("booking offer_tx_hash: expected one of this pile's " + ownOffers.size() + " offers, got " + offerHex);
        }
        if (!Arrays.equals(offer.getPileDeviceId().toByteArray(), pileId.bytes())) {
            return new BookingVerdict.Refused("offer " + offerHex + " pile_device_id: expected " + pileId + ", got "
                    + HexFormat.of().formatHex(offer.getPileDeviceId().toByteArray()));
        }
        if (booking.getWindowStart() >= booking.getWindowEnd()) {
            return new BookingVerdict.Refused("booking window: expected start < end, got [" + booking.getWindowStart() + ", "
                    + booking.getWindowEnd() + ")");
        }
        if (booking.getWindowStart() < offer.getWindowStart() || booking.getWindowEnd() > offer.getWindowEnd()) {
            return new BookingVerdict.Refused("booking window: expected inside the offer's [" + offer.getWindowStart() + ", "
                    + offer.getWindowEnd() + "), got [" + booking.getWindowStart() + ", " + booking.getWindowEnd() + ")");
        }
        // Unsigned comparison: both are uint64 on the wire.
        if (Long.compareUnsigned(booking.getDeposit(), booking.getMaxAmount()) < 0) {
            return new BookingVerdict.Refused("booking deposit: expected at least max_amount " + Long.toUnsignedString(booking.getMaxAmount())
                    + ", got " + Long.toUnsignedString(booking.getDeposit()));
        }
        if (booking.getMaxEnergyWh() <= 0 || booking.getMaxAmount() <= 0) {
            return new BookingVerdict.Refused("booking limits: expected max_energy_wh and max_amount in 1.." + Long.MAX_VALUE + ", got "
                    + Long.toUnsignedString(booking.getMaxEnergyWh()) + " and " + Long.toUnsignedString(booking.getMaxAmount()));
        }
        if (offer.getUnitPrice() <= 0) {
            return new BookingVerdict.Refused("offer unit_price: expected 1.." + Long.MAX_VALUE + ", got " + Long.toUnsignedString(offer.getUnitPrice()));
        }
        if (booking.getDriverPseudonym().size() != HASH_LENGTH) {
            return new BookingVerdict.Refused("booking driver_pseudonym: expected " + HASH_LENGTH + " bytes, got " + booking.getDriverPseudonym().size());
        }
        byte[] sealKey = booking.getDriverSealKey().toByteArray();
        try {
            // The session's personal data is sealed to this key with X25519 (docs/sealing.md); a
            // key that does not parse would make the session record unsealable at its end.
            RecipientPublicKey.of(Kem.X25519_HKDF_SHA256, sealKey);
        } catch (IllegalArgumentException e) {
            return new BookingVerdict.Refused("booking driver_seal_key: " + e.getMessage());
        }
        return new BookingVerdict.Verified(new VerifiedBooking(ChargingTransactions.txHash(bookingTx), booking, offer, driverKey, offer.getUnitPrice()));
    }
}
