/**
 * Reading CometBFT's JSON — RPC responses ({@code /commit}, {@code /block}, {@code /validators},
 * {@code /genesis}) and the light-block JSON of other implementations' test data — into the records of
 * {@link io.wattproof.lightclient.types}, refusing malformed input with the path of the field; and
 * writing {@code /genesis}, {@code /commit} and {@code /validators} answers as a node does, with the
 * file layout of a chain dump.
 */
package io.wattproof.lightclient.json;
