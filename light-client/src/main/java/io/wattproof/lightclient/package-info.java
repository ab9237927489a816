/**
 * CometBFT-compatible light client: block header types and their canonical encoding, adjacent and
 * skipping verification as pure predicates, transaction inclusion proofs and a durable light store.
 *
 * <p>Empty for now; the verification model is described in DESIGN.md section 7 and arrives with the
 * light-client issue.
 */
package io.wattproof.lightclient;
