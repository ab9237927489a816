/**
 * The outbox: signed records are stored durably, with the chain state they advance, before they
 * are sent, and stay until they are acknowledged (later: until their inclusion in the ledger is
 * proven). {@link io.wattproof.agent.outbox.FileOutbox} is the durable store, an append-only log,
 * {@link io.wattproof.agent.outbox.MemoryOutbox} its in-memory twin for tests.
 */
package io.wattproof.agent.outbox;
