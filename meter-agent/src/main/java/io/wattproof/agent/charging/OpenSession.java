package io.wattproof.agent.charging;

import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * What a pile must remember of a running session to close it after a power cut
 * (docs/charging.md, "The pile's controller"): enough to build the ChargingSession record with the
 * last register it knew. Written by {@link SessionStateFile}.
 *
 * @param bookingTxHash the booking, 32 bytes
 * @param ownerPseudonym from the offer, 32 bytes
 * @param driverPseudonym from the booking, 32 bytes
 * @param driverSealKey the car owner's HPKE key from the booking
 * @param startRequest the car owner's StartRequest (SignedTx bytes) as received, for its sealed
 *     driver data
 * @param startTime when the start register was read (whole seconds on the wire)
 * @param startImportWh the start register, Wh
 * @param lastSampleAt when {@code lastImportWh} was read
 * @param lastImportWh the last register known, Wh
 */
public record OpenSession(byte[] bookingTxHash, byte[] ownerPseudonym, byte[] driverPseudonym, byte[] driverSealKey,
        byte[] startRequest, Instant startTime, long startImportWh, Instant lastSampleAt, long lastImportWh) {
    public OpenSession {
        bookingTxHash = bookingTxHash.clone();
        ownerPseudonym = ownerPseudonym.clone();
        driverPseudonym = driverPseudonym.clone();
        driverSealKey = driverSealKey.clone();
        startRequest = startRequest.clone();
        if (lastImportWh < startImportWh) {
            throw new IllegalArgumentException("last import register: expected ≥ start " + startImportWh + " Wh, got " + lastImportWh);
        }
        if (lastSampleAt.isBefore(startTime)) {
            throw new IllegalArgumentException("last sample time: expected ≥ start " + startTime + ", got " + lastSampleAt);
        }
    }

    OpenSession withLast(Instant at, long importWh) {
        return new OpenSession(bookingTxHash, ownerPseudonym, driverPseudonym, driverSealKey, startRequest, startTime,
                startImportWh, at, importWh);
    }

    @Override
    public byte[] bookingTxHash() {
        return bookingTxHash.clone();
    }

    @Override
    public byte[] ownerPseudonym() {
        return ownerPseudonym.clone();
    }

    @Override
    public byte[] driverPseudonym() {
        return driverPseudonym.clone();
    }

    @Override
    public byte[] driverSealKey() {
        return driverSealKey.clone();
    }

    @Override
    public byte[] startRequest() {
        return startRequest.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OpenSession s && Arrays.equals(bookingTxHash, s.bookingTxHash)
                && Arrays.equals(ownerPseudonym, s.ownerPseudonym) && Arrays.equals(driverPseudonym, s.driverPseudonym)
                && Arrays.equals(driverSealKey, s.driverSealKey) && Arrays.equals(startRequest, s.startRequest)
                && startTime.equals(s.startTime) && startImportWh == s.startImportWh && lastSampleAt.equals(s.lastSampleAt)
                && lastImportWh == s.lastImportWh;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bookingTxHash) * 31 + Long.hashCode(lastImportWh);
    }

    @Override
    public String toString() {
        return "OpenSession[booking " + HexFormat.of().formatHex(bookingTxHash) + ", start " + startTime + " " + startImportWh
                + " Wh, last " + lastSampleAt + " " + lastImportWh + " Wh]";
    }
}
