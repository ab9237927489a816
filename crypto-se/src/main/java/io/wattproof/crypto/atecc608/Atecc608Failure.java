package io.wattproof.crypto.atecc608;

import io.wattproof.crypto.KeyStoreFailure;
import java.util.HexFormat;

/**
 * Why the ATECC608 could not be reached, refused a command, or cannot hold a device key. Every
 * case names the I2C address and, where it applies, the command and slot.
 */
public abstract sealed class Atecc608Failure extends KeyStoreFailure {
    private Atecc608Failure(String message, Throwable cause) {
        super(message, cause);
    }

    static String hexAddress(int address) {
        return "0x" + HexFormat.of().toHexDigits((byte) address);
    }

    /** The I2C bus cannot be opened (no provider for it, no such bus device, no permission). */
    public static final class BusUnavailable extends Atecc608Failure {
        public BusUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** After the wake token the chip did not answer 0x04 0x11 0x33 0x43. */
    public static final class WakeFailed extends Atecc608Failure {
        WakeFailed(int address, String found) {
            super("atecc608 at " + hexAddress(address) + " wake: expected the wake response 0x04113343, found " + found, null);
        }
    }

    /** The chip did not acknowledge the command, or did not answer within the command's maximum execution time. */
    public static final class NoResponse extends Atecc608Failure {
        private final boolean commandAccepted;

        NoResponse(int address, String what, boolean commandAccepted) {
            super("atecc608 at " + hexAddress(address) + ": " + what, null);
            this.commandAccepted = commandAccepted;
        }

        /** Whether the chip acknowledged the command before it went silent, so it may have executed it. */
        public boolean commandAccepted() {
            return commandAccepted;
        }
    }

    /** A response packet whose count or CRC is wrong; its data was discarded. */
    public static final class CorruptResponse extends Atecc608Failure {
        CorruptResponse(int address, Opcode opcode, String reason) {
            super("atecc608 at " + hexAddress(address) + " " + opcode + ": " + reason, null);
        }
    }

    /** The chip answered a status code other than success. */
    public static final class StatusError extends Atecc608Failure {
        private final int code;
        private final Status status;

        StatusError(int address, Opcode opcode, int code, Status status, String meaning) {
            super("atecc608 at " + hexAddress(address) + " " + opcode + ": expected status 0x00 (success), got 0x"
                    + HexFormat.of().toHexDigits((byte) code) + " (" + meaning + ")", null);
            this.code = code;
            this.status = status;
        }

        /** The status byte as the chip sent it. */
        public int code() {
            return code;
        }

        /** The status, or null for a code the data sheet does not define. */
        public Status status() {
            return status;
        }
    }

    /** An increment of a monotonic counter that is at its maximum (2,097,151): it counts no further, ever. */
    public static final class CounterAtLimit extends Atecc608Failure {
        CounterAtLimit(int address, int counter, long max, Throwable cause) {
            super("atecc608 at " + hexAddress(address) + " counter " + counter + ": expected a value below " + max
                    + " to count up from, found " + max + " (the maximum)", cause);
        }
    }

    /** The configuration zone is not locked, so keys cannot be generated or trusted (data sheet, "Lock Command"). */
    public static final class ConfigNotLocked extends Atecc608Failure {
        ConfigNotLocked(int address, int lockConfig) {
            super("atecc608 at " + hexAddress(address) + " config zone: expected locked (LockConfig, config byte 87, = 0x00), found 0x"
                    + HexFormat.of().toHexDigits((byte) lockConfig) + (lockConfig == 0x55 ? " (unlocked)" : "")
                    + "; personalise and lock the configuration zone first", null);
        }
    }

    /** The slot is not configured as a P-256 private key (KeyConfig.Private = 1, KeyType = 4). */
    public static final class SlotNotP256 extends Atecc608Failure {
        SlotNotP256(int address, int slot, int keyConfig) {
            super("atecc608 at " + hexAddress(address) + " slot " + slot + " KeyConfig: expected a p-256 private key slot (Private bit 0 = 1,"
                    + " KeyType bits 4:2 = 4), found 0x" + HexFormat.of().toHexDigits((short) keyConfig), null);
        }
    }

    /** {@code create} found a key in the slot: a device identity is never replaced unless asked. */
    public static final class KeyExists extends Atecc608Failure {
        KeyExists(int address, int slot) {
            super("atecc608 at " + hexAddress(address) + " slot " + slot
                    + ": expected no key, found one; refusing to replace a device identity", null);
        }
    }

    /** {@code open} found no valid private key in the slot. */
    public static final class NoKey extends Atecc608Failure {
        NoKey(int address, int slot, Throwable cause) {
            super("atecc608 at " + hexAddress(address) + " slot " + slot
                    + ": expected a p-256 private key, found none (genkey could not compute a public key: " + cause.getMessage() + ")", cause);
        }
    }

    /** The public key or signature the chip returned does not check out. */
    public static final class BadKey extends Atecc608Failure {
        BadKey(int address, int slot, String what) {
            super("atecc608 at " + hexAddress(address) + " slot " + slot + ": " + what, null);
        }
    }
}
