package io.wattproof.agent.charging;

import com.google.protobuf.ByteString;
import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyStoreFailure;
import io.wattproof.protocol.SignBytes;
import io.wattproof.protocol.v1.BodyType;
import io.wattproof.protocol.v1.Booking;
import io.wattproof.protocol.v1.ChargingSession;
import io.wattproof.protocol.v1.PileOffer;
import io.wattproof.protocol.v1.SealedData;
import io.wattproof.protocol.v1.SessionStart;
import io.wattproof.protocol.v1.SignedTx;
import io.wattproof.protocol.v1.StartRequest;
import io.wattproof.protocol.v1.StopRequest;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Builds the signed transactions of charging-pile sharing (docs/charging.md, "Who signs what"),
 * each a serialized {@code SignedTx} whose body is signed under the sign-bytes domain of its type
 * ({@code wattproof/v1/PileOffer}, {@code …/Booking}, …). Bodies signed by the pile's device key
 * carry no public key (the ledger finds it by device id, as for readings); bodies signed by the
 * car owner's key always carry it, since the ledger knows car owners only by their key; callers
 * keep the nonces: a pile's offers count 1, 2, …; a car owner's bookings 1, 2, ….
 */
public final class ChargingTransactions {
    private ChargingTransactions() {}

    /** A pile offer, signed by the pile's device key; {@code pile_device_id} is the key's id. */
    public static byte[] offer(String chainId, DeviceKey pile, long nonce, byte[] ownerPseudonym, long unitPrice, long windowStart,
                               long windowEnd, int maxPowerW) throws KeyStoreFailure {
        return signAsDevice(chainId, pile, BodyType.PILE_OFFER, PileOffer.newBuilder()
                .setPileDeviceId(ByteString.copyFrom(pile.deviceId().bytes()))
                .setOwnerPseudonym(ByteString.copyFrom(ownerPseudonym))
                .setUnitPrice(unitPrice)
                .setWindowStart(windowStart)
                .setWindowEnd(windowEnd)
                .setMaxPowerW(maxPowerW)
                .setNonce(nonce)
                .build().toByteArray());
    }

    /**
     * A booking of the offer whose transaction hash is {@code offerTxHash}, signed by the car
     * owner's key; the deposit comes from {@code driver:<key id hex>}.
     *
     * @param driverSealKey the car owner's HPKE public key, RFC 9180 serialized (X25519: 32 bytes)
     */
    public static byte[] booking(String chainId, DeviceKey driver, long nonce, byte[] offerTxHash, byte[] driverPseudonym,
                                 long maxEnergyWh, long maxAmount, long windowStart, long windowEnd, long deposit,
                                 byte[] driverSealKey) throws KeyStoreFailure {
        return signWithKey(chainId, driver, BodyType.BOOKING, Booking.newBuilder()
                .setOfferTxHash(ByteString.copyFrom(offerTxHash))
                .setDriverPseudonym(ByteString.copyFrom(driverPseudonym))
                .setMaxEnergyWh(maxEnergyWh)
                .setMaxAmount(maxAmount)
                .setWindowStart(windowStart)
                .setWindowEnd(windowEnd)
                .setDeposit(deposit)
                .setNonce(nonce)
                .setDriverSealKey(ByteString.copyFrom(driverSealKey))
                .build().toByteArray());
    }

    /** The car owner's request to start, signed by the booking's key (MQTT; rides on in a SessionStart). */
    public static byte[] startRequest(String chainId, DeviceKey driver, byte[] bookingTxHash, DeviceId pile, long requestedAt)
            throws KeyStoreFailure {
        return startRequest(chainId, driver, bookingTxHash, pile, requestedAt, null);
    }

    /** As above, with the car owner's data sealed to the pile (docs/sealing.md); null for none. */
    public static byte[] startRequest(String chainId, DeviceKey driver, byte[] bookingTxHash, DeviceId pile, long requestedAt,
                                      SealedData driverData) throws KeyStoreFailure {
        StartRequest.Builder b = StartRequest.newBuilder()
                .setBookingTxHash(ByteString.copyFrom(bookingTxHash))
                .setPileDeviceId(ByteString.copyFrom(pile.bytes()))
                .setRequestedAt(requestedAt);
        if (driverData != null) {
            b.setDriverData(driverData);
        }
        return signWithKey(chainId, driver, BodyType.START_REQUEST, b.build().toByteArray());
    }

