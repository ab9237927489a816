package io.wattproof.agent.charging;

import static io.wattproof.agent.charging.ChargingFixture.RANDOM;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.wattproof.crypto.seal.Kem;
import io.wattproof.crypto.seal.OpenResult;
import io.wattproof.crypto.seal.RecipientKeyPair;
import io.wattproof.crypto.seal.Sealing;
import io.wattproof.crypto.seal.Suite;
import io.wattproof.protocol.v1.ChargingSession;
import io.wattproof.protocol.v1.ChargingSession.EndReason;
import io.wattproof.protocol.v1.SealedData;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionSealerTest {
    private final ChargingFixture f = new ChargingFixture();
    private final RecipientKeyPair pileKey = RecipientKeyPair.generate(Kem.X25519_HKDF_SHA256, RANDOM);
    private final RecipientKeyPair owner = RecipientKeyPair.generate(Kem.X25519_HKDF_SHA256, RANDOM);
    private final RecipientKeyPair supervisor = RecipientKeyPair.generate(Kem.X25519_HKDF_SHA256, RANDOM);
    private final RecipientKeyPair gateway = RecipientKeyPair.generate(Kem.X25519_HKDF_SHA256, RANDOM);
    private final byte[] ownerContact = "Erika Muster, erika@example.org".getBytes(StandardCharsets.UTF_8);
    private final byte[] ownerSalt = new byte[32];
    private final SessionSealer sealer = new SessionSealer(Suite.X25519_AES_128_GCM, pileKey, owner.publicKey(), supervisor.publicKey(),
            ownerContact, ownerSalt, RANDOM);
    private final VerifiedBooking booking = f.verified();
    private final byte[] driverData = "driver: Max, plate B-XY 123, salt ...".getBytes(StandardCharsets.UTF_8);

    private ClosedSession closed(byte[] startRequest) {
        Instant t = ChargingFixture.BOOKED_START.plusSeconds(60);
        OpenSession open = new OpenSession(booking.bookingTxHash(), new byte[32], booking.booking().getDriverPseudonym().toByteArray(),
                booking.booking().getDriverSealKey().toByteArray(), startRequest, t, 100, t.plusSeconds(600), 900);
        return new ClosedSession(open, t.plusSeconds(600), 900, EndReason.STOPPED_BY_USER);
    }

    private byte[] startWithDriverData() {
        SealedData sealed = SessionSealer.toWire(Sealing.seal(Suite.X25519_AES_128_GCM, List.of(pileKey.publicKey()),
                SessionSealer.driverDataContext(booking.bookingTxHash()), driverData, RANDOM));
        return f.start(f.driver, booking.bookingTxHash(), f.pileId(), ChargingFixture.BOOKED_START, sealed);
    }

    private static byte[] expectedPayload(byte[] contact, byte[] salt, int status, byte[] driver) {
        return ByteBuffer.allocate(1 + 2 + contact.length + 2 + salt.length + 1 + 4 + driver.length).put((byte) 1)
                .putShort((short) contact.length).put(contact).putShort((short) salt.length).put(salt)
                .put((byte) status).putInt(driver.length).put(driver).array();
    }

    @Test
    void theSupervisorOwnerAndCarOwnerOpenItAndTheGatewayCannot() {
        SealedData sealed = sealer.seal(closed(startWithDriverData()), f.pileId(), 42);
        ChargingSession record = closed(startWithDriverData()).toRecord(f.pileId(), 42, new byte[32], sealed);
        var context = SessionSealer.sessionContext(f.pileId(), 42);
        var wire = SessionSealer.fromWire(record.getSealedPersonalData());
        assertEquals(3, wire.recipients().size());
        byte[] expected = expectedPayload(ownerContact, ownerSalt, 1, driverData);
        for (RecipientKeyPair reader : List.of(supervisor, owner, f.driverSeal)) {
            assertArrayEquals(expected, assertInstanceOf(OpenResult.Opened.class, Sealing.open(wire, reader, context)).plaintext());
        }
        assertInstanceOf(OpenResult.NotARecipient.class, Sealing.open(wire, gateway, context));
        assertInstanceOf(OpenResult.NotARecipient.class, Sealing.open(wire, pileKey, context), "the pile keeps no reader's key");
        assertInstanceOf(OpenResult.Refused.class, Sealing.open(wire, supervisor, SessionSealer.sessionContext(f.pileId(), 43)),
                "bound to its place in the pile's chain");
    }

    @Test
    void wireMappingIsFieldForField() {
        var record = Sealing.seal(Suite.X25519_CHACHA20_POLY1305, List.of(owner.publicKey(), supervisor.publicKey()),
                SessionSealer.sessionContext(f.pileId(), 1), new byte[] {1, 2, 3}, RANDOM);
        SealedData wire = SessionSealer.toWire(record);
        assertEquals(0x0020, wire.getKemId());
        assertEquals(0x0001, wire.getKdfId());
        assertEquals(0x0003, wire.getAeadId());
        assertArrayEquals(record.recipients().get(1).keyId(), wire.getRecipients(1).getRecipientKeyId().toByteArray());
        assertEquals(record, SessionSealer.fromWire(wire));
    }

    @Test
    void driverDataThatDoesNotOpenIsMarkedAndLeftOut() {
        RecipientKeyPair other = RecipientKeyPair.generate(Kem.X25519_HKDF_SHA256, RANDOM);
        SealedData toSomeoneElse = SessionSealer.toWire(Sealing.seal(Suite.X25519_AES_128_GCM, List.of(other.publicKey()),
                SessionSealer.driverDataContext(booking.bookingTxHash()), driverData, RANDOM));
        byte[] start = f.start(f.driver, booking.bookingTxHash(), f.pileId(), ChargingFixture.BOOKED_START, toSomeoneElse);
        var wire = SessionSealer.fromWire(sealer.seal(closed(start), f.pileId(), 7));
        byte[] plain = assertInstanceOf(OpenResult.Opened.class, Sealing.open(wire, supervisor, SessionSealer.sessionContext(f.pileId(), 7))).plaintext();
        assertArrayEquals(expectedPayload(ownerContact, ownerSalt, 2, new byte[0]), plain);
        byte[] none = f.start(booking, ChargingFixture.BOOKED_START);
        var wire0 = SessionSealer.fromWire(sealer.seal(closed(none), f.pileId(), 8));
        assertArrayEquals(expectedPayload(ownerContact, ownerSalt, 0, new byte[0]),
                assertInstanceOf(OpenResult.Opened.class, Sealing.open(wire0, owner, SessionSealer.sessionContext(f.pileId(), 8))).plaintext());
    }

    @Test
    void theRecordCarriesTheSessionFields() {
        ClosedSession s = closed(startWithDriverData());
        ChargingSession r = s.toRecord(f.pileId(), 42, new byte[32], SealedData.getDefaultInstance());
        assertEquals(100, r.getStartImportWh());
        assertEquals(900, r.getEndImportWh());
        assertEquals(800, r.getEnergyWh());
        assertEquals(EndReason.STOPPED_BY_USER, r.getEndReason());
        assertArrayEquals(booking.bookingTxHash(), r.getContractTxHash().toByteArray());
        assertArrayEquals(booking.booking().getDriverPseudonym().toByteArray(), r.getDriverPseudonym().toByteArray());
        assertEquals(42, r.getSequence());
    }
}
