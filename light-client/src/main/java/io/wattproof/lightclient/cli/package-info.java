/**
 * The {@code bin/light-client} command line: running conformance cases, computing header hashes, checking
 * a commit against the genesis validators, a whole chain dump from its genesis, and transaction inclusion
 * proofs against a header.
 * A thin shell over the verifier and the JSON reader: it reads files and prints outcomes.
 */
package io.wattproof.lightclient.cli;
