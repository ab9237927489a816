package io.wattproof.agent.ledger;

import io.wattproof.lightclient.tx.ResultProof;
import io.wattproof.lightclient.tx.TxProof;
import io.wattproof.lightclient.types.Bytes;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code wattproof.v1.Receipt} whose fields are in range, nothing in it verified yet.
 *
 * @param txHash SHA-256 of the {@code SignedTx} bytes it is about (32 bytes)
 * @param code {@code TxResultCode} number as sent (unknown numbers are kept, they are refusals)
 * @param log the ledger's reason for a refusal
 * @param height block holding the transaction, ≥ 1 when there is a proof; 0 when in no block
 * @param proof the inclusion proof, present with {@code RESULT_OK} and {@code RESULT_ALREADY_INCLUDED},
 *     and with a refusal that carries a result proof (the transaction is in the block, refused there)
 * @param resultProof the proof of the result against {@code last_results_hash} of header
 *     {@code height + 1}; empty from a gateway that does not build one (inclusion is then all a
 *     receipt proves)
 */
public record LedgerReceipt(Bytes txHash, int code, String log, long height, Optional<TxProof> proof,
        Optional<ResultProof> resultProof) implements ReceiptReading {
    public LedgerReceipt {
        Objects.requireNonNull(txHash, "tx hash");
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(proof, "proof");
        Objects.requireNonNull(resultProof, "result proof");
        if (resultProof.isPresent() && proof.isEmpty()) {
            throw new IllegalArgumentException("result proof: only with an inclusion proof, which gives the transaction's index");
        }
    }

    /** A receipt that proves inclusion only (no result proof). */
    public LedgerReceipt(Bytes txHash, int code, String log, long height, Optional<TxProof> proof) {
        this(txHash, code, log, height, proof, Optional.empty());
    }

    /** The ledger says the transaction is in block {@link #height}: accepted now, or before. */
    public boolean claimsInclusion() {
        return code == ReceiptCheck.RESULT_OK || code == ReceiptCheck.RESULT_ALREADY_INCLUDED;
    }
}
