/**
 * The agent's side of the ledger loop (docs/ledger.md, "What the agent does"): a light client that
 * follows the ledger from the trust anchor over the gateway's MQTT request/response topics
 * ({@link io.wattproof.agent.ledger.MqttLightBlockProvider}), the pure check of a receipt's
 * inclusion proof against a header the light client verified ({@link
 * io.wattproof.agent.ledger.ReceiptCheck}), and the shell that turns verified receipts into final
 * outbox records, re-submits what has no verified receipt and counts what a lying gateway tried
 * ({@link io.wattproof.agent.ledger.LedgerFollower}). Nothing the gateway sends is trusted: a record
 * is forgotten only after its proof verified against a header verified from the trust anchor.
 */
package io.wattproof.agent.ledger;
