/**
 * The simulator's receiving side: every MQTT payload a virtual meter publishes is checked here as
 * an untrusted {@code SignedTx} carrying a record of the device's chain, a {@code Reading} or a
 * charging pile's {@code ChargingSession} — envelope shape, registered key and
 * algorithm, a strict signature check (low-S for ECDSA P-256), and the device's hash chain and
 * gap-free sequence (DESIGN.md §4 and §7); other transactions on the topic are left to the
 * ledger. The outcome of every check is a {@link
 * io.wattproof.simulator.verify.Verdict} value, never an exception, and the verifier is pure logic:
 * no I/O, clock, threads or logging. {@link io.wattproof.simulator.verify.RecordDump} is the one
 * adapter here; it writes verified records in a layout that {@code openssl} can check on its own,
 * so a record's authenticity does not rest on trusting this code.
 */
package io.wattproof.simulator.verify;
