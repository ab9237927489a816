/**
 * Reading CometBFT's JSON — RPC responses ({@code /commit}, {@code /block}, {@code /validators}) and
 * the light-block JSON of other implementations' test data — into the records of
 * {@link io.wattproof.lightclient.types}, refusing malformed input with the path of the field.
 */
package io.wattproof.lightclient.json;
