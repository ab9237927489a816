package io.wattproof.agent.record;

/**
 * Where the shell learns of quality flags that no meter register shows (the tamper input). The
 * flags stay raised until the record that carries them is stored, so a record that fails to be
 * signed or stored does not swallow them.
 */
public interface QualityFlagSource {

    /** Flags for the next record. */
    PendingFlags pending();

    /** The record built with {@code carried} is stored durably; clears what it carried. */
    void stored(PendingFlags carried);

    /** A source that never raises a flag. */
    static QualityFlagSource none() {
        return new QualityFlagSource() {
            @Override
            public PendingFlags pending() {
                return PendingFlags.NONE;
            }

            @Override
            public void stored(PendingFlags carried) {}
        };
    }
}
