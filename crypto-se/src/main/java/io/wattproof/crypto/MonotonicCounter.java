package io.wattproof.crypto;

/**
 * A counter kept in hardware that can only count up: no command and no restored file system takes
 * it back. Where the device key lives in a secure element that has one, the update floor is kept
 * in it as well as in a file (docs/ota.md, "Floor in the secure element").
 *
 * <p>Implementations serialise their own access to the hardware; the value counts from 0 to
 * {@link #max()}.
 */
public interface MonotonicCounter {

    /** The current value, 0..{@link #max()}. */
    long read() throws KeyStoreFailure;

    /**
     * Counts one up and returns the value afterwards. Hardware may count more than one when power
     * fails during the increment, and an answer lost on the way may leave the caller not knowing
     * whether it counted, so callers compare the value returned with the one they need rather than
     * assume old + 1.
     *
     * @throws KeyStoreFailure among others when the counter is already at {@link #max()}
     */
    long increment() throws KeyStoreFailure;

    /** The highest value the counter can reach; an increment there fails. */
    long max();
}
