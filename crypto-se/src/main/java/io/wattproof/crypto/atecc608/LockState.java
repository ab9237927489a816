package io.wattproof.crypto.atecc608;

/**
 * LockValue (config byte 86: data and OTP zones) and LockConfig (config byte 87: the
 * configuration zone) as read (data sheet, "Configuration Zone"): 0x55 is unlocked, 0x00 locked.
 */
public record LockState(int lockValue, int lockConfig) {
    static final int LOCKED = 0x00;

    public boolean configLocked() {
        return lockConfig == LOCKED;
    }

    public boolean dataLocked() {
        return lockValue == LOCKED;
    }
}
