package io.wattproof.agent.record;

import io.wattproof.protocol.v1.ChargingSession;

/**
 * Builds a ChargingSession body once the record pipeline has given it its place in the device's
 * chain: the body carries its sequence and {@code previous_hash}, and its sealed personal data is
 * sealed to a context that names the sequence (docs/charging.md, "Personal data"), so it cannot be
 * built before.
 */
@FunctionalInterface
public interface ChargingSessionFactory {
    /**
     * @param sequence the chain's next sequence number
     * @param previousHash SHA-256 of the last record's sign-bytes, 32 bytes
     */
    ChargingSession build(long sequence, byte[] previousHash);
}
