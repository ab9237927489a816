package io.wattproof.agent.charging;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.seal.Kem;
import io.wattproof.crypto.seal.OpenResult;
import io.wattproof.crypto.seal.RecipientKeyPair;
import io.wattproof.crypto.seal.RecipientPublicKey;
import io.wattproof.crypto.seal.SealContext;
import io.wattproof.crypto.seal.SealedRecord;
import io.wattproof.crypto.seal.Sealing;
import io.wattproof.crypto.seal.Suite;
import io.wattproof.protocol.v1.SealedData;
import io.wattproof.protocol.v1.SealedKey;
import io.wattproof.protocol.v1.SignedTx;
import io.wattproof.protocol.v1.StartRequest;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * Seals a session's personal data to the car owner ({@code Booking.driver_seal_key}), the pile
 * owner and the supervisor (docs/sealing.md, docs/charging.md "The pile's controller").
 *
 * <p>The payload, big-endian:
 *
 * <pre>
 *   u8 version=1
 *   u16 len ‖ owner identity (the pile owner's contact, from configuration)
 *   u16 len ‖ owner salt (opens the offer's owner_pseudonym, PartyPseudonyms)
 *   u8 driver data status: 0 none sent, 1 opened, 2 sent but not openable with the pile's key
 *   u32 len ‖ driver data (the car owner's plaintext as opened, else empty)
 * </pre>
 *
 * The car owner's data arrives in {@code StartRequest.driver_data}, sealed to the pile's HPKE key
 * under purpose {@value #DRIVER_DATA_PURPOSE} and record id = the booking's tx hash; it carries the
 * salt of the booking's driver_pseudonym in whatever form the car owner's side chose.
 */
public final class SessionSealer {
    public static final String SESSION_PURPOSE = "wattproof/v1/ChargingSession";
    public static final String DRIVER_DATA_PURPOSE = "wattproof/v1/StartRequest";
    static final int VERSION = 1;

    private final Suite suite;
    private final RecipientKeyPair pileKey;
    private final RecipientPublicKey ownerKey;
    private final RecipientPublicKey supervisorKey;
    private final byte[] ownerIdentity;
    private final byte[] ownerSalt;
    private final SecureRandom random;

    public SessionSealer(Suite suite, RecipientKeyPair pileKey, RecipientPublicKey ownerKey, RecipientPublicKey supervisorKey,
            byte[] ownerIdentity, byte[] ownerSalt, SecureRandom random) {
        if (suite.kem() != Kem.X25519_HKDF_SHA256) {
            throw new IllegalArgumentException("suite kem: expected X25519 (the car owner's driver_seal_key is X25519), got " + suite.kem());
        }
        if (ownerIdentity.length > 0xffff || ownerSalt.length > 0xffff) {
            throw new IllegalArgumentException("owner identity and salt: expected ≤ 65535 bytes each, got "
                    + ownerIdentity.length + " and " + ownerSalt.length);
        }
        this.suite = suite;
        this.pileKey = pileKey;
        this.ownerKey = ownerKey;
        this.supervisorKey = supervisorKey;
        this.ownerIdentity = ownerIdentity.clone();
        this.ownerSalt = ownerSalt.clone();
        this.random = random;
    }

    /** Seal context of a session record: record id = device_id ‖ sequence (u64 big-endian). */
    public static SealContext sessionContext(DeviceId pile, long sequence) {
        return new SealContext(SESSION_PURPOSE, ByteBuffer.allocate(DeviceId.LENGTH + 8).put(pile.bytes()).putLong(sequence).array());
    }

    public static SealContext driverDataContext(byte[] bookingTxHash) {
        return new SealContext(DRIVER_DATA_PURPOSE, bookingTxHash);
    }

    /**
     * @throws IllegalArgumentException if the booking's driver_seal_key is not an X25519 key (a
     *     verified booking's always is) or the car owner's key equals another recipient's
     */
    public SealedData seal(ClosedSession closed, DeviceId pile, long sequence) {
        OpenSession s = closed.session();
        byte[] driverData = new byte[0];
        int status = 0;
        StartRequest request = startRequest(s.startRequest());
        if (request != null && request.hasDriverData()) {
            OpenResult r = Sealing.open(fromWire(request.getDriverData()), pileKey, driverDataContext(s.bookingTxHash()));
            if (r instanceof OpenResult.Opened o) {
                driverData = o.plaintext();
                status = 1;
            } else {
                status = 2;
            }
        }
        ByteBuffer payload = ByteBuffer.allocate(1 + 2 + ownerIdentity.length + 2 + ownerSalt.length + 1 + 4 + driverData.length);
        payload.put((byte) VERSION)
                .putShort((short) ownerIdentity.length).put(ownerIdentity)
                .putShort((short) ownerSalt.length).put(ownerSalt)
                .put((byte) status)
                .putInt(driverData.length).put(driverData);
        List<RecipientPublicKey> recipients = List.of(RecipientPublicKey.of(Kem.X25519_HKDF_SHA256, s.driverSealKey()), ownerKey, supervisorKey);
        return toWire(Sealing.seal(suite, recipients, sessionContext(pile, sequence), payload.array(), random));
    }

    private static StartRequest startRequest(byte[] signedTx) {
        try {
            return StartRequest.parseFrom(SignedTx.parseFrom(signedTx).getBody());
        } catch (InvalidProtocolBufferException e) {
            return null;
        }
    }

    /** Field for field, docs/sealing.md "Wire mapping". */
    public static SealedData toWire(SealedRecord r) {
        SealedData.Builder b = SealedData.newBuilder().setKemId(r.kemId()).setKdfId(r.kdfId()).setAeadId(r.aeadId())
                .setCiphertext(ByteString.copyFrom(r.ciphertext()));
        for (SealedRecord.Recipient k : r.recipients()) {
            b.addRecipients(SealedKey.newBuilder().setRecipientKeyId(ByteString.copyFrom(k.keyId()))
                    .setEnc(ByteString.copyFrom(k.enc())).setWrappedKey(ByteString.copyFrom(k.wrappedKey())));
        }
        return b.build();
    }

    /** As received, unchecked: {@link Sealing#open} reports what is wrong with it. */
    public static SealedRecord fromWire(SealedData d) {
        List<SealedRecord.Recipient> rs = new ArrayList<>();
        for (SealedKey k : d.getRecipientsList()) {
            rs.add(new SealedRecord.Recipient(k.getRecipientKeyId().toByteArray(), k.getEnc().toByteArray(), k.getWrappedKey().toByteArray()));
        }
        return new SealedRecord(d.getKemId(), d.getKdfId(), d.getAeadId(), rs, d.getCiphertext().toByteArray());
    }
}