    /** The car owner's request to stop, signed by the booking's key (MQTT only). */
    public static byte[] stopRequest(String chainId, DeviceKey driver, byte[] bookingTxHash, DeviceId pile, long requestedAt)
            throws KeyStoreFailure {
        return signWithKey(chainId, driver, BodyType.STOP_REQUEST, StopRequest.newBuilder()
                .setBookingTxHash(ByteString.copyFrom(bookingTxHash))
                .setPileDeviceId(ByteString.copyFrom(pile.bytes()))
                .setRequestedAt(requestedAt)
                .build().toByteArray());
    }

    /**
     * The pile's report that a booked session started, signed by the pile's device key, carrying
     * the car owner's {@code startRequest} (a serialized SignedTx) exactly as received.
     */
    public static byte[] sessionStart(String chainId, DeviceKey pile, byte[] bookingTxHash, long startTime, long startImportWh,
                                      byte[] startRequest) throws KeyStoreFailure {
        return signAsDevice(chainId, pile, BodyType.SESSION_START, SessionStart.newBuilder()
                .setBookingTxHash(ByteString.copyFrom(bookingTxHash))
                .setPileDeviceId(ByteString.copyFrom(pile.deviceId().bytes()))
                .setStartTime(startTime)
                .setStartImportWh(startImportWh)
                .setStartRequest(ByteString.copyFrom(startRequest))
                .build().toByteArray());
    }

    /**
     * A ChargingSession record of the pile's chain, signed by the pile's device key; the caller
     * sets its sequence and {@code previous_hash} as for the pile's readings.
     */
    public static byte[] session(String chainId, DeviceKey pile, ChargingSession session) throws KeyStoreFailure {
        return signAsDevice(chainId, pile, BodyType.CHARGING_SESSION, session.toByteArray());
    }

    /** The name of a transaction on the ledger: SHA-256 of its bytes (CometBFT's tx hash). */
    public static byte[] txHash(byte[] tx) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(tx);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    /** The car owner's account on the ledger: {@code driver:} + its key id in lowercase hex. */
    public static String driverAccount(DeviceId driver) {
        return "driver:" + driver.hex();
    }

    /**
     * The record hash of a body in a device's chain (SHA-256 over its sign-bytes): the next record's
     * {@code previous_hash}.
     */
    public static byte[] recordHash(String chainId, byte[] signedTx) {
        try {
            SignedTx tx = SignedTx.parseFrom(signedTx);
            return SignBytes.recordHash(SignBytes.of(tx.getBodyType(), chainId, tx.getBody().toByteArray()));
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("signed tx: expected a serialized SignedTx, got " + signedTx.length + " bytes", e);
        }
    }

    private static byte[] signAsDevice(String chainId, DeviceKey key, BodyType type, byte[] body) throws KeyStoreFailure {
        return SignedTx.newBuilder()
                .setBodyType(type)
                .setBody(ByteString.copyFrom(body))
                .setKeyAlgorithmValue(key.algorithm().wireNumber())
                .setSignature(ByteString.copyFrom(key.sign(SignBytes.of(type, chainId, body))))
                .build().toByteArray();
    }

    /** Signed, with the key in the envelope: the ledger knows a car owner only by its key. */
    private static byte[] signWithKey(String chainId, DeviceKey key, BodyType type, byte[] body) throws KeyStoreFailure {
        return SignedTx.newBuilder()
                .setBodyType(type)
                .setBody(ByteString.copyFrom(body))
                .setKeyAlgorithmValue(key.algorithm().wireNumber())
                .setPublicKey(ByteString.copyFrom(key.publicKeyInfo()))
                .setSignature(ByteString.copyFrom(key.sign(SignBytes.of(type, chainId, body))))
                .build().toByteArray();
    }
}
