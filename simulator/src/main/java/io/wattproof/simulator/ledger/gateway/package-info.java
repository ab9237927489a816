/**
 * The gateway between MQTT and a {@link io.wattproof.simulator.ledger.LedgerNode} (docs/ledger.md,
 * "Gateway"): it takes devices' and operators' transactions from their {@code tx} topics through an
 * MQTT 5 shared subscription, submits them to the node, and answers with receipts that carry
 * CometBFT-compatible inclusion proofs; it publishes every committed block as the retained latest
 * light block and answers light-block requests on the requester's own response topic. Topic rules,
 * message building and the lies of a byzantine gateway are pure ({@link
 * io.wattproof.simulator.ledger.gateway.Topics}, {@link io.wattproof.simulator.ledger.gateway.WireMessages},
 * {@link io.wattproof.simulator.ledger.gateway.Forgery}); {@link io.wattproof.simulator.ledger.gateway.Gateway}
 * is the Paho shell around them. Nothing a gateway sends is trusted by a device.
 */
package io.wattproof.simulator.ledger.gateway;
