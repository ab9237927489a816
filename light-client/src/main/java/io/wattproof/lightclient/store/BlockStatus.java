package io.wattproof.lightclient.store;

/**
 * What the light client knows of a stored light block. The byte is the on-disk code; never
 * renumber.
 */
public enum BlockStatus {
    /** Passed verification against a trusted block, not yet cross-checked with a witness. */
    VERIFIED(1),
    /** Verified and cross-checked: later blocks may be verified against it. */
    TRUSTED(2),
    /** Failed verification; kept as evidence of what the provider sent. */
    FAILED(3);

    private final int code;

    BlockStatus(int code) {
        this.code = code;
    }

    int code() {
        return code;
    }

    static BlockStatus ofCode(int code) {
        for (BlockStatus s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        throw new IllegalArgumentException("block status code " + code + " is not one of 1 (verified), 2 (trusted), 3 (failed)");
    }
}
