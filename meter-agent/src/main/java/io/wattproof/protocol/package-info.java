/**
 * Wattproof wire protocol v1: the messages generated from {@code wattproof/v1/wattproof.proto}
 * (in {@code io.wattproof.protocol.v1}) and the rules around them that are not expressible in
 * protobuf — domain-separated sign-bytes and the record hash that chains a device's records.
 * docs/protocol.md is the human-readable specification.
 */
package io.wattproof.protocol;
