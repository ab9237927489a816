package io.wattproof.agent.ledger;

import com.google.protobuf.ByteString;
import io.wattproof.lightclient.provider.LightBlockProvider;
import io.wattproof.lightclient.provider.ProviderException;
import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.protocol.v1.Receipt;
import io.wattproof.protocol.v1.TxProof;
import io.wattproof.protocol.v1.TxResultCode;
import java.util.List;
import java.util.function.Consumer;

/**
 * A gateway in front of a {@link LedgerChain}, honest unless told otherwise: each submitted
 * transaction goes into a block of its own (with a filler transaction, so every proof has an aunt),
 * the same transaction again is answered {@code RESULT_ALREADY_INCLUDED} with the receipt of its
 * block. Lies are armed one at a time and used once.
 */
public final class FakeGateway implements LightBlockProvider {
    public final LedgerChain chain;
    private final Consumer<byte[]> receipts;
    int submitted;
    int served;
    /** Receipts to swallow. */
    int withhold;
    /** The next receipt is this refusal (nothing is committed). */
    TxResultCode refuseNext;
    /** The next receipt's proof has a flipped aunt. */
    boolean badProofNext;
    /** Receipts carry the proof of their result (against the next block's header). */
    public volatile boolean withResults;
    /** The next new transaction is refused by its block (it is included, with this result code). */
    TxResultCode blockRefusesNext;
    /** The next receipt claims this code instead of the block's, its proofs kept. */
    TxResultCode lieCodeNext;
    /** The block at this height is served with a forged data_hash, once. */
    public volatile long forgeHeightOnce;
    int forgedServed;

    public FakeGateway(LedgerChain chain, Consumer<byte[]> receipts) {
        this.chain = chain;
        this.receipts = receipts;
    }

    public synchronized void submit(byte[] tx) {
        submitted++;
        Receipt receipt;
        if (refuseNext != null) {
            receipt = LedgerChain.refusal(tx, refuseNext, "previous_hash: expected 00, got 01");
            refuseNext = null;
        } else {
            boolean known = chain.find(tx).isPresent();
            if (!known) {
                int code = blockRefusesNext == null ? 0 : blockRefusesNext.getNumber();
                blockRefusesNext = null;
                chain.commit(List.of(new byte[] {(byte) chain.height()}, tx), List.of(0, code));
            }
            TxResultCode code = known ? TxResultCode.RESULT_ALREADY_INCLUDED : TxResultCode.RESULT_OK;
            if (withResults) {
                // As the simulator's gateway: the block's own result code, proven by the result proof.
                long[] at = chain.find(tx).orElseThrow();
                int blockCode = chain.code(at[0], (int) at[1]);
                receipt = chain.receiptWithResult(tx, blockCode == 0 ? code : TxResultCode.forNumber(blockCode));
            } else {
                receipt = chain.receipt(tx, code);
            }
            if (lieCodeNext != null) {
                receipt = receipt.toBuilder().setCode(lieCodeNext.getNumber()).build();
                lieCodeNext = null;
            }
            if (badProofNext) {
                badProofNext = false;
                TxProof p = receipt.getProof();
                byte[] aunt = p.getProof().getAunts(0).toByteArray();
                aunt[0] ^= 1;
                receipt = receipt.toBuilder().setProof(p.toBuilder().setProof(p.getProof().toBuilder()
                        .setAunts(0, ByteString.copyFrom(aunt)))).build();
            }
        }
        if (withhold > 0) {
            withhold--;
            return;
        }
        receipts.accept(receipt.toByteArray());
    }

    @Override
    public String id() {
        return "fake-gateway";
    }

    @Override
    public synchronized LightBlock lightBlock(long height) throws ProviderException {
        if (height > chain.height()) {
            throw new ProviderException.NotFound(id(), height, "above the latest height " + chain.height());
        }
        served++;
        if (height == forgeHeightOnce) {
            forgeHeightOnce = 0;
            forgedServed++;
            return chain.forgedDataHash(height);
        }
        return chain.block(height);
    }

    @Override
    public synchronized LightBlock latest() throws ProviderException {
        return lightBlock(chain.height());
    }
}
