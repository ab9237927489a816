package io.wattproof.modbus.frame.rtu;

import java.time.Duration;

/**
 * Character and silence times of an RTU line (Modbus over Serial Line V1.02 section 2.5.1.1).
 * Frames are separated by at least 3.5 character times of silence (t3.5); inside a frame no gap
 * may exceed 1.5 character times (t1.5). Above 19200 baud the specification fixes t1.5 at 750 us
 * and t3.5 at 1.75 ms, because UARTs and interrupt latency cannot resolve shorter times reliably.
 *
 * @param characterTime time to send one character (start bit, data bits, parity bit, stop bits)
 * @param t15 longest silence allowed inside a frame
 * @param t35 shortest silence between frames
 */
public record RtuTiming(Duration characterTime, Duration t15, Duration t35) {
    static final int FIXED_TIMING_ABOVE_BAUD = 19_200;
    static final Duration FIXED_T15 = Duration.ofNanos(750_000);
    static final Duration FIXED_T35 = Duration.ofNanos(1_750_000);

    /** No line timing: RTU frames carried over TCP by a serial gateway, which does its own. */
    public static final RtuTiming NONE = new RtuTiming(Duration.ZERO, Duration.ZERO, Duration.ZERO);

    /**
     * @param baud bits per second, 1..4000000
     * @param bitsPerCharacter 1 start + data + parity + stop bits: 11 for the specification's 8E1,
     *     8O1 and 8N2; 10 for the common 8N1
     */
    public static RtuTiming of(int baud, int bitsPerCharacter) {
        if (baud < 1 || baud > 4_000_000) {
            throw new IllegalArgumentException("baud: expected 1..4000000, actual " + baud);
        }
        if (bitsPerCharacter < 9 || bitsPerCharacter > 12) {
            throw new IllegalArgumentException("bits per character: expected 9..12, actual " + bitsPerCharacter);
        }
        Duration character = Duration.ofNanos(Math.ceilDiv(bitsPerCharacter * 1_000_000_000L, baud));
        if (baud > FIXED_TIMING_ABOVE_BAUD) {
            return new RtuTiming(character, FIXED_T15, FIXED_T35);
        }
        return new RtuTiming(character, Duration.ofNanos(character.toNanos() * 3 / 2),
                Duration.ofNanos(character.toNanos() * 7 / 2));
    }

    /** Time to transmit {@code bytes} characters. */
    public Duration transmissionTime(int bytes) {
        return characterTime.multipliedBy(bytes);
    }
}
