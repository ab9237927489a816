package io.wattproof.crypto.atecc608;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Atecc608DriverTest {
    private static final ECNamedDomainParameters P256 = ECNamedDomainParameters.lookup(SECObjectIdentifiers.secp256r1);
    private final Atecc608I2cDouble chip = Atecc608I2cDouble.personalised();
    private final Atecc608Driver driver = new Atecc608Driver(chip, 0x60, chip.pause());

    @Test
    void anAsleepChipIsWokenAndPutBackToSleep() throws Exception {
        assertEquals(Atecc608I2cDouble.Power.SLEEP, chip.power());
        Revision revision = driver.info();
        assertEquals(1, chip.wakes());
        assertEquals(Atecc608I2cDouble.Power.SLEEP, chip.power());
        assertTrue(revision.isAtecc608());
        assertEquals("0x00006002", revision.toString());
    }

    @Test
    void randomIsRandomOnceTheConfigIsLocked() throws Exception {
        byte[] a = driver.random();
        byte[] b = driver.random();
        assertEquals(32, a.length);
        assertFalse(Arrays.equals(a, b));
    }

    @Test
    void randomIsTheFixedPatternWhileTheConfigIsUnlocked() throws Exception {
        Atecc608I2cDouble blank = Atecc608I2cDouble.unlocked();
        byte[] r = new Atecc608Driver(blank, 0x60, blank.pause()).random();
        for (int i = 0; i < 32; i += 4) {
            assertArrayEquals(new byte[] {(byte) 0xff, (byte) 0xff, 0, 0}, Arrays.copyOfRange(r, i, i + 4));
        }
    }

    @Test
    void serialNumberComesFromConfigBytes0To3And8To12() throws Exception {
        SerialNumber sn = driver.serialNumber();
        assertArrayEquals(Atecc608I2cDouble.SERIAL_NUMBER, sn.bytes());
        assertEquals(0x01, sn.bytes()[0]);
        assertEquals(0x23, sn.bytes()[1]);
        byte[] word0 = driver.readConfigWord(0);
        assertArrayEquals(Arrays.copyOf(Atecc608I2cDouble.SERIAL_NUMBER, 4), word0);
    }

    @Test
    void lockBytesAreConfigBytes86And87() throws Exception {
        LockState locked = driver.lockState();
        assertTrue(locked.configLocked());
        assertFalse(locked.dataLocked());
        assertEquals(0x55, locked.lockValue());
        Atecc608I2cDouble blank = Atecc608I2cDouble.unlocked();
        assertFalse(new Atecc608Driver(blank, 0x60, blank.pause()).lockState().configLocked());
    }

    @Test
    void genKeyCreatesAKeyAndPublicModeReturnsTheSamePoint() throws Exception {
        byte[] created = driver.genKeyCreate(2);
        assertArrayEquals(chip.slotPublicKey(2), created);
        assertArrayEquals(created, driver.genKeyPublic(2));
        assertTrue(P256.getCurve().createPoint(new BigInteger(1, created, 0, 32), new BigInteger(1, created, 32, 32)).isValid());
    }

    @Test
    void signDigestReturnsRawRsThatVerifiesWithTheSlotKey() throws Exception {
        byte[] xy = driver.genKeyCreate(0);
        byte[] digest = MessageDigest.getInstance("SHA-256").digest("reading 42".getBytes());
        byte[] raw = driver.signDigest(0, digest);
        assertEquals(64, raw.length);
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, new ECPublicKeyParameters(P256.getCurve().createPoint(new BigInteger(1, xy, 0, 32),
                new BigInteger(1, xy, 32, 32)), P256));
        assertTrue(verifier.verifySignature(digest, new BigInteger(1, raw, 0, 32), new BigInteger(1, raw, 32, 32)));
        assertEquals(List.of(0x40, 0x16, 0x41), chip.executed());
    }

    @Test
    void aCorruptedResponseIsRejectedAndTheSessionRetried() throws Exception {
        chip.corruptNextResponses(1);
        assertEquals(4, driver.info().bytes().length);
        assertEquals(2, chip.wakes(), "one wake per attempt");
    }

    @Test
    void aCorruptedWakeResponseIsRetried() throws Exception {
        chip.corruptNextResponses(1);
        driver.info();
        assertEquals(2, chip.wakes());
    }

    @Test
    void persistentWakeCorruptionGivesUpAfterBoundedAttempts() {
        chip.corruptNextResponses(100);
        Atecc608Failure.WakeFailed e = assertThrows(Atecc608Failure.WakeFailed.class, driver::info);
        assertTrue(e.getMessage().contains("expected the wake response 0x04113343, found 0x04103343"), e.getMessage());
        assertEquals(Atecc608Driver.MAX_ATTEMPTS, chip.wakes());
    }

    @Test
    void persistentResponseCorruptionEndsInCorruptResponseNotData() {
        chip.corruptNextCommandResponses(100);
        Atecc608Failure.CorruptResponse e = assertThrows(Atecc608Failure.CorruptResponse.class, driver::random);
        assertTrue(e.getMessage().contains("RANDOM: response crc: expected 0x"), e.getMessage());
        assertEquals(Atecc608Driver.MAX_ATTEMPTS, chip.wakes());
    }

    @Test
    void aCorruptedSignatureIsRetriedFromTheNonce() throws Exception {
        driver.genKeyCreate(0);
        chip.corruptNextSuccessOf(Opcode.SIGN);
        byte[] raw = driver.signDigest(0, new byte[32]);
        assertEquals(64, raw.length);
        // Sign consumed TempKey, so the retry starts again with the nonce.
        assertEquals(List.of(0x40, 0x16, 0x41, 0x16, 0x41), chip.executed());
    }

    @ParameterizedTest
    @ValueSource(ints = {0xFF, 0xEE, 0x11, 0x05})
    void transientStatusesAreRetried(int status) throws Exception {
        chip.answerNextCommandsWith(status, 1);
        assertTrue(driver.info().isAtecc608());
        assertEquals(2, chip.wakes());
    }

    @Test
    void aTransientStatusThatPersistsIsReportedWithItsCode() {
        chip.answerNextCommandsWith(0xFF, Atecc608Driver.MAX_ATTEMPTS);
        Atecc608Failure.StatusError e = assertThrows(Atecc608Failure.StatusError.class, driver::random);
        assertEquals(Status.COMMUNICATION_ERROR, e.status());
        assertEquals(0xFF, e.code());
        assertTrue(e.getMessage().contains("got 0xff (crc or communication error"), e.getMessage());
        assertEquals(Atecc608Driver.MAX_ATTEMPTS, chip.wakes());
    }

    @ParameterizedTest
    @ValueSource(ints = {0x01, 0x03, 0x07, 0x08, 0x0F})
    void permanentStatusesAreMappedAndNotRetried(int code) {
        chip.answerNextCommandsWith(code, 1);
        Atecc608Failure.StatusError e = assertThrows(Atecc608Failure.StatusError.class, () -> driver.genKeyPublic(0));
        assertEquals(code, e.code());
        assertEquals(Status.of(code), e.status());
        assertTrue(e.getMessage().contains(Status.of(code).meaning()), e.getMessage());
        assertEquals(1, chip.wakes());
    }

    @Test
    void genKeyCreateIsNotResentAfterACorruptedResponse() {
        chip.corruptNextCommandResponses(1);
        assertThrows(Atecc608Failure.CorruptResponse.class, () -> driver.genKeyCreate(1));
        assertEquals(List.of(0x40), chip.executed(), "the key was made once, not again");
        assertEquals(1, chip.wakes());
    }

    @Test
    void signingAnEmptySlotIsAnExecutionError() {
        Atecc608Failure.StatusError e = assertThrows(Atecc608Failure.StatusError.class, () -> driver.signDigest(3, new byte[32]));
        assertEquals(Status.EXECUTION_ERROR, e.status());
    }

    @Test
    void noChipAtTheAddressIsAFailedWake() {
        Atecc608Driver elsewhere = new Atecc608Driver(chip, 0x35, chip.pause());
        Atecc608Failure.WakeFailed e = assertThrows(Atecc608Failure.WakeFailed.class, elsewhere::info);
        assertTrue(e.getMessage().contains("0x35"), e.getMessage());
        assertEquals(1, chip.wakes(), "the wake token is bus-wide: the chip at 0x60 woke all the same");
    }

    @Test
    void argumentsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> driver.signDigest(0, new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> driver.genKeyPublic(16));
        assertThrows(IllegalArgumentException.class, () -> new Atecc608Driver(chip, 0x80, chip.pause()));
    }
}
