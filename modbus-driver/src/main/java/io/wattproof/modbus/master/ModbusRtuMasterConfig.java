package io.wattproof.modbus.master;

import io.wattproof.modbus.frame.rtu.RtuTiming;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link ModbusRtuMaster} paces and retries its transactions.
 *
 * @param timing the line's character and silence times ({@link RtuTiming#of}); {@link
 *     RtuTiming#NONE} for RTU frames carried over TCP by a serial gateway
 * @param responseTimeout from the end of the request to the first byte of the response; the
 *     Serial Line specification (section 2.4.1) leaves it to the implementation: meters answer in
 *     10-200 ms, so the default is 1 s
 * @param frameSilence once bytes have arrived, a pause this long without a complete frame ends
 *     the attempt (a truncated frame or noise); USB adapters deliver bytes in bursts up to 16 ms
 *     apart, so it is much longer than t3.5, and never shorter than it
 * @param retries further attempts after a timeout or a line fault, 0..10; an exception response
 *     is an answer and is not retried, except "server device busy" (0x06)
 * @param initialBackoff pause before the first retry; it doubles for each further retry
 * @param maxBackoff upper bound of the pause between retries
 * @param turnaroundDelay pause after a broadcast, which no device answers, so that every device
 *     has processed it before the next request (section 2.4.1: typically 100-200 ms)
 */
public record ModbusRtuMasterConfig(
        RtuTiming timing,
        Duration responseTimeout,
        Duration frameSilence,
        int retries,
        Duration initialBackoff,
        Duration maxBackoff,
        Duration turnaroundDelay) {

    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration DEFAULT_FRAME_SILENCE = Duration.ofMillis(50);
    public static final int DEFAULT_RETRIES = 2;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(50);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(1);
    public static final Duration DEFAULT_TURNAROUND_DELAY = Duration.ofMillis(100);

    public ModbusRtuMasterConfig {
        Objects.requireNonNull(timing, "timing");
        requirePositive("response timeout", responseTimeout);
        requirePositive("frame silence", frameSilence);
        if (retries < 0 || retries > 10) {
            throw new IllegalArgumentException("retries: expected 0..10, actual " + retries);
        }
        requireNonNegative("initial backoff", initialBackoff);
        requireNonNegative("max backoff", maxBackoff);
        requireNonNegative("turnaround delay", turnaroundDelay);
        if (frameSilence.compareTo(timing.t35()) < 0) {
            frameSilence = timing.t35();
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The pause before retry {@code retry} (1 = the first retry). */
    Duration backoff(int retry) {
        long nanos = initialBackoff.toNanos();
        for (int i = 1; i < retry && nanos < maxBackoff.toNanos(); i++) {
            nanos *= 2;
        }
        return Duration.ofNanos(Math.min(nanos, maxBackoff.toNanos()));
    }

    private static void requirePositive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero() || d.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + ": expected 1 ms..2^31-1 ms, actual " + d);
        }
    }

    private static void requireNonNegative(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + ": expected 0 ms..2^31-1 ms, actual " + d);
        }
    }

    public static final class Builder {
        private RtuTiming timing = RtuTiming.of(9600, 11);
        private Duration responseTimeout = DEFAULT_RESPONSE_TIMEOUT;
        private Duration frameSilence = DEFAULT_FRAME_SILENCE;
        private int retries = DEFAULT_RETRIES;
        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private Duration turnaroundDelay = DEFAULT_TURNAROUND_DELAY;

        private Builder() {}

        public Builder timing(RtuTiming timing) {
            this.timing = timing;
            return this;
        }

        public Builder responseTimeout(Duration responseTimeout) {
            this.responseTimeout = responseTimeout;
            return this;
        }

        public Builder frameSilence(Duration frameSilence) {
            this.frameSilence = frameSilence;
            return this;
        }

        public Builder retries(int retries) {
            this.retries = retries;
            return this;
        }

        public Builder initialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
            return this;
        }

        public Builder maxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
            return this;
        }

        public Builder turnaroundDelay(Duration turnaroundDelay) {
            this.turnaroundDelay = turnaroundDelay;
            return this;
        }

        public ModbusRtuMasterConfig build() {
            return new ModbusRtuMasterConfig(timing, responseTimeout, frameSilence, retries, initialBackoff,
                    maxBackoff, turnaroundDelay);
        }
    }
}
