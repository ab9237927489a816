/**
 * The outbox: signed records are stored durably, with the chain state they advance, before they
 * are sent, and stay until they are final (their inclusion in the ledger proven) and pruned.
 * {@link io.wattproof.agent.outbox.FileOutbox} is the durable store, an append-only log compacted
 * by pruning, {@link io.wattproof.agent.outbox.MemoryOutbox} its in-memory twin for tests.
 */
package io.wattproof.agent.outbox;
