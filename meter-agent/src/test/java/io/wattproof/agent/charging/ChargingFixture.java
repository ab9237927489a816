package io.wattproof.agent.charging;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.wattproof.agent.TestDeviceKey;
import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.seal.Kem;
import io.wattproof.crypto.seal.RecipientKeyPair;
import io.wattproof.protocol.SignBytes;
import io.wattproof.protocol.v1.BodyType;
import io.wattproof.protocol.v1.Booking;
import io.wattproof.protocol.v1.KeyAlgorithm;
import io.wattproof.protocol.v1.PileOffer;
import io.wattproof.protocol.v1.SealedData;
import io.wattproof.protocol.v1.SignedTx;
import io.wattproof.protocol.v1.StartRequest;
import io.wattproof.protocol.v1.StopRequest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

/** A pile, its offer, a car owner and their signed messages, for the charging tests. */
final class ChargingFixture {
    static final String CHAIN = "wattproof-sim";
    /** The offer's window: [T0, T0 + 10 h); the booking's: [T0 + 1 h, T0 + 3 h). */
    static final Instant T0 = Instant.parse("2026-11-27T08:00:00Z");
    static final Instant BOOKED_START = T0.plusSeconds(3600);
    static final Instant BOOKED_END = T0.plusSeconds(3 * 3600);
    static final long PRICE = 300_000; // micro-units per kWh
    static final SecureRandom RANDOM = new SecureRandom();

    final DeviceKey pile = new TestDeviceKey();
    final DeviceKey driver = new TestDeviceKey();
    final RecipientKeyPair driverSeal = RecipientKeyPair.generate(Kem.X25519_HKDF_SHA256, RANDOM);
    final PileOffer offer;
    final byte[] offerTx;
    final byte[] offerHash;

    ChargingFixture() {
        offer = PileOffer.newBuilder()
                .setPileDeviceId(ByteString.copyFrom(pileId().bytes()))
                .setOwnerPseudonym(ByteString.copyFrom(new byte[32]))
                .setUnitPrice(PRICE)
                .setWindowStart(T0.getEpochSecond())
                .setWindowEnd(T0.plusSeconds(10 * 3600).getEpochSecond())
                .setMaxPowerW(11_000)
                .setNonce(1)
                .build();
        offerTx = sign(pile, BodyType.PILE_OFFER, offer, true);
        offerHash = ChargingTransactions.txHash(offerTx);
    }

    DeviceId pileId() {
        return pile.deviceId();
    }

    Map<String, PileOffer> offers() {
        return Map.of(HexFormat.of().formatHex(offerHash), offer);
    }

    Booking.Builder booking() {
        byte[] pseudonym = new byte[32];
        pseudonym[0] = 7;
        return Booking.newBuilder()
                .setOfferTxHash(ByteString.copyFrom(offerHash))
                .setDriverPseudonym(ByteString.copyFrom(pseudonym))
                .setMaxEnergyWh(20_000)
                .setMaxAmount(5_000_000)
                .setWindowStart(BOOKED_START.getEpochSecond())
                .setWindowEnd(BOOKED_END.getEpochSecond())
                .setDeposit(5_000_000)
                .setNonce(1)
                .setDriverSealKey(ByteString.copyFrom(driverSeal.publicKey().encoded()));
    }

    byte[] bookingTx(Booking b) {
        return sign(driver, BodyType.BOOKING, b, true);
    }

    VerifiedBooking verified(Booking b) {
        BookingVerdict v = new BookingCheck(CHAIN, pileId()).check(bookingTx(b), offers());
        if (v instanceof BookingVerdict.Verified ok) {
            return ok.booking();
        }
        throw new AssertionError(v);
    }

    VerifiedBooking verified() {
        return verified(booking().build());
    }

    byte[] start(VerifiedBooking b, Instant at) {
        return start(driver, b.bookingTxHash(), pileId(), at, null);
    }

    byte[] start(DeviceKey signer, byte[] bookingHash, DeviceId pileId, Instant at, SealedData driverData) {
        StartRequest.Builder r = StartRequest.newBuilder()
                .setBookingTxHash(ByteString.copyFrom(bookingHash))
                .setPileDeviceId(ByteString.copyFrom(pileId.bytes()))
                .setRequestedAt(at.getEpochSecond());
        if (driverData != null) {
            r.setDriverData(driverData);
        }
        return sign(signer, BodyType.START_REQUEST, r.build(), false);
    }

    byte[] stop(VerifiedBooking b, Instant at) {
        return stop(driver, b.bookingTxHash(), at);
    }

    byte[] stop(DeviceKey signer, byte[] bookingHash, Instant at) {
        return sign(signer, BodyType.STOP_REQUEST, StopRequest.newBuilder()
                .setBookingTxHash(ByteString.copyFrom(bookingHash))
                .setPileDeviceId(ByteString.copyFrom(pileId().bytes()))
                .setRequestedAt(at.getEpochSecond())
                .build(), false);
    }

    static byte[] sign(DeviceKey key, BodyType type, Message body, boolean withKey) {
        return sign(key, type, body, withKey, CHAIN);
    }

    static byte[] sign(DeviceKey key, BodyType type, Message body, boolean withKey, String chain) {
        byte[] bytes = body.toByteArray();
        try {
            SignedTx.Builder tx = SignedTx.newBuilder()
                    .setBodyType(type)
                    .setBody(ByteString.copyFrom(bytes))
                    .setKeyAlgorithm(KeyAlgorithm.forNumber(key.algorithm().wireNumber()))
                    .setSignature(ByteString.copyFrom(key.sign(SignBytes.of(type, chain, bytes))));
            if (withKey) {
                tx.setPublicKey(ByteString.copyFrom(key.publicKeyInfo()));
            }
            return tx.build().toByteArray();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
