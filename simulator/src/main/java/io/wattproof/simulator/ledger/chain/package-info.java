/**
 * The reference ledger: N Ed25519 validators in one process producing CometBFT-format blocks
 * (headers, commits signed by every validator, validator-set changes on a fixed schedule) around an
 * injected {@link io.wattproof.simulator.ledger.Application}, built on the light-client module's
 * types and encoding so that the devices' light client verifies exactly what is produced.
 * {@link io.wattproof.simulator.ledger.chain.BlockHashes} is the pure part (header fields from block
 * contents); {@link io.wattproof.simulator.ledger.chain.ReferenceLedger} is the shell with the
 * mempool, the producer thread and the listeners. docs/ledger.md, "Reference ledger", says where it
 * differs from a real CometBFT network.
 */
package io.wattproof.simulator.ledger.chain;
