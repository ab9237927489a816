package io.wattproof.agent.charging;

import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.VerifyingKey;
import io.wattproof.protocol.v1.Booking;
import io.wattproof.protocol.v1.PileOffer;
import java.time.Instant;
import java.util.HexFormat;

/**
 * A booking of one of this pile's offers, included on the ledger (checked by the ledger follower)
 * and checked by {@link BookingCheck}. Only a value of this type lets the controller close the
 * relay.
 *
 * @param bookingTxHash SHA-256 of the booking's SignedTx bytes (its CometBFT tx hash), 32 bytes
 * @param driverKey the car owner's key from {@code SignedTx.public_key}; start and stop requests
 *     must be signed by it
 * @param unitPrice the offer's price, micro-units per kWh
 */
public record VerifiedBooking(byte[] bookingTxHash, Booking booking, PileOffer offer, VerifyingKey driverKey, long unitPrice) {
    public VerifiedBooking {
        bookingTxHash = bookingTxHash.clone();
    }

    @Override
    public byte[] bookingTxHash() {
        return bookingTxHash.clone();
    }

    public String bookingHashHex() {
        return HexFormat.of().formatHex(bookingTxHash);
    }

    /** DER SubjectPublicKeyInfo of the car owner's key. */
    public byte[] driverPublicKeyInfo() {
        return driverKey.subjectPublicKeyInfo();
    }

    public KeyAlgorithm driverAlgorithm() {
        return driverKey.algorithm();
    }

    /** The car owner's pseudonymous id on the ledger: first 20 bytes of SHA-256 of its DER key. */
    public DeviceId driverId() {
        return driverKey.deviceId();
    }

    public Instant windowStart() {
        return Instant.ofEpochSecond(booking.getWindowStart());
    }

    public Instant windowEnd() {
        return Instant.ofEpochSecond(booking.getWindowEnd());
    }

    /** Whether {@code now} lies in the booked window [start, end). */
    public boolean isInWindow(Instant now) {
        return !now.isBefore(windowStart()) && now.isBefore(windowEnd());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VerifiedBooking b && java.util.Arrays.equals(bookingTxHash, b.bookingTxHash);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(bookingTxHash);
    }

    @Override
    public String toString() {
        return "VerifiedBooking[" + bookingHashHex() + ", driver " + driverId() + "]";
    }
}
