/**
 * Transaction inclusion: checks, as pure functions, that a transaction returned by a node's
 * {@code /tx} or {@code /tx_search} (with {@code prove=true}) is part of a block, by recomputing the
 * Merkle root of the block's transactions from the proof and comparing it with the header's
 * {@code data_hash}; and that a transaction's result is the one its block committed, against the
 * next header's {@code last_results_hash} ({@link io.wattproof.lightclient.tx.ResultInclusion}). A
 * header is only as good as its own verification: check it with the light
 * client (or against the genesis validators) first.
 */
package io.wattproof.lightclient.tx;
