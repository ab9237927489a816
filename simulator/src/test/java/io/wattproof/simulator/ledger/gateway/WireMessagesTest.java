package io.wattproof.simulator.ledger.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.wattproof.lightclient.encoding.Hashes;
import io.wattproof.lightclient.encoding.LightBlockCodec;
import io.wattproof.lightclient.tx.ResultInclusion;
import io.wattproof.lightclient.tx.ResultProof;
import io.wattproof.lightclient.tx.ResultVerdict;
import io.wattproof.lightclient.tx.TxInclusion;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.protocol.v1.BodyType;
import io.wattproof.protocol.v1.Booking;
import io.wattproof.protocol.v1.LightBlockRequest;
import io.wattproof.protocol.v1.LightBlockResponse;
import io.wattproof.protocol.v1.PileOffer;
import io.wattproof.protocol.v1.Receipt;
import io.wattproof.protocol.v1.SignedTx;
import io.wattproof.simulator.ledger.CommittedBlock;
import io.wattproof.simulator.ledger.IncludedTx;
import io.wattproof.simulator.ledger.TxResult;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WireMessagesTest {

    @Test
    void parsesARequestForAHeightOrTheLatest() {
        assertEquals(new WireMessages.ParsedRequest.Height(7),
                WireMessages.parseRequest(LightBlockRequest.newBuilder().setHeight(7).build().toByteArray()));
        assertEquals(new WireMessages.ParsedRequest.Height(0), WireMessages.parseRequest(new byte[0]));
    }

    @Test
    void aMalformedRequestIsAValueNamingTheProblem() {
        var bad = WireMessages.parseRequest(new byte[] {(byte) 0xff, (byte) 0xff, 0x01});
        assertTrue(assertInstanceOf(WireMessages.ParsedRequest.Malformed.class, bad).reason()
                .startsWith("light block request: not a LightBlockRequest (3 bytes)"), bad.toString());
        var negative = WireMessages.parseRequest(LightBlockRequest.newBuilder().setHeight(-5).build().toByteArray());
        assertEquals(new WireMessages.ParsedRequest.Malformed("height: expected 0 (the latest) or a height >= 1, got -5"), negative);
    }

    @Test
    void aReceiptCarriesTheResultHeightAndAProofThatVerifiesAgainstTheHeader() throws Exception {
        try (FakeLedgerNode node = new FakeLedgerNode("wire-test", 1)) {
            for (int i = 0; i < 5; i++) {
                node.submit(("tx-" + i).getBytes(StandardCharsets.UTF_8));
            }
            CommittedBlock block = node.commit();
            LightBlock lb = node.lightBlock(1).orElseThrow();
            for (IncludedTx tx : block.txs()) {
                Receipt r = Receipt.parseFrom(WireMessages.receipt(tx).toByteArray());
                assertArrayEquals(tx.hash(), r.getTxHash().toByteArray());
                assertEquals(0, r.getCode());
                assertEquals(1, r.getHeight());
                var proof = WireMessages.fromWire(r.getProof());
                assertEquals(tx.proof(), proof);
                assertTrue(TxInclusion.verify(proof, lb.header()).isVerified());
            }
        }
    }

    @Test
    void aReceiptCarriesAResultProofThatVerifiesAgainstTheNextHeader() throws Exception {
        try (FakeLedgerNode node = new FakeLedgerNode("wire-test", 3)) {
            for (int i = 0; i < 7; i++) {
                node.submit(("tx-" + i).getBytes(StandardCharsets.UTF_8));
            }
            CommittedBlock block = node.commit();
            node.commit();
            var next = node.lightBlock(2).orElseThrow().header();
            for (IncludedTx tx : block.txs()) {
                Receipt r = Receipt.parseFrom(WireMessages.receipt(tx).toByteArray());
                assertTrue(r.hasResultProof());
                ResultProof proof = WireMessages.fromWire(r.getResultProof());
                assertEquals(tx.resultProof(), proof);
                ResultVerdict v = ResultInclusion.verify(proof, tx.height(), tx.index(), next);
                assertEquals(0, assertInstanceOf(ResultVerdict.Verified.class, v, v.describe()).result().code());
                // Against the block's own header (not the next one) it proves nothing.
                assertInstanceOf(ResultVerdict.HeightMismatch.class,
                        ResultInclusion.verify(proof, tx.height(), tx.index(), node.lightBlock(1).orElseThrow().header()));
            }
        }
    }

    @Test
    void aRefusalHasHeightZeroAndNoProof() {
        Receipt r = WireMessages.refused(new byte[32], TxResult.refused(6, "previous_hash: expected ab, got cd"));
        assertEquals(6, r.getCode());
        assertEquals("previous_hash: expected ab, got cd", r.getLog());
        assertEquals(0, r.getHeight());
        assertFalse(r.hasProof());
        assertFalse(r.hasResultProof());
    }

    @Test
    void aLightBlockResponseCarriesTheNextValidatorSetWhenKnown() throws Exception {
        try (FakeLedgerNode node = new FakeLedgerNode("wire-test", 2)) {
            node.commit();
            node.commit();
            LightBlockResponse withNext = WireMessages.lightBlock(node.lightBlock(1).orElseThrow(), 2);
            LightBlock decoded = LightBlockCodec.decode(withNext.getLightBlock().toByteArray());
            assertEquals(1, decoded.height());
            assertEquals(2, withNext.getLatestHeight());
            assertEquals(decoded.header().nextValidatorsHash(),
                    Hashes.validatorSet(LightBlockCodec.decodeValidatorSet(withNext.getNextValidatorSet().toByteArray())));

            LightBlockResponse latest = WireMessages.lightBlock(node.lightBlock(2).orElseThrow(), 2);
            assertTrue(latest.getNextValidatorSet().isEmpty());
            assertEquals("", latest.getError());

            LightBlockResponse error = WireMessages.error("height 9 is above the latest height 2", 2);
            assertTrue(error.getLightBlock().isEmpty());
            assertEquals(2, error.getLatestHeight());
        }
    }

    @Test
    void findsTheOfferABookingBooksAndThePileOfAnOffer() {
        byte[] offerHash = new byte[32];
        offerHash[0] = 7;
        byte[] pile = new byte[20];
        pile[19] = (byte) 0xab;
        byte[] booking = signed(BodyType.BOOKING, Booking.newBuilder().setOfferTxHash(ByteString.copyFrom(offerHash)).build().toByteString());
        byte[] offer = signed(BodyType.PILE_OFFER, PileOffer.newBuilder().setPileDeviceId(ByteString.copyFrom(pile)).build().toByteString());
        assertEquals(Optional.of(Bytes.of(offerHash)), WireMessages.bookedOffer(booking));
        assertEquals(Optional.of("00000000000000000000000000000000000000ab"), WireMessages.offeringPile(offer));
        // Each only for its own body type.
        assertEquals(Optional.empty(), WireMessages.bookedOffer(offer));
        assertEquals(Optional.empty(), WireMessages.offeringPile(booking));
    }

    @Test
    void anythingElseIsNoBookingAndNoOffer() {
        byte[] shortHash = signed(BodyType.BOOKING, Booking.newBuilder().setOfferTxHash(ByteString.copyFrom(new byte[31])).build().toByteString());
        byte[] shortPile = signed(BodyType.PILE_OFFER, PileOffer.newBuilder().setPileDeviceId(ByteString.copyFrom(new byte[21])).build().toByteString());
        byte[] notABody = signed(BodyType.BOOKING, ByteString.copyFrom(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}));
        byte[] reading = signed(BodyType.READING, ByteString.EMPTY);
        for (byte[] tx : new byte[][] {shortHash, shortPile, notABody, reading, new byte[0], {(byte) 0xff, 1, 2}, "reading-1".getBytes(StandardCharsets.UTF_8)}) {
            assertEquals(Optional.empty(), WireMessages.bookedOffer(tx));
            assertEquals(Optional.empty(), WireMessages.offeringPile(tx));
        }
    }

    private static byte[] signed(BodyType type, ByteString body) {
        return SignedTx.newBuilder().setBodyType(type).setBody(body).setSignature(ByteString.copyFrom(new byte[64])).build().toByteArray();
    }
}
