/**
 * CometBFT block, commit and validator-set values as immutable records, in the shape of the
 * {@code tendermint.types} protobuf messages of CometBFT 0.34 to 0.38. Values are not validated
 * beyond field ranges here: a light block from a peer is parsed into these records as it is and
 * judged by the verifier.
 */
package io.wattproof.lightclient.types;
