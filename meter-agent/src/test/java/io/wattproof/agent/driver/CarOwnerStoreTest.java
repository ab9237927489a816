package io.wattproof.agent.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.KeyAlgorithm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CarOwnerStoreTest {
    @TempDir
    Path dir;

    private CarOwnerStore open(boolean create) throws Exception {
        return CarOwnerStore.open(dir.resolve("owner"), null, create, KeyAlgorithm.ED25519, new SecureRandom());
    }

    @Test
    void createdOnceAndReopenedWithTheSameKeys() throws Exception {
        CarOwnerStore first = open(true);
        assertTrue(first.created());
        CarOwnerStore again = open(false);
        assertFalse(again.created());
        assertEquals(first.driverId(), again.driverId());
        assertEquals(first.sealKey().publicKey(), again.sealKey().publicKey());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("owner").resolve(
                CarOwnerStore.SEAL_KEY_FILE))));
    }

    @Test
    void aMissingFolderIsNotCreatedWhenNotAsked() {
        CarOwnerStore.StoreException e = assertThrows(CarOwnerStore.StoreException.class, () -> open(false));
        assertTrue(e.getMessage().contains("expected a car owner's key"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("owner").resolve(CarOwnerStore.SEAL_KEY_FILE)));
    }

    @Test
    void theNonceMovesOnlyForwardAndSurvivesAReopen() throws Exception {
        CarOwnerStore s = open(true);
        BookingNonces n = s.nonces();
        assertEquals(0, n.lastAccepted());
        n.accepted(1);
        n.accepted(2);
        n.accepted(1);
        assertEquals(2, n.lastAccepted());
        assertEquals(2, open(false).nonces().lastAccepted());
    }

    @Test
    void aDamagedNonceFileIsNamedAndLeftAsItIs() throws Exception {
        CarOwnerStore s = open(true);
        Path file = s.dir().resolve(CarOwnerStore.NONCE_FILE);
        Files.writeString(file, "seven\n");
        CarOwnerStore.StoreException e = assertThrows(CarOwnerStore.StoreException.class, s::nonces);
        assertEquals(file + ": expected the last accepted booking nonce (a decimal integer ≥ 0), got 'seven'", e.getMessage());
        assertEquals("seven\n", Files.readString(file));
    }

    @Test
    void aDamagedSealKeyIsNamed() throws Exception {
        open(true);
        Path file = dir.resolve("owner").resolve(CarOwnerStore.SEAL_KEY_FILE);
        Files.write(file, new byte[5]);
        CarOwnerStore.StoreException e = assertThrows(CarOwnerStore.StoreException.class, () -> open(false));
        assertTrue(e.getMessage().startsWith(file + ": X25519_HKDF_SHA256 private key: expected 32 bytes, got 5"), e.getMessage());
    }

    @Test
    void aSavedBookingRoundTrips() throws Exception {
        CarOwnerStore s = open(true);
        DriverData data = DriverData.commit("Erika", new SecureRandom());
        byte[] hash = new byte[32];
        hash[0] = 7;
        CarOwnerStore.SavedBooking b = new CarOwnerStore.SavedBooking(hash, DeviceId.fromHex("11".repeat(20)), new byte[32], 100, 200,
                5000, 1_500_000, 2_000_000, 3, 12, data);
        s.saveBooking(b);
        CarOwnerStore.SavedBooking back = open(false).booking(hash).orElseThrow();
        assertArrayEquals(hash, back.bookingTxHash());
        assertEquals(b.pile(), back.pile());
        assertEquals(100, back.windowStart());
        assertEquals(200, back.windowEnd());
        assertEquals(3, back.nonce());
        assertEquals(12, back.height());
        assertEquals("Erika", back.driverData().contact());
        assertArrayEquals(data.salt(), back.driverData().salt());
        assertTrue(s.booking(new byte[32]).isEmpty());
    }

    @Test
    void aDamagedSavedBookingIsNamed() throws Exception {
        CarOwnerStore s = open(true);
        byte[] hash = new byte[32];
        Path file = Files.createDirectories(s.dir().resolve(CarOwnerStore.BOOKINGS_DIR)).resolve("00".repeat(32) + ".json");
        Files.writeString(file, "{\"booking\":\"00\"}");
        CarOwnerStore.StoreException e = assertThrows(CarOwnerStore.StoreException.class, () -> s.booking(hash));
        assertEquals(file + ": booking.booking: expected 32 bytes (64 hex characters), got 1", e.getMessage());
        Files.writeString(file, "{");
        e = assertThrows(CarOwnerStore.StoreException.class, () -> s.booking(hash));
        assertTrue(e.getMessage().startsWith(file + ": expected a saved booking (JSON), got content that does not parse"), e.getMessage());
    }
}
