package io.wattproof.crypto.atecc608;

import io.wattproof.crypto.MonotonicCounter;

/**
 * One of the ATECC608's two monotonic counters ("Counter Command"): 0 to 2,097,151 in the
 * configuration zone, counted up only, and made by the chip "to never lose counts even if the power
 * is interrupted during the counting operation" — though it may then count more than one.
 *
 * <p>An increment whose answer was damaged or did not come is not sent again (it may have
 * counted); the counter is read instead, and that value, one more or unchanged, is returned. At the
 * maximum the chip answers an increment with an error code (the data sheet does not say which; an
 * execution error, 0x0F, is assumed, as its sibling SHA104 documents for its counter), which is
 * reported as {@link Atecc608Failure.CounterAtLimit} once a read confirms the maximum.
 */
public final class Atecc608Counter implements MonotonicCounter {
    private final Atecc608Driver chip;
    private final int counter;

    /** @param counter 0 or 1 */
    public Atecc608Counter(Atecc608Driver chip, int counter) {
        if (counter < 0 || counter >= Atecc608Driver.COUNTER_COUNT) {
            throw new IllegalArgumentException("counter: expected 0.." + (Atecc608Driver.COUNTER_COUNT - 1) + ", got " + counter);
        }
        this.chip = chip;
        this.counter = counter;
    }

    public int counter() {
        return counter;
    }

    @Override
    public long read() throws Atecc608Failure {
        return chip.counterRead(counter);
    }

    @Override
    public long increment() throws Atecc608Failure {
        try {
            return chip.counterIncrement(counter);
        } catch (Atecc608Failure.CorruptResponse e) {
            return chip.counterRead(counter);
        } catch (Atecc608Failure.NoResponse e) {
            if (e.commandAccepted()) {
                return chip.counterRead(counter);
            }
            throw e;
        } catch (Atecc608Failure.StatusError e) {
            if (e.status() == Status.EXECUTION_ERROR && chip.counterRead(counter) >= Atecc608Driver.COUNTER_MAX) {
                throw new Atecc608Failure.CounterAtLimit(chip.address(), counter, Atecc608Driver.COUNTER_MAX, e);
            }
            throw e;
        }
    }

    @Override
    public long max() {
        return Atecc608Driver.COUNTER_MAX;
    }

    @Override
    public String toString() {
        return "Atecc608Counter[address=" + Atecc608Failure.hexAddress(chip.address()) + ", counter=" + counter + "]";
    }
}
