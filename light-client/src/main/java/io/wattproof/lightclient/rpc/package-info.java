/**
 * Fetching light blocks from a CometBFT full node over its JSON-RPC (URI over HTTP: {@code /commit},
 * {@code /validators}, {@code /status}). The node is not trusted: this package only moves bytes,
 * checks that the answers are for the height and chain asked for, and translates failures into
 * {@link io.wattproof.lightclient.provider.ProviderException}; the verifier judges the blocks.
 */
package io.wattproof.lightclient.rpc;
