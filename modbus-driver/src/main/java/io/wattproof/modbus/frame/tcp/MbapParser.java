package io.wattproof.modbus.frame.tcp;

import io.wattproof.modbus.pdu.Hex;
import io.wattproof.modbus.pdu.Violation;
import java.util.Arrays;
import java.util.Objects;

/**
 * Incremental MBAP parser: an immutable state fed raw bytes in arbitrary splits.
 *
 * <pre>{@code
 * MbapParser state = MbapParser.start();
 * state = state.feed(buffer, 0, n);
 * while (state instanceof MbapParser.Complete c) {
 *     handle(c.frame());
 *     state = c.next();          // parses bytes that followed the frame, if any
 * }
 * if (state instanceof MbapParser.Failed f) { close the connection }
 * }</pre>
 *
 * <p>A header that breaks Implementation Guide V1.0b section 3.1.3 (protocol id not 0, length
 * outside 2..254) leads to {@link Failed}, which is terminal: the length field is the only frame
 * delimiter on a TCP stream, so after a bad header the stream cannot be resynchronised and the
 * connection must be closed. Errors are detected as soon as the offending field is complete.
 */
public sealed interface MbapParser {

    /** Length field bounds: unit id (1) + PDU of 1..253 bytes. */
    int MIN_LENGTH_FIELD = 2;
    int MAX_LENGTH_FIELD = 1 + io.wattproof.modbus.pdu.PduCodec.MAX_PDU_LENGTH;

    static MbapParser start() {
        return new Accumulating(new byte[0]);
    }

    /** The state after {@code length} more bytes of the stream, from {@code bytes[offset]}. */
    MbapParser feed(byte[] bytes, int offset, int length);

    default MbapParser feed(byte[] bytes) {
        return feed(bytes, 0, bytes.length);
    }

    /** Fewer bytes than a whole frame so far; {@code buffered} is a copy of them. */
    record Accumulating(byte[] buffered) implements MbapParser {
        public Accumulating {
            buffered = buffered.clone();
        }

        @Override
        public byte[] buffered() {
            return buffered.clone();
        }

        @Override
        public MbapParser feed(byte[] bytes, int offset, int length) {
            Objects.checkFromIndexSize(offset, length, bytes.length);
            byte[] joined = Arrays.copyOf(buffered, buffered.length + length);
            System.arraycopy(bytes, offset, joined, buffered.length, length);
            return parse(joined);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Accumulating other && Arrays.equals(buffered, other.buffered);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(buffered);
        }

        @Override
        public String toString() {
            return "Accumulating[buffered=" + Hex.bytes(buffered) + "]";
        }
    }

    /**
     * A whole frame; {@code remainder} holds the bytes received after it (the start of the next
     * frame). A frame is never lost: only {@link #next()} moves past it.
     */
    record Complete(MbapFrame frame, byte[] remainder) implements MbapParser {
        public Complete {
            Objects.requireNonNull(frame, "frame");
            remainder = remainder.clone();
        }

        @Override
        public byte[] remainder() {
            return remainder.clone();
        }

        /** The state for the bytes after this frame: may itself be {@code Complete}. */
        public MbapParser next() {
            return parse(remainder);
        }

        /** Keeps this frame and appends the bytes to the remainder; {@link #next()} moves on. */
        @Override
        public MbapParser feed(byte[] bytes, int offset, int length) {
            Objects.checkFromIndexSize(offset, length, bytes.length);
            byte[] joined = Arrays.copyOf(remainder, remainder.length + length);
            System.arraycopy(bytes, offset, joined, remainder.length, length);
            return new Complete(frame, joined);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Complete other && frame.equals(other.frame) && Arrays.equals(remainder, other.remainder);
        }

        @Override
        public int hashCode() {
            return 31 * frame.hashCode() + Arrays.hashCode(remainder);
        }

        @Override
        public String toString() {
            return "Complete[frame=" + frame + ", remainder=" + Hex.bytes(remainder) + "]";
        }
    }

    /** The stream broke the MBAP rules; terminal (feeding it returns itself). */
    record Failed(Violation violation) implements MbapParser {
        public Failed {
            Objects.requireNonNull(violation, "violation");
        }

        @Override
        public MbapParser feed(byte[] bytes, int offset, int length) {
            return this;
        }
    }

    private static MbapParser parse(byte[] buffered) {
        if (buffered.length >= 4) {
            int protocolId = u16(buffered, 2);
            if (protocolId != MbapFrame.PROTOCOL_ID) {
                return new Failed(new Violation("protocol id", "0x0000 (modbus)", Hex.wordValue(protocolId),
                        Hex.bytes(buffered, 0, Math.min(buffered.length, MbapFrame.HEADER_LENGTH))));
            }
        }
        if (buffered.length < 6) {
            return new Accumulating(buffered);
        }
        int lengthField = u16(buffered, 4);
        if (lengthField < MIN_LENGTH_FIELD || lengthField > MAX_LENGTH_FIELD) {
            return new Failed(new Violation("length", MIN_LENGTH_FIELD + ".." + MAX_LENGTH_FIELD,
                    Integer.toString(lengthField),
                    Hex.bytes(buffered, 0, Math.min(buffered.length, MbapFrame.HEADER_LENGTH))));
        }
        int frameLength = 6 + lengthField;
        if (buffered.length < frameLength) {
            return new Accumulating(buffered);
        }
        MbapFrame frame = new MbapFrame(
                u16(buffered, 0),
                buffered[6] & 0xFF,
                Arrays.copyOfRange(buffered, MbapFrame.HEADER_LENGTH, frameLength));
        return new Complete(frame, Arrays.copyOfRange(buffered, frameLength, buffered.length));
    }

    private static int u16(byte[] bytes, int offset) {
        return ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF);
    }
}
