package io.wattproof.crypto.atecc608;

import java.time.Duration;

/**
 * The commands this driver sends (data sheet, "Command Opcodes"), each with the longest time the
 * chip may take to execute it. The maxima are those CryptoAuthLib uses for the ATECC608 with
 * ChipMode clock divider 0, the factory default; a slower divider stretches GenKey and Sign up to
 * about 0.7 s and is not supported here (the driver would report no response).
 */
public enum Opcode {
    READ(0x02, 5),
    NONCE(0x16, 20),
    RANDOM(0x1B, 23),
    COUNTER(0x24, 25),
    INFO(0x30, 5),
    GENKEY(0x40, 115),
    SIGN(0x41, 115);

    private final int code;
    private final Duration maxExecutionTime;

    Opcode(int code, int maxExecutionMillis) {
        this.code = code;
        this.maxExecutionTime = Duration.ofMillis(maxExecutionMillis);
    }

    public int code() {
        return code;
    }

    public Duration maxExecutionTime() {
        return maxExecutionTime;
    }

    /** The opcode with this byte value, or null for one this driver does not send. */
    public static Opcode of(int code) {
        for (Opcode op : values()) {
            if (op.code == code) {
                return op;
            }
        }
        return null;
    }
}
