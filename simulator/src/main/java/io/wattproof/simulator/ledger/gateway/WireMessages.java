package io.wattproof.simulator.ledger.gateway;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.wattproof.lightclient.encoding.LightBlockCodec;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.protocol.v1.BodyType;
import io.wattproof.protocol.v1.Booking;
import io.wattproof.protocol.v1.LightBlockRequest;
import io.wattproof.protocol.v1.LightBlockResponse;
import io.wattproof.protocol.v1.MerkleProof;
import io.wattproof.protocol.v1.PileOffer;
import io.wattproof.protocol.v1.Receipt;
import io.wattproof.protocol.v1.SignedTx;
import io.wattproof.protocol.v1.TxProof;
import io.wattproof.simulator.ledger.IncludedTx;
import io.wattproof.simulator.ledger.TxResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The gateway's messages ({@code wattproof.v1} {@code Receipt}, {@code LightBlockRequest},
 * {@code LightBlockResponse}) to and from the ledger's values. Pure: no I/O, never throws on bytes
 * from the network.
 */
public final class WireMessages {
    private WireMessages() {}

    /** A parsed {@code LightBlockRequest}, or why it is not one. */
    public sealed interface ParsedRequest {
        /** @param height 0 = the latest, otherwise a height >= 1 */
        record Height(long height) implements ParsedRequest {}

        record Malformed(String reason) implements ParsedRequest {}
    }

    public static ParsedRequest parseRequest(byte[] payload) {
        LightBlockRequest request;
        try {
            request = LightBlockRequest.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            return new ParsedRequest.Malformed("light block request: not a LightBlockRequest (" + payload.length
                    + " bytes): " + e.getMessage());
        }
        if (request.getHeight() < 0) {
            return new ParsedRequest.Malformed("height: expected 0 (the latest) or a height >= 1, got " + request.getHeight());
        }
        return new ParsedRequest.Height(request.getHeight());
    }

    /**
     * The receipt of a transaction in a block: its result, height, inclusion proof, and the proof of
     * its result against the next header's {@code last_results_hash}.
     */
    public static Receipt receipt(IncludedTx tx) {
        return Receipt.newBuilder()
                .setTxHash(ByteString.copyFrom(tx.hash()))
                .setCode(tx.result().code())
                .setLog(tx.result().log())
                .setHeight(tx.height())
                .setProof(toWire(tx.proof()))
                .setResultProof(toWire(tx.resultProof()))
                .build();
    }

    /** {@code wattproof.v1.ResultProof}: the result bytes and the Merkle path, which has no root (the root is the header's). */
    public static io.wattproof.protocol.v1.ResultProof toWire(io.wattproof.lightclient.tx.ResultProof proof) {
        MerkleProof.Builder m = MerkleProof.newBuilder()
                .setTotal(proof.total())
                .setIndex(proof.index())
                .setLeafHash(ByteString.copyFrom(proof.leafHash().toArray()));
        for (Bytes aunt : proof.aunts()) {
            m.addAunts(ByteString.copyFrom(aunt.toArray()));
        }
        return io.wattproof.protocol.v1.ResultProof.newBuilder()
                .setResult(ByteString.copyFrom(proof.result().toArray()))
                .setProof(m)
                .build();
    }

    /** A SHA-256 tx hash. */
    private static final int TX_HASH_BYTES = 32;
    /** A device id: the first 20 bytes of SHA-256 of the DER key (docs/protocol.md). */
    private static final int DEVICE_ID_BYTES = 20;

    /**
     * The offer a committed transaction books ({@code Booking.offer_tx_hash}, 32 bytes), when it is a
     * {@code SignedTx} with {@code body_type BOOKING}; empty for any other bytes. The ledger decides
     * whether the booking holds: the gateway only routes its receipt (docs/charging.md, "How the
     * pile learns of a booking").
     */
    public static Optional<Bytes> bookedOffer(byte[] tx) {
        try {
            SignedTx signed = SignedTx.parseFrom(tx);
            if (signed.getBodyType() != BodyType.BOOKING) {
                return Optional.empty();
            }
            Booking booking = Booking.parseFrom(signed.getBody());
            if (booking.getOfferTxHash().size() != TX_HASH_BYTES) {
                return Optional.empty();
            }
            return Optional.of(Bytes.of(booking.getOfferTxHash().toByteArray()));
        } catch (InvalidProtocolBufferException e) {
            return Optional.empty();
        }
    }

