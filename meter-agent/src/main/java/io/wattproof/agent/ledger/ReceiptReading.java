package io.wattproof.agent.ledger;

/** What the bytes of a receipt are: a receipt with fields in range, or not a receipt at all. */
public sealed interface ReceiptReading permits LedgerReceipt, ReceiptVerdict.Malformed {}
