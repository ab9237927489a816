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
 * @param charging the charging scenario's counts; empty for a run of meters only
 * @param ota the update scenario's outcome; empty without it
 */
public record SimulationResult(int meters, long readings, long verified, long rejected, long gaps, long confirmed, long height,
                               long forgeriesDetected, long forgeriesServed, long receiptsWithheld,
                               java.util.Optional<ChargingCounts> charging, java.util.Optional<OtaCounts> ota) {

    public SimulationResult(int meters, long readings, long verified, long rejected, long gaps, long confirmed, long height,
            long forgeriesDetected, long forgeriesServed, long receiptsWithheld, java.util.Optional<ChargingCounts> charging) {
        this(meters, readings, verified, rejected, gaps, confirmed, height, forgeriesDetected, forgeriesServed, receiptsWithheld, charging,
                java.util.Optional.empty());
    }

    /**
     * What became of the release the update scenario shipped (docs/ota.md, "Simulator").
     *
     * @param expectRollback whether the release was made to fail its health check
     * @param release the release number shipped (0: none was)
     * @param updated devices that run it, committed after a passing health check
     * @param rolledBack devices whose trial of it failed and that run their old slot again
     * @param signingAfterRollback rolled-back devices that signed a reading since they started again in the old slot
     */
    public record OtaCounts(boolean expectRollback, long release, int updated, int rolledBack, int signingAfterRollback) {}

    public SimulationResult(int meters, long readings, long verified, long rejected, long gaps, long confirmed, long height,
            long forgeriesDetected, long forgeriesServed, long receiptsWithheld) {
        this(meters, readings, verified, rejected, gaps, confirmed, height, forgeriesDetected, forgeriesServed, receiptsWithheld,
                java.util.Optional.empty());
    }

    /**
     * What became of the charging scenario's bookings (docs/charging.md).
     *
     * @param bookings bookings the ledger accepted during the run
     * @param sessions ChargingSession records the ledger accepted
     * @param settled sessions settled against the pile's readings
     * @param disputes bookings disputed
     * @param unaccounted bookings neither settled, expired nor disputed at the end (a session still
     *     open, or a record not yet judged)
     * @param relayViolations relay closings that no verified booking covers: the pile's relay log
     *     against the ledger's bookings of that pile
     */
    public record ChargingCounts(long bookings, long sessions, long settled, long disputes, long unaccounted, long relayViolations) {}

    /** The one line a run ends with; scripts parse it. */
    public String summaryLine() {
        return "summary: meters=" + meters + " readings=" + readings + " verified=" + verified + " rejected=" + rejected
                + " gaps=" + gaps + " confirmed=" + confirmed + " height=" + height + " forgeries_detected=" + forgeriesDetected
                + charging.map(c -> " sessions=" + c.sessions() + " settled=" + c.settled() + " disputes=" + c.disputes()
                        + " relay_violations=" + c.relayViolations()).orElse("")
                + ota.map(o -> " updated=" + o.updated() + " rolled_back=" + o.rolledBack()).orElse("");
    }

    /**
     * A run passes when nothing was refused, nothing went missing, the agents verified the inclusion
     * of at least 90 % of the readings themselves, and every forgery served was detected; with
     * charging, also: at least one session, every session settled, no dispute, every booking
     * accounted for and no relay violation.
     */
    public boolean passed() {
        return failures().isEmpty();
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
        charging.ifPresent(c -> {
            if (c.sessions() == 0) {
                s.append("sessions=0 (expected at least one); ");
            }
            if (c.settled() != c.sessions()) {
                s.append("settled=").append(c.settled()).append(" (expected every one of ").append(c.sessions()).append(" sessions); ");
            }
            if (c.disputes() != 0) {
                s.append("disputes=").append(c.disputes()).append(" (expected 0); ");
            }
            if (c.unaccounted() != 0) {
                s.append(c.unaccounted()).append(" of ").append(c.bookings()).append(" bookings neither settled nor expired; ");
            }
            if (c.relayViolations() != 0) {
                s.append("relay_violations=").append(c.relayViolations()).append(" (expected 0); ");
            }
        });
        ota.ifPresent(o -> {
            if (o.release() == 0) {
                s.append("no release was shipped; ");
            } else if (!o.expectRollback() && (o.updated() != meters || o.rolledBack() != 0)) {
                s.append("updated=").append(o.updated()).append(" rolled_back=").append(o.rolledBack()).append(" (expected every one of ")
                        .append(meters).append(" devices updated to release ").append(o.release()).append(", none rolled back); ");
            } else if (o.expectRollback() && (o.rolledBack() != meters || o.signingAfterRollback() != meters)) {
                s.append("rolled_back=").append(o.rolledBack()).append(", signing again ").append(o.signingAfterRollback())
                        .append(" (expected every one of ").append(meters).append(" devices to roll back release ").append(o.release())
                        .append(" and sign readings again); ");
            }
        });
        return s.isEmpty() ? "" : s.substring(0, s.length() - 2);
    }
}
