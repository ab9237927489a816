package io.wattproof.simulator;

/**
 * What a run produced and what the ledger and the agents made of it.
 *
 * @param meters number of meters (and agents)
 * @param readings records the agents signed during this run
 * @param verified readings of this run the ledger accepted into a block
 * @param rejected transactions the ledger refused (bad signature, broken chain, duplicate sequence,
 *     unknown or revoked device, malformed); re-submissions of a transaction already in a block
 *     are not refusals
 * @param gaps sequence numbers an agent signed that the ledger does not hold at the end (never
 *     arrived, or recorded as an open gap)
 * @param confirmed records of this run whose inclusion the agents verified themselves (receipt
 *     proof against a header verified from the trust anchor)
 * @param height the ledger's height at the end
 * @param forgeriesDetected forged headers and bad proofs the agents detected
 * @param forgeriesServed forged headers and bad proofs the gateway served (0 unless byzantine)
 * @param receiptsWithheld receipts a byzantine gateway did not send
 */
public record SimulationResult(int meters, long readings, long verified, long rejected, long gaps, long confirmed, long height,
                               long forgeriesDetected, long forgeriesServed, long receiptsWithheld) {

    /** The one line a run ends with; scripts parse it. */
    public String summaryLine() {
        return "summary: meters=" + meters + " readings=" + readings + " verified=" + verified + " rejected=" + rejected
                + " gaps=" + gaps + " confirmed=" + confirmed + " height=" + height + " forgeries_detected=" + forgeriesDetected;
    }

    /**
     * A run passes when nothing was refused, nothing went missing, the agents verified the inclusion
     * of at least 90 % of the readings themselves, and every forgery served was detected.
     */
    public boolean passed() {
        return rejected == 0 && gaps == 0 && confirmed * 10 >= readings * 9 && forgeriesDetected == forgeriesServed;
    }

    /** Why {@link #passed()} is false, for the console; empty when it passed. */
    public String failures() {
        StringBuilder s = new StringBuilder();
        if (rejected != 0) {
            s.append("rejected=").append(rejected).append(" (expected 0); ");
        }
        if (gaps != 0) {
            s.append("gaps=").append(gaps).append(" (expected 0); ");
        }
        if (confirmed * 10 < readings * 9) {
            s.append("confirmed=").append(confirmed).append(" (expected at least 90% of ").append(readings).append("); ");
        }
        if (forgeriesDetected != forgeriesServed) {
            s.append("forgeries_detected=").append(forgeriesDetected).append(" (the gateway served ").append(forgeriesServed)
                    .append("); ");
        }
        return s.isEmpty() ? "" : s.substring(0, s.length() - 2);
    }
}
