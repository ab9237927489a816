package io.wattproof.modbus.frame.rtu;

/**
 * How long an RTU frame starting at some offset is, judged from its first bytes. RTU has no length
 * field: a receiver knows where a frame ends from its function code (and byte counts inside it),
 * or from the 3.5-character silence after it (Serial Line V1.02 section 2.5.1.1). Length-based
 * framing lets a master find a frame inside noise and stop reading as soon as it is complete.
 */
sealed interface FrameLength {

    /** The frame is {@code length} bytes including address and CRC. */
    record Known(int length) implements FrameLength {}

    /** The bytes so far do not decide the length yet. */
    record NeedMore() implements FrameLength {}

    /** No frame this driver understands starts here (unknown function, impossible byte count). */
    record Unframeable() implements FrameLength {}

    FrameLength NEED_MORE = new NeedMore();
    FrameLength UNFRAMEABLE = new Unframeable();

    int FC_READ_HOLDING = 0x03;
    int FC_READ_INPUT = 0x04;
    int FC_WRITE_SINGLE = 0x06;
    int FC_WRITE_MULTIPLE = 0x10;
    int FC_ENCAPSULATED = 0x2B;
    int MEI_READ_DEVICE_ID = 0x0E;

    /** Length of a response (server to client) starting at {@code start}; {@code end} is exclusive. */
    static FrameLength ofResponse(byte[] b, int start, int end) {
        if (end - start < 2) {
            return NEED_MORE;
        }
        int function = b[start + 1] & 0xFF;
        if ((function & 0x80) != 0) {
            // Application Protocol section 7: address, function | 0x80, exception code, CRC.
            return (function & 0x7F) == 0 ? UNFRAMEABLE : known(5);
        }
        return switch (function) {
            case FC_READ_HOLDING, FC_READ_INPUT -> {
                // Sections 6.3/6.4: address, function, byte count (2..250, even), data, CRC.
                if (end - start < 3) {
                    yield NEED_MORE;
                }
                int byteCount = b[start + 2] & 0xFF;
                yield byteCount < 2 || byteCount > 250 || byteCount % 2 != 0 ? UNFRAMEABLE : known(5 + byteCount);
            }
            // Sections 6.6/6.12: the response echoes address and value, or address and quantity.
            case FC_WRITE_SINGLE, FC_WRITE_MULTIPLE -> known(8);
            case FC_ENCAPSULATED -> deviceIdentificationResponse(b, start, end);
            default -> UNFRAMEABLE;
        };
    }

    /**
     * Section 6.21: address, 0x2b, MEI type 0x0e, read device id code, conformity level, more
     * follows, next object id, number of objects, then per object: id, length, value; then CRC.
     */
    private static FrameLength deviceIdentificationResponse(byte[] b, int start, int end) {
        if (end - start < 3) {
            return NEED_MORE;
        }
        if ((b[start + 2] & 0xFF) != MEI_READ_DEVICE_ID) {
            return UNFRAMEABLE;
        }
        if (end - start < 8) {
            return NEED_MORE;
        }
        int objects = b[start + 7] & 0xFF;
        int position = start + 8;
        for (int i = 0; i < objects; i++) {
            if (position + 2 > end) {
                return NEED_MORE;
            }
            position += 2 + (b[position + 1] & 0xFF);
            if (position - start + 2 > RtuFrame.MAX_FRAME_LENGTH) {
                return UNFRAMEABLE;
            }
        }
        return known(position - start + 2);
    }

    /** Length of a request (client to server) starting at {@code start}; {@code end} is exclusive. */
    static FrameLength ofRequest(byte[] b, int start, int end) {
        if (end - start < 2) {
            return NEED_MORE;
        }
        int function = b[start + 1] & 0xFF;
        return switch (function) {
            // Sections 6.3, 6.4, 6.6: address, function, 2-byte address, 2-byte quantity or value, CRC.
            case FC_READ_HOLDING, FC_READ_INPUT, FC_WRITE_SINGLE -> known(8);
            case FC_WRITE_MULTIPLE -> {
                // Section 6.12: address, function, start (2), quantity (2), byte count, values, CRC.
                if (end - start < 7) {
                    yield NEED_MORE;
                }
                yield known(9 + (b[start + 6] & 0xFF));
            }
            case FC_ENCAPSULATED -> {
                // Section 6.21: address, 0x2b, 0x0e, read device id code, object id, CRC.
                if (end - start < 3) {
                    yield NEED_MORE;
                }
                yield (b[start + 2] & 0xFF) == MEI_READ_DEVICE_ID ? known(7) : UNFRAMEABLE;
            }
            default -> UNFRAMEABLE;
        };
    }

    private static FrameLength known(int length) {
        return length > RtuFrame.MAX_FRAME_LENGTH ? UNFRAMEABLE : new Known(length);
    }
}
