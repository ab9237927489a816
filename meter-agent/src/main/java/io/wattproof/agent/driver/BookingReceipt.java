package io.wattproof.agent.driver;

import io.wattproof.agent.ledger.LedgerReceipt;
import io.wattproof.agent.ledger.ReceiptCheck;
import io.wattproof.agent.ledger.ReceiptReading;
import io.wattproof.agent.ledger.ReceiptVerdict;
import io.wattproof.agent.charging.ChargingTransactions;
import io.wattproof.lightclient.tx.TxProof;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * What a payload on {@code drivers/<D>/receipts} says about one booking transaction. Pure: the
 * receipt is read ({@link ReceiptCheck#read}), matched by tx hash (SHA-256 of the transaction
 * bytes, CometBFT's tx hash) and, when it claims a block, its {@code proof.data} must be the
 * transaction itself. The proof is not verified against a header here: the car owner's side has no
 * light client yet (docs/charging.md "Car owner's side"), so an accepted booking is as good as the
 * gateway's word until the pile, which does verify, answers a start request.
 */
public sealed interface BookingReceipt {
    /** The ledger accepted the booking in block {@code height}. */
    record Accepted(long height, int code) implements BookingReceipt {}

    /**
     * The ledger refused it: {@code height} 0 when refused before any block (CheckTx), else the
     * block that refused it; {@code log} names the field with expected and actual values.
     */
    record Refused(int code, String codeName, String log, long height) implements BookingReceipt {}

    /** A receipt of another transaction (an earlier booking's late receipt): ignore. */
    record NotOurs(String txHashHex) implements BookingReceipt {}

    /** Not a usable receipt; {@code reason} names the field, expected and actual. */
    record Malformed(String reason) implements BookingReceipt {}

    static BookingReceipt match(byte[] payload, byte[] tx) {
        ReceiptReading reading = ReceiptCheck.read(payload);
        if (reading instanceof ReceiptVerdict.Malformed m) {
            return new Malformed("receipt" + (m.field().equals("receipt") ? "" : " " + m.field()) + ": expected " + m.expected() + ", got " + m.actual());
        }
        LedgerReceipt r = (LedgerReceipt) reading;
        byte[] expected = ChargingTransactions.txHash(tx);
        if (!Arrays.equals(r.txHash().toArray(), expected)) {
            return new NotOurs(r.txHash().hex());
        }
        if (r.proof().isPresent()) {
            TxProof p = r.proof().get();
            if (!Arrays.equals(p.data().toArray(), tx)) {
                return new Malformed("receipt proof.data: expected the booking transaction (" + tx.length + " bytes, sha-256 "
                        + HexFormat.of().formatHex(expected) + "), got " + p.data().length() + " other bytes");
            }
        }
        if (r.claimsInclusion()) {
            return new Accepted(r.height(), r.code());
        }
        return new Refused(r.code(), ReceiptCheck.codeName(r.code()), r.log(), r.height());
    }
}