    /**
     * The pile of an offer transaction ({@code PileOffer.pile_device_id}, 20 bytes, in lowercase hex
     * as in topics), when it is a {@code SignedTx} with {@code body_type PILE_OFFER}; empty otherwise.
     */
    public static Optional<String> offeringPile(byte[] tx) {
        try {
            SignedTx signed = SignedTx.parseFrom(tx);
            if (signed.getBodyType() != BodyType.PILE_OFFER) {
                return Optional.empty();
            }
            PileOffer offer = PileOffer.parseFrom(signed.getBody());
            if (offer.getPileDeviceId().size() != DEVICE_ID_BYTES) {
                return Optional.empty();
            }
            return Optional.of(java.util.HexFormat.of().formatHex(offer.getPileDeviceId().toByteArray()));
        } catch (InvalidProtocolBufferException e) {
            return Optional.empty();
        }
    }

    /** The receipt of a transaction the node refused: its code and log, height 0, no proof. */
    public static Receipt refused(byte[] txHash, TxResult result) {
        return Receipt.newBuilder()
                .setTxHash(ByteString.copyFrom(txHash))
                .setCode(result.code())
                .setLog(result.log())
                .setHeight(0)
                .build();
    }

    /**
     * A light block with, when the block carries it, the validator set of height + 1
     * ({@code tendermint.types.LightBlock} has no field for it, hence the separate one).
     */
    public static LightBlockResponse lightBlock(LightBlock block, long latestHeight) {
        LightBlockResponse.Builder b = LightBlockResponse.newBuilder()
                .setLightBlock(ByteString.copyFrom(LightBlockCodec.encode(block)))
                .setLatestHeight(latestHeight);
        block.nextValidators().ifPresent(next -> b.setNextValidatorSet(ByteString.copyFrom(LightBlockCodec.encodeValidatorSet(next))));
        return b.build();
    }

    public static LightBlockResponse error(String error, long latestHeight) {
        return LightBlockResponse.newBuilder().setError(error).setLatestHeight(latestHeight).build();
    }

    /**
     * CometBFT's {@code tendermint.types.TxProof} with its {@code tendermint.crypto.Proof}: the same
     * field numbers, so the bytes are those a CometBFT node's proof encodes to.
     */
    public static TxProof toWire(io.wattproof.lightclient.tx.TxProof proof) {
        MerkleProof.Builder m = MerkleProof.newBuilder()
                .setTotal(proof.total())
                .setIndex(proof.index())
                .setLeafHash(ByteString.copyFrom(proof.leafHash().toArray()));
        for (Bytes aunt : proof.aunts()) {
            m.addAunts(ByteString.copyFrom(aunt.toArray()));
        }
        return TxProof.newBuilder()
                .setRootHash(ByteString.copyFrom(proof.rootHash().toArray()))
                .setData(ByteString.copyFrom(proof.data().toArray()))
                .setProof(m)
                .build();
    }

    /** The proof as the light client checks it; a missing {@code proof} field reads as total 0 (refused there). */
    public static io.wattproof.lightclient.tx.TxProof fromWire(TxProof proof) {
        MerkleProof m = proof.getProof();
        List<Bytes> aunts = new ArrayList<>(m.getAuntsCount());
        for (ByteString a : m.getAuntsList()) {
            aunts.add(Bytes.of(a.toByteArray()));
        }
        return new io.wattproof.lightclient.tx.TxProof(Bytes.of(proof.getRootHash().toByteArray()),
                Bytes.of(proof.getData().toByteArray()), m.getTotal(), m.getIndex(), Bytes.of(m.getLeafHash().toByteArray()), aunts);
    }

    /** The result proof as the light client checks it; a missing {@code proof} field reads as total 0 (refused there). */
    public static io.wattproof.lightclient.tx.ResultProof fromWire(io.wattproof.protocol.v1.ResultProof proof) {
        MerkleProof m = proof.getProof();
        List<Bytes> aunts = new ArrayList<>(m.getAuntsCount());
        for (ByteString a : m.getAuntsList()) {
            aunts.add(Bytes.of(a.toByteArray()));
        }
        return new io.wattproof.lightclient.tx.ResultProof(Bytes.of(proof.getResult().toByteArray()), m.getTotal(), m.getIndex(),
                Bytes.of(m.getLeafHash().toByteArray()), aunts);
    }
}
