package io.wattproof.crypto.atecc608;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.crypto.MonotonicCounter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Counter command (opcode 0x24) through the driver and {@link Atecc608Counter}, against the chip's double. */
class Atecc608CounterTest {
    private static final int COUNTER = 0x24;
    private final Atecc608I2cDouble chip = Atecc608I2cDouble.personalised();
    private final Atecc608Driver driver = new Atecc608Driver(chip, 0x60, chip.pause());

    @Test
    void aNewCounterReadsZeroAndCountsUpByOne() throws Exception {
        assertEquals(0, driver.counterRead(1));
        assertEquals(1, driver.counterIncrement(1));
        assertEquals(2, driver.counterIncrement(1));
        assertEquals(2, driver.counterRead(1));
        assertEquals(2, chip.counter(1));
        assertEquals(List.of(COUNTER, COUNTER, COUNTER, COUNTER), chip.executed());
    }

    @Test
    void theTwoCountersAreIndependent() throws Exception {
        driver.counterIncrement(0);
        driver.counterIncrement(0);
        driver.counterIncrement(1);
        assertEquals(2, driver.counterRead(0));
        assertEquals(1, driver.counterRead(1));
    }

    @Test
    void theValueIsFourBytesLeastSignificantFirst() throws Exception {
        chip.presetCounter(1, 0x1A2B3C);
        assertEquals(0x1A2B3C, driver.counterRead(1));
        assertEquals(0x1A2B3D, driver.counterIncrement(1));
    }

    @Test
    void anIncrementAtTheMaximumIsRefusedAndCountsNothing() throws Exception {
        chip.presetCounter(1, Atecc608Driver.COUNTER_MAX - 1);
        assertEquals(Atecc608Driver.COUNTER_MAX, driver.counterIncrement(1));
        Atecc608Failure.StatusError e = assertThrows(Atecc608Failure.StatusError.class, () -> driver.counterIncrement(1));
        assertEquals(Status.EXECUTION_ERROR, e.status());
        assertEquals(Atecc608Driver.COUNTER_MAX, driver.counterRead(1));
        assertEquals(2_097_151, Atecc608Driver.COUNTER_MAX);
    }

    @Test
    void theCounterSaysItIsAtItsLimit() throws Exception {
        chip.presetCounter(1, Atecc608Driver.COUNTER_MAX);
        MonotonicCounter counter = Atecc608KeyStore.floorCounter(driver);
        Atecc608Failure.CounterAtLimit e = assertThrows(Atecc608Failure.CounterAtLimit.class, counter::increment);
        assertTrue(e.getMessage().contains("counter 1: expected a value below 2097151 to count up from, found 2097151"), e.getMessage());
        assertEquals(Atecc608Driver.COUNTER_MAX, counter.read());
        assertEquals(Atecc608Driver.COUNTER_MAX, counter.max());
    }

    @Test
    void theFloorCounterIsCounterOneAndLeavesCounterZeroAlone() throws Exception {
        MonotonicCounter counter = Atecc608KeyStore.floorCounter(driver);
        assertEquals(1, ((Atecc608Counter) counter).counter());
        assertEquals(1, counter.increment());
        assertEquals(0, chip.counter(0));
        assertEquals(1, chip.counter(1));
    }

    @Test
    void aDeviceKeyGivesTheCounterOfItsChip() throws Exception {
        Atecc608DeviceKey key = (Atecc608DeviceKey) Atecc608KeyStore.create(driver, 0, false);
        MonotonicCounter counter = key.floorCounter();
        counter.increment();
        key.sign(new byte[] {1, 2, 3});
        assertEquals(1, counter.read());
        assertEquals(1, chip.counter(1));
    }

    @Test
    void aDamagedReadIsRetriedFromAFreshWake() throws Exception {
        chip.presetCounter(1, 7);
        chip.corruptNextCommandResponses(1);
        assertEquals(7, driver.counterRead(1));
        assertEquals(2, chip.wakes());
    }

    @Test
    void aDamagedIncrementAnswerIsNotResentButReadBack() throws Exception {
        chip.corruptNextSuccessOf(Opcode.COUNTER);
        assertThrows(Atecc608Failure.CorruptResponse.class, () -> driver.counterIncrement(1));
        assertEquals(1, chip.counter(1), "counted once, not again");
        chip.corruptNextSuccessOf(Opcode.COUNTER);
        assertEquals(2, Atecc608KeyStore.floorCounter(driver).increment(), "the counter reads back what the lost answer said");
        assertEquals(2, chip.counter(1));
    }

    @Test
    void anIncrementWhoseAnswerIsLostIsNotResentButReadBack() throws Exception {
        chip.loseNextAnswerTo(Opcode.COUNTER);
        Atecc608Failure.NoResponse e = assertThrows(Atecc608Failure.NoResponse.class, () -> driver.counterIncrement(1));
        assertTrue(e.commandAccepted());
        assertEquals(1, chip.counter(1), "counted once, not again");
        chip.loseNextAnswerTo(Opcode.COUNTER);
        assertEquals(2, Atecc608KeyStore.floorCounter(driver).increment());
        assertEquals(2, chip.counter(1));
    }

    @ParameterizedTest
    @ValueSource(ints = {0xFF, 0xEE, 0x11})
    void anIncrementTheChipDidNotExecuteIsResent(int status) throws Exception {
        chip.answerNextCommandsWith(status, 1);
        assertEquals(1, driver.counterIncrement(1));
        assertEquals(1, chip.counter(1));
        assertEquals(2, chip.wakes());
    }

    @Test
    void aCrcErrorThatPersistsIsReportedAndCountsNothing() {
        chip.answerNextCommandsWith(0xFF, Atecc608Driver.MAX_ATTEMPTS);
        Atecc608Failure.StatusError e = assertThrows(Atecc608Failure.StatusError.class, () -> Atecc608KeyStore.floorCounter(driver).increment());
        assertEquals(Status.COMMUNICATION_ERROR, e.status());
        assertEquals(0, chip.counter(1));
    }

    @Test
    void aParseErrorIsNotRetriedAndNotTakenForTheLimit() {
        chip.answerNextCommandsWith(0x03, 1);
        Atecc608Failure.StatusError e = assertThrows(Atecc608Failure.StatusError.class, () -> Atecc608KeyStore.floorCounter(driver).increment());
        assertSame(Status.PARSE_ERROR, e.status());
        assertEquals(1, chip.wakes());
    }

    @Test
    void anExecutionErrorBelowTheMaximumIsReportedAsIs() throws Exception {
        chip.answerNextCommandsWith(0x0F, 1);
        Atecc608Failure e = assertThrows(Atecc608Failure.class, () -> Atecc608KeyStore.floorCounter(driver).increment());
        assertEquals(Status.EXECUTION_ERROR, assertInstanceOf(Atecc608Failure.StatusError.class, e).status());
    }

    @Test
    void argumentsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> driver.counterRead(2));
        assertThrows(IllegalArgumentException.class, () -> driver.counterIncrement(-1));
        assertThrows(IllegalArgumentException.class, () -> new Atecc608Counter(driver, 2));
        assertThrows(IllegalArgumentException.class, () -> chip.presetCounter(1, Atecc608Driver.COUNTER_MAX + 1));
    }

    @Test
    void theDoublesCounterNeverGoesDown() {
        chip.presetCounter(0, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> chip.presetCounter(0, 4));
        assertTrue(e.getMessage().contains("never goes down"), e.getMessage());
        assertEquals(5, chip.counter(0));
    }
}
