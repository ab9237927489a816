package io.wattproof.crypto.atecc608;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.PublicKeys;
import io.wattproof.crypto.SignatureCheck;
import io.wattproof.crypto.Signatures;
import io.wattproof.crypto.VerifyingKey;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.junit.jupiter.api.Test;

class Atecc608KeyStoreTest {
    private static final BigInteger HALF_N = ECNamedDomainParameters.lookup(SECObjectIdentifiers.secp256r1).getN().shiftRight(1);
    private final Atecc608I2cDouble chip = Atecc608I2cDouble.personalised();
    private final Atecc608Driver driver = new Atecc608Driver(chip, 0x60, chip.pause());

    @Test
    void createdKeySignsLowSSignaturesThatVerifyThroughThePublicKeyPath() throws Exception {
        DeviceKey key = Atecc608KeyStore.create(driver, 0, false);
        assertEquals(KeyAlgorithm.ECDSA_P256_SHA256, key.algorithm());
        assertArrayEquals(Atecc608KeyStore.subjectPublicKeyInfo(chip.slotPublicKey(0)), key.publicKeyInfo());
        VerifyingKey verifier = PublicKeys.fromSubjectPublicKeyInfo(key.publicKeyInfo());
        for (int i = 0; i < 24; i++) {
            byte[] message = ("interval " + i).getBytes(StandardCharsets.UTF_8);
            byte[] signature = key.sign(message);
            assertTrue(Signatures.isLowS(signature));
            assertEquals(SignatureCheck.Valid.class, verifier.check(message, signature).getClass(), "signature " + i);
            assertFalse(verifier.check("other".getBytes(StandardCharsets.UTF_8), signature).isValid());
        }
    }

    @Test
    void theChipReturnsBothHalvesOfSSoNormalisationIsNeeded() throws Exception {
        driver.genKeyCreate(0);
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(new byte[] {1});
        boolean sawHigh = false;
        for (int i = 0; i < 32 && !sawHigh; i++) {
            byte[] raw = driver.signDigest(0, digest);
            sawHigh = new BigInteger(1, raw, 32, 32).compareTo(HALF_N) > 0;
        }
        assertTrue(sawHigh, "32 raw signatures, all low-s: the double would not exercise normalisation");
    }

    @Test
    void openFindsTheSameKey() throws Exception {
        DeviceKey created = Atecc608KeyStore.create(driver, 1, false);
        DeviceKey opened = Atecc608KeyStore.open(driver, 1);
        assertEquals(created.deviceId(), opened.deviceId());
        byte[] message = "m".getBytes(StandardCharsets.UTF_8);
        assertTrue(created.verifyingKey().check(message, opened.sign(message)).isValid());
        assertTrue(opened.toString().contains("slot=1"));
    }

    @Test
    void anExistingKeyIsNotReplaced() throws Exception {
        DeviceKey first = Atecc608KeyStore.create(driver, 0, false);
        byte[] before = chip.slotPublicKey(0);
        Atecc608Failure.KeyExists e = assertThrows(Atecc608Failure.KeyExists.class, () -> Atecc608KeyStore.create(driver, 0, false));
        assertTrue(e.getMessage().contains("slot 0: expected no key, found one"), e.getMessage());
        assertArrayEquals(before, chip.slotPublicKey(0));
        assertEquals(first.deviceId(), Atecc608KeyStore.open(driver, 0).deviceId());
    }

    @Test
    void anExistingKeyIsReplacedWhenAsked() throws Exception {
        DeviceKey first = Atecc608KeyStore.create(driver, 0, false);
        DeviceKey second = Atecc608KeyStore.create(driver, 0, true);
        assertNotEquals(first.deviceId(), second.deviceId());
        assertArrayEquals(Atecc608KeyStore.subjectPublicKeyInfo(chip.slotPublicKey(0)), second.publicKeyInfo());
    }

    @Test
    void anUnlockedConfigZoneIsRefusedAndSaidSo() {
        Atecc608I2cDouble blank = Atecc608I2cDouble.unlocked();
        Atecc608Driver d = new Atecc608Driver(blank, 0x60, blank.pause());
        Atecc608Failure.ConfigNotLocked e = assertThrows(Atecc608Failure.ConfigNotLocked.class, () -> Atecc608KeyStore.create(d, 0, false));
        assertTrue(e.getMessage().contains("config zone: expected locked (LockConfig, config byte 87, = 0x00), found 0x55 (unlocked)"),
                e.getMessage());
        assertThrows(Atecc608Failure.ConfigNotLocked.class, () -> Atecc608KeyStore.open(d, 0));
        assertEquals(null, blank.slotPublicKey(0));
    }

    @Test
    void openingAnEmptySlotSaysThereIsNoKey() {
        Atecc608Failure.NoKey e = assertThrows(Atecc608Failure.NoKey.class, () -> Atecc608KeyStore.open(driver, 4));
        assertTrue(e.getMessage().contains("slot 4: expected a p-256 private key, found none"), e.getMessage());
    }

    @Test
    void aDataSlotIsRefused() {
        Atecc608Failure.SlotNotP256 e = assertThrows(Atecc608Failure.SlotNotP256.class, () -> Atecc608KeyStore.create(driver, 9, false));
        assertTrue(e.getMessage().contains("found 0x001c"), e.getMessage());
    }

    @Test
    void aDamagedGenKeyAnswerFallsBackToTheKeyThatWasMade() throws Exception {
        chip.corruptNextSuccessOf(Opcode.GENKEY);
        DeviceKey key = Atecc608KeyStore.create(driver, 5, false);
        assertArrayEquals(Atecc608KeyStore.subjectPublicKeyInfo(chip.slotPublicKey(5)), key.publicKeyInfo());
        // genkey create once (answer damaged), then genkey public once: no second key was made.
        assertEquals(2, chip.executed().stream().filter(op -> op == 0x40).count());
    }

    @Test
    void aGenKeyWhoseAnswerIsLostIsNotResentAndTheKeyMadeIsUsed() throws Exception {
        chip.loseNextAnswerTo(Opcode.GENKEY);
        DeviceKey key = Atecc608KeyStore.create(driver, 4, false);
        // genkey create once (no answer), then genkey public once: no second key was made.
        assertEquals(2, chip.executed().stream().filter(op -> op == 0x40).count());
        assertArrayEquals(Atecc608KeyStore.subjectPublicKeyInfo(chip.slotPublicKey(4)), key.publicKeyInfo());
    }
}
