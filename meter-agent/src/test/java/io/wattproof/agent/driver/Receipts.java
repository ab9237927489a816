package io.wattproof.agent.driver;

import com.google.protobuf.ByteString;
import io.wattproof.agent.charging.ChargingTransactions;
import io.wattproof.protocol.v1.MerkleProof;
import io.wattproof.protocol.v1.Receipt;
import io.wattproof.protocol.v1.TxProof;
import io.wattproof.protocol.v1.TxResultCode;

/** Receipts as a gateway sends them, for tests: the proof is a one-leaf tree, which the car owner does not verify. */
final class Receipts {
    private Receipts() {}

    /** The block's answer: included at {@code height} with {@code code} (OK or a refusal the block decided). */
    static Receipt included(byte[] tx, long height, TxResultCode code, String log) {
        return Receipt.newBuilder()
                .setTxHash(ByteString.copyFrom(ChargingTransactions.txHash(tx)))
                .setCode(code.getNumber())
                .setLog(log)
                .setHeight(height)
                .setProof(TxProof.newBuilder()
                        .setRootHash(ByteString.copyFrom(new byte[32]))
                        .setData(ByteString.copyFrom(tx))
                        .setProof(MerkleProof.newBuilder().setTotal(1).setIndex(0).setLeafHash(ByteString.copyFrom(new byte[32]))))
                .build();
    }

    /** CheckTx's refusal: height 0, no proof. */
    static Receipt refusedBeforeBlock(byte[] tx, TxResultCode code, String log) {
        return Receipt.newBuilder()
                .setTxHash(ByteString.copyFrom(ChargingTransactions.txHash(tx)))
                .setCode(code.getNumber())
                .setLog(log)
                .build();
    }
}
