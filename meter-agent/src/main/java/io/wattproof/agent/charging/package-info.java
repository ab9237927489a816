/**
 * The pile side of charging-pile sharing (docs/charging.md, "The session at the pile"): checking a
 * booking the ledger follower has proved included ({@link io.wattproof.agent.charging.BookingCheck}),
 * the session state machine that decides when the relay may close and what goes to the ledger
 * ({@link io.wattproof.agent.charging.ChargingController}: events and an {@code Instant} in,
 * commands out, no threads or clock), the small file that lets a restarted pile close a session
 * cut by a power failure, and the sealing of the session's personal data to its three readers.
 */
package io.wattproof.agent.charging;
