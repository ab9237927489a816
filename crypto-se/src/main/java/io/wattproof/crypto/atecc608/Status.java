package io.wattproof.crypto.atecc608;

/**
 * The status byte of a 4-byte response (data sheet, "Status/Error Codes"). The chip has no status
 * register: a command that fails, or one that only reports success, answers count 0x04, this
 * byte and the CRC.
 */
public enum Status {
    SUCCESS(0x00, "command executed successfully", false),
    MISCOMPARE(0x01, "checkmac or verify miscompare", false),
    PARSE_ERROR(0x03, "parse error: length, opcode or parameters are illegal", false),
    ECC_FAULT(0x05, "ecc fault: the ecc computation did not produce a valid result; retry may succeed", true),
    SELF_TEST_ERROR(0x07, "self-test error: the chip is in failure mode", false),
    HEALTH_TEST_ERROR(0x08, "health test error: the random number generator failed its health test", false),
    EXECUTION_ERROR(0x0F, "execution error: the chip cannot execute the command in its current state", false),
    AFTER_WAKE(0x11, "after wake: the chip had gone to sleep, the command was not executed", true),
    WATCHDOG_ABOUT_TO_EXPIRE(0xEE, "watchdog about to expire: too little awake time left to execute the command", true),
    COMMUNICATION_ERROR(0xFF, "crc or communication error: the chip did not receive the command intact", true);

    private final int code;
    private final String meaning;
    private final boolean retryable;

    Status(int code, String meaning, boolean retryable) {
        this.code = code;
        this.meaning = meaning;
        this.retryable = retryable;
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }

    /**
     * True for conditions that a fresh wake and a resend can clear: the CRC and watchdog cases the
     * data sheet says may be resent, and the ECC fault, which it says is transient.
     */
    public boolean retryable() {
        return retryable;
    }

    /** The status with this code, or null for a code the data sheet does not define. */
    public static Status of(int code) {
        for (Status s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return null;
    }
}
