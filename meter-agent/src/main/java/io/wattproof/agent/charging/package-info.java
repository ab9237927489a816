/**
 * The pile side of charging-pile sharing (docs/charging.md, "The session at the pile"): checking a
 * booking the ledger follower has proved included ({@link io.wattproof.agent.charging.BookingCheck}),
 * the session state machine that decides when the relay may close and what goes to the ledger
 * ({@link io.wattproof.agent.charging.ChargingController}: events and an {@code Instant} in,
 * commands out, no threads or clock), the small file that lets a restarted pile close a session
 * cut by a power failure, and the sealing of the session's personal data to its three readers;
 * and the shell that runs all of it inside a meter agent ({@link io.wattproof.agent.charging.ChargingPile}:
 * the pile's offers and the bookings that had a session in {@code charging-pile.bin}, requests from
 * MQTT, commands carried out on the relay, the ledger, the outbox and MQTT).
 */
package io.wattproof.agent.charging;
