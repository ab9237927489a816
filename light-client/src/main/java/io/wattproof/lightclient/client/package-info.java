/**
 * The light client itself: it keeps a trusted light block in a {@link io.wattproof.lightclient.store.LightStore},
 * fetches light blocks from a primary provider, verifies them by bisection (or by hash links below
 * the trusted height), cross-checks each new trusted block with witness providers and reports a
 * fork with the two conflicting signed headers. Verification decisions are the pure
 * {@link io.wattproof.lightclient.verifier.Verifier}'s; this package schedules fetches, keeps the
 * store and reads the injected clock.
 */
package io.wattproof.lightclient.client;
