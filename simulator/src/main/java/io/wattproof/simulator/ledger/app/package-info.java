/**
 * The energy application: the deterministic state machine the ledger's validators run
 * (docs/ledger.md, "The energy application's rules"). It keeps the device registry written by
 * operator transactions, checks every reading against its device's key and hash chain (recording
 * gaps instead of holding records), books readings to accounts per metering interval, settles each
 * interval peer to peer under the tariff contract in integer Wh and micro-units, and hashes the
 * whole state into the app hash a block header carries. It also runs charging-pile sharing
 * (docs/charging.md): offers, bookings with deposits, sessions as records of the pile's chain,
 * their check against the pile's own readings, settlement, expiry and disputes. It is pure: block height and time come in
 * as arguments, and it has no I/O, clock, threads or logging; readers get immutable snapshots.
 */
package io.wattproof.simulator.ledger.app;
