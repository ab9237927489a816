/**
 * Personal data that a public record carries without disclosing it: a payload encrypted once with
 * a fresh content key, that key wrapped with HPKE (RFC 9180, base mode) to each party allowed to
 * read it, the whole bound to the record it belongs to ({@link io.wattproof.crypto.seal.Sealing});
 * and salted commitments that stand in for a party's identity in the record ({@link
 * io.wattproof.crypto.seal.PartyPseudonyms}). Opening is a pure function that returns a value for
 * every input, never a partial plaintext. The design and threat model are in docs/sealing.md; all
 * primitives are Bouncy Castle's.
 */
package io.wattproof.crypto.seal;
