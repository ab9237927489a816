package io.wattproof.agent.driver;

/**
 * A car owner's booking counter (docs/charging.md, "Order of checks and codes"): the ledger wants
 * exactly the previous accepted nonce + 1, the first is 1, and a refusal does not use one up. So
 * the counter moves only on an accepted receipt.
 */
public interface BookingNonces {
    /** The nonce of the last booking the ledger accepted; 0 before the first. */
    long lastAccepted();

    /** Records that the booking with this nonce was accepted (never moves backwards). */
    void accepted(long nonce) throws java.io.IOException;

    /** Held in memory only: the simulator's virtual cars, and tests. */
    final class InMemory implements BookingNonces {
        private long last;

        public InMemory(long lastAccepted) {
            this.last = lastAccepted;
        }

        @Override
        public synchronized long lastAccepted() {
            return last;
        }

        @Override
        public synchronized void accepted(long nonce) {
            last = Math.max(last, nonce);
        }
    }
}
