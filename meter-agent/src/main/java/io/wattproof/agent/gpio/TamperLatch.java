package io.wattproof.agent.gpio;

import io.wattproof.agent.record.PendingFlags;
import io.wattproof.agent.record.QualityFlagSource;
import io.wattproof.protocol.v1.QualityFlag;

/**
 * Remembers that tampering happened until a record carrying the TAMPER flag is stored. Each
 * activation counts; a record clears only the activations that happened before its flags were
 * taken, so tampering while a record is being signed and stored still flags the next one.
 * Thread-safe.
 */
public final class TamperLatch implements QualityFlagSource {
    private long activations;
    private long clearedThrough;

    /** Tampering was detected. */
    public synchronized void trip() {
        activations++;
    }

    /** Whether the next record will carry TAMPER. */
    public synchronized boolean isLatched() {
        return activations > clearedThrough;
    }

    @Override
    public synchronized PendingFlags pending() {
        return new PendingFlags(isLatched() ? QualityFlag.TAMPER_VALUE : 0, activations);
    }

    @Override
    public synchronized void stored(PendingFlags carried) {
        if ((carried.bits() & QualityFlag.TAMPER_VALUE) != 0) {
            clearedThrough = Math.max(clearedThrough, carried.generation());
        }
    }
}
