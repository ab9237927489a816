package io.wattproof.agent.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.wattproof.protocol.v1.Receipt;
import io.wattproof.protocol.v1.TxResultCode;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BookingReceiptTest {
    private final byte[] tx = "a booking transaction, as bytes".getBytes();

    @Test
    void anIncludedOkReceiptIsAccepted() {
        BookingReceipt r = BookingReceipt.match(Receipts.included(tx, 7, TxResultCode.RESULT_OK, "").toByteArray(), tx);
        assertEquals(new BookingReceipt.Accepted(7, 0), r);
    }

    @Test
    void aRefusalBeforeAnyBlockCarriesCodeAndLog() {
        byte[] payload = Receipts.refusedBeforeBlock(tx, TxResultCode.RESULT_BAD_NONCE, "booking nonce: expected 3, got 5").toByteArray();
        BookingReceipt.Refused r = assertInstanceOf(BookingReceipt.Refused.class, BookingReceipt.match(payload, tx));
        assertEquals(TxResultCode.RESULT_BAD_NONCE_VALUE, r.code());
        assertEquals("RESULT_BAD_NONCE (10)", r.codeName());
        assertEquals("booking nonce: expected 3, got 5", r.log());
        assertEquals(0, r.height());
    }

    @Test
    void aRefusalInABlockIsRefusedWithItsHeight() {
        byte[] payload = Receipts.included(tx, 9, TxResultCode.RESULT_INVALID, "booking window: overlaps booking ab").toByteArray();
        BookingReceipt.Refused r = assertInstanceOf(BookingReceipt.Refused.class, BookingReceipt.match(payload, tx));
        assertEquals(9, r.height());
        assertEquals(TxResultCode.RESULT_INVALID_VALUE, r.code());
    }

    @Test
    void aReceiptOfAnotherTransactionIsNotOurs() {
        byte[] other = "another booking".getBytes();
        assertInstanceOf(BookingReceipt.NotOurs.class,
                BookingReceipt.match(Receipts.included(other, 7, TxResultCode.RESULT_OK, "").toByteArray(), tx));
    }

    @Test
    void aProofOfOtherBytesUnderOurHashIsMalformed() {
        Receipt lying = Receipts.included(tx, 7, TxResultCode.RESULT_OK, "").toBuilder()
                .setProof(Receipts.included(tx, 7, TxResultCode.RESULT_OK, "").getProof().toBuilder()
                        .setData(ByteString.copyFromUtf8("something else")))
                .build();
        BookingReceipt.Malformed m = assertInstanceOf(BookingReceipt.Malformed.class, BookingReceipt.match(lying.toByteArray(), tx));
        assertTrue(m.reason().startsWith("receipt proof.data: expected the booking transaction (" + tx.length + " bytes"), m.reason());
    }

    @Test
    void anOkWithoutABlockIsMalformed() {
        byte[] payload = Receipts.refusedBeforeBlock(tx, TxResultCode.RESULT_OK, "").toByteArray();
        BookingReceipt.Malformed m = assertInstanceOf(BookingReceipt.Malformed.class, BookingReceipt.match(payload, tx));
        assertTrue(m.reason().startsWith("receipt height: expected"), m.reason());
    }

    @Test
    void garbageIsMalformedNotAnException() {
        BookingReceipt.Malformed m = assertInstanceOf(BookingReceipt.Malformed.class,
                BookingReceipt.match(new byte[] {(byte) 0xff, 0x01, 0x02}, tx));
        assertTrue(m.reason().startsWith("receipt: expected a wattproof.v1.Receipt"), m.reason());
    }

    @Test
    void noTruncationOfAReceiptThrowsOrIsAccepted() {
        byte[] full = Receipts.included(tx, 7, TxResultCode.RESULT_OK, "").toByteArray();
        for (int n = 0; n < full.length; n++) {
            BookingReceipt r = BookingReceipt.match(Arrays.copyOf(full, n), tx);
            assertTrue(!(r instanceof BookingReceipt.Accepted), "a receipt cut to " + n + " bytes was accepted");
        }
    }
}
