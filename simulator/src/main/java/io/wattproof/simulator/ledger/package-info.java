/**
 * The ledger side of the simulator, as the parts of a CometBFT network see each other: an
 * {@link io.wattproof.simulator.ledger.Application} (the energy application, what ABCI calls the
 * state machine) executed by a chain of validators, and a {@link io.wattproof.simulator.ledger.LedgerNode}
 * (what a gateway reaches over a node's RPC). The reference ledger implements both in one process;
 * a real CometBFT network is another {@code LedgerNode}. docs/ledger.md describes the whole.
 */
package io.wattproof.simulator.ledger;
