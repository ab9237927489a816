package io.wattproof.agent.ledger;

/**
 * Hears what the ledger follower has verified about transactions that are no records
 * (docs/charging.md, "How the pile learns of a booking"): bookings of the device's offers, and the
 * outcome of transactions the device sent itself ({@code PileOffer}, {@code SessionStart}). Each
 * call follows a receipt whose inclusion proof and result proof held against headers the light
 * client verified; nothing here is taken from the gateway on trust. The caller documents the
 * thread; return quickly.
 */
public interface LedgerTxListener {

    /**
     * A booking of one of the device's offers is in the block at {@code height}, and that block
     * accepted it. Called once per booking, with the {@code SignedTx} bytes as included (whose
     * SHA-256 is the booking's name); what the device itself must check about it
     * ({@code BookingCheck}) is still to do.
     */
    void bookingVerified(byte[] bookingTx, long height);

    /**
     * A transaction the device sent is in the block at {@code height}, with the proven result
     * {@code resultCode} (0 = accepted, otherwise a {@code TxResultCode} refusal). Called once per
     * transaction.
     */
    void txDecided(byte[] txHash, int resultCode, long height);
}
