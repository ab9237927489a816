/**
 * CometBFT-compatible light client. {@code types} holds blocks, commits and validator sets as
 * records; {@code encoding} their gogoproto-exact protobuf form, the header and validator-set hashes
 * and vote sign bytes; {@code json} reads CometBFT's RPC JSON; {@code verifier} decides, as pure
 * predicates with the time passed in, whether a light block can be trusted given a trusted one
 * (adjacent and skipping verification, CometBFT light client spec); {@code rpc} fetches light blocks
 * from a full node's JSON-RPC; {@code client} syncs to a height by bisection, below the trusted
 * height by hash links, and cross-checks witnesses for forks; {@code store} keeps what it verified,
 * durably; {@code tx} checks transaction inclusion proofs against a header's
 * {@code data_hash}; {@code conformance} and {@code cli} run other implementations' test cases
 * against it and check commits and proofs from files. This package holds the module's
 * checked exceptions. See docs/light-client.md.
 */
package io.wattproof.lightclient;
