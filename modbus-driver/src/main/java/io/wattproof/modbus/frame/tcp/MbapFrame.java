package io.wattproof.modbus.frame.tcp;

import io.wattproof.modbus.pdu.Hex;
import io.wattproof.modbus.pdu.PduCodec;
import java.util.Arrays;

/**
 * A Modbus TCP application data unit: MBAP header + PDU (Implementation Guide V1.0b section
 * 3.1.3). The header's protocol identifier is always 0 (Modbus) and its length field is derived
 * from the PDU, so neither is stored.
 *
 * <pre>
 * offset  size  field
 *   0      2    transaction identifier  (pairs a response with its request, echoed by the server)
 *   2      2    protocol identifier     (0 = Modbus)
 *   4      2    length                  (number of following bytes: unit id + PDU, 2..254)
 *   6      1    unit identifier         (addresses a device behind a gateway, echoed by the server)
 *   7      n    PDU                     (1..253 bytes)
 * </pre>
 *
 * @param transactionId 0..65535
 * @param unitId 0..255
 * @param pdu 1..253 bytes, copied in and out
 */
public record MbapFrame(int transactionId, int unitId, byte[] pdu) {
    public static final int HEADER_LENGTH = 7;
    /** Section 3.1.3 / Application Protocol section 4.1: 7-byte header + 253-byte PDU. */
    public static final int MAX_FRAME_LENGTH = HEADER_LENGTH + PduCodec.MAX_PDU_LENGTH;
    public static final int PROTOCOL_ID = 0;

    public MbapFrame {
        if (transactionId < 0 || transactionId > 0xFFFF) {
            throw new IllegalArgumentException("transaction id: expected 0..65535, actual " + transactionId);
        }
        if (unitId < 0 || unitId > 0xFF) {
            throw new IllegalArgumentException("unit id: expected 0..255, actual " + unitId);
        }
        if (pdu == null) {
            throw new NullPointerException("pdu");
        }
        if (pdu.length < 1 || pdu.length > PduCodec.MAX_PDU_LENGTH) {
            throw new IllegalArgumentException("pdu length: expected 1..253 bytes, actual " + pdu.length + " bytes");
        }
        pdu = pdu.clone();
    }

    @Override
    public byte[] pdu() {
        return pdu.clone();
    }

    /** The value of the header's length field: unit id + PDU. */
    public int lengthField() {
        return 1 + pdu.length;
    }

    public byte[] encode() {
        byte[] out = new byte[HEADER_LENGTH + pdu.length];
        out[0] = (byte) (transactionId >>> 8);
        out[1] = (byte) transactionId;
        out[2] = (byte) (PROTOCOL_ID >>> 8);
        out[3] = (byte) PROTOCOL_ID;
        out[4] = (byte) (lengthField() >>> 8);
        out[5] = (byte) lengthField();
        out[6] = (byte) unitId;
        System.arraycopy(pdu, 0, out, HEADER_LENGTH, pdu.length);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MbapFrame other
                && transactionId == other.transactionId
                && unitId == other.unitId
                && Arrays.equals(pdu, other.pdu);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * transactionId + unitId) + Arrays.hashCode(pdu);
    }

    @Override
    public String toString() {
        return "MbapFrame[transactionId=" + Hex.wordValue(transactionId) + ", unitId=" + unitId
                + ", pdu=" + Hex.bytes(pdu) + "]";
    }
}
