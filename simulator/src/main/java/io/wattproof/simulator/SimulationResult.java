package io.wattproof.simulator;

/**
 * What a run produced and what the receiving side made of it.
 *
 * @param meters number of meters (and agents)
 * @param readings records the agents signed during this run
 * @param verified records the receiving side verified and chained during this run
 * @param rejected records the receiving side rejected (bad signature, broken chain, equivocation,
 *     unknown device, malformed)
 * @param gaps sequence numbers an agent signed that never reached the receiving side
 * @param duplicates records received again (re-sent after a reconnect or restart), not errors
 */
public record SimulationResult(int meters, long readings, long verified, long rejected, long gaps, long duplicates) {

    /** The one line a run ends with; scripts parse it. */
    public String summaryLine() {
        return "summary: meters=" + meters + " readings=" + readings + " verified=" + verified + " rejected=" + rejected
                + " gaps=" + gaps;
    }

    /** A run passes when nothing was rejected and nothing went missing. */
    public boolean passed() {
        return rejected == 0 && gaps == 0;
    }
}
