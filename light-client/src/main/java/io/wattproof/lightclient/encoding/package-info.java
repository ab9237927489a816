/**
 * CometBFT's canonical encodings: the protobuf messages of {@code tendermint.types} byte for byte as
 * gogoproto writes them, the RFC 6962 Merkle tree, the header and validator-set hashes and the sign
 * bytes of precommit votes; and the {@code LightBlock} protobuf codec for storage.
 */
package io.wattproof.lightclient.encoding;
