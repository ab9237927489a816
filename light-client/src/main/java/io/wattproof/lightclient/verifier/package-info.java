/**
 * Light-client verification as pure predicates: whether an untrusted light block may be trusted given
 * a trusted one, the trust options and the current time, with a {@link
 * io.wattproof.lightclient.verifier.Verdict} that says why not. Implements the CometBFT light client
 * verification spec (spec/light-client/verification) for adjacent and skipping steps; scheduling
 * (bisection), fetching and storing blocks live elsewhere.
 */
package io.wattproof.lightclient.verifier;
