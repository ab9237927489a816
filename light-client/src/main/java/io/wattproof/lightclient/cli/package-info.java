/**
 * The {@code bin/light-client} command line: running conformance cases and computing header hashes.
 * A thin shell over the verifier and the JSON reader: it reads files and prints outcomes.
 */
package io.wattproof.lightclient.cli;
