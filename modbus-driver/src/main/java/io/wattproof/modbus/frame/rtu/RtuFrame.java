package io.wattproof.modbus.frame.rtu;

import io.wattproof.modbus.pdu.Hex;
import io.wattproof.modbus.pdu.PduCodec;
import java.util.Arrays;

/**
 * A Modbus RTU frame (Modbus over Serial Line V1.02 section 2.5.1): address, PDU, CRC.
 *
 * <pre>
 * offset  size  field
 *   0      1    address   (0 = broadcast, 1..247 a device, 248..255 reserved; section 2.2)
 *   1      n    PDU       (1..253 bytes; function code first)
 *   1+n    2    CRC-16    (over address + PDU, low byte first; see {@link Crc16})
 * </pre>
 *
 * The CRC is derived, so it is not stored: a received frame exists only once its CRC was checked.
 *
 * @param unitId 0..255
 * @param pdu 1..253 bytes, copied in and out
 */
public record RtuFrame(int unitId, byte[] pdu) {
    /** Section 2.5.1: an RTU frame is at most 256 bytes. */
    public static final int MAX_FRAME_LENGTH = 1 + PduCodec.MAX_PDU_LENGTH + 2;
    /** Address + function code + CRC: the smallest frame. */
    public static final int MIN_FRAME_LENGTH = 4;
    public static final int BROADCAST = 0;
    /** Section 2.2: addresses 248..255 are reserved. */
    public static final int MAX_DEVICE_ADDRESS = 247;

    public RtuFrame {
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

    /** The function code, first byte of the PDU (with the 0x80 error bit of an exception response). */
    public int functionCode() {
        return pdu[0] & 0xFF;
    }

    public int length() {
        return 1 + pdu.length + 2;
    }

    public byte[] encode() {
        byte[] out = new byte[length()];
        out[0] = (byte) unitId;
        System.arraycopy(pdu, 0, out, 1, pdu.length);
        int crc = Crc16.of(out, 0, 1 + pdu.length);
        out[out.length - 2] = (byte) crc;
        out[out.length - 1] = (byte) (crc >>> 8);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RtuFrame other && unitId == other.unitId && Arrays.equals(pdu, other.pdu);
    }

    @Override
    public int hashCode() {
        return 31 * unitId + Arrays.hashCode(pdu);
    }

    @Override
    public String toString() {
        return "RtuFrame[unitId=" + unitId + ", pdu=" + Hex.bytes(pdu) + "]";
    }
}
