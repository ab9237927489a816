/**
 * The ledger over CometBFT's RPC, both ways: {@link io.wattproof.simulator.ledger.rpc.CometRpcNode}
 * is a gateway's {@link io.wattproof.simulator.ledger.LedgerNode} for a real CometBFT node (JSON-RPC
 * over HTTP and the NewBlock WebSocket subscription), and
 * {@link io.wattproof.simulator.ledger.rpc.CometRpcServer} serves the reference ledger in the same
 * shapes, so CometBFT light clients can follow it and the RPC path is tested end to end.
 */
package io.wattproof.simulator.ledger.rpc;
