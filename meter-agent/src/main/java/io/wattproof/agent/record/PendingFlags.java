package io.wattproof.agent.record;

/**
 * Quality flags raised outside the meter readings, as taken for one record.
 *
 * @param bits bit set of {@link io.wattproof.protocol.v1.QualityFlag} numbers
 * @param generation the source's count of raised events when taken; lets the source clear only
 *     what this record carried, not what was raised while it was being built
 */
public record PendingFlags(int bits, long generation) {
    public static final PendingFlags NONE = new PendingFlags(0, 0);
}
