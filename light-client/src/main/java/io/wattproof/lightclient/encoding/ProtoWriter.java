package io.wattproof.lightclient.encoding;

import io.wattproof.lightclient.types.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes protobuf fields the way gogoproto-generated Go code does for proto3: fields in ascending
 * field-number order (the caller's job), scalar fields with their zero value left out, nullable
 * messages left out when absent and non-nullable ({@code (gogoproto.nullable) = false}) messages
 * always written, even when empty. Byte equality with CometBFT depends on exactly these rules
 * (protobuf encoding guide, "Wire types"; CometBFT spec/core/encoding.md).
 */
final class ProtoWriter {
    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LEN = 2;

    private final Buffer out = new Buffer();

    /** An {@code int64}, {@code uint64}, {@code int32} or enum field; negative values take 10 bytes. */
    ProtoWriter varint(int field, long value) {
        if (value != 0) {
            tag(field, VARINT);
            writeVarint(value);
        }
        return this;
    }

    /** An {@code sfixed64} field: 8 bytes little-endian. */
    ProtoWriter sfixed64(int field, long value) {
        if (value != 0) {
            tag(field, FIXED64);
            for (int i = 0; i < 8; i++) {
                out.write((int) (value >>> (8 * i)) & 0xFF);
            }
        }
        return this;
    }

    ProtoWriter bytes(int field, Bytes value) {
        if (!value.isEmpty()) {
            lengthDelimited(field, value.toArray());
        }
        return this;
    }

    ProtoWriter string(int field, String value) {
        if (!value.isEmpty()) {
            lengthDelimited(field, value.getBytes(StandardCharsets.UTF_8));
        }
        return this;
    }

    /** A non-nullable embedded message: written even when its encoding is empty. */
    ProtoWriter message(int field, byte[] encoded) {
        lengthDelimited(field, encoded);
        return this;
    }

    private void lengthDelimited(int field, byte[] value) {
        tag(field, LEN);
        writeVarint(value.length);
        out.writeBytes(value);
    }

    private void tag(int field, int wireType) {
        writeVarint(((long) field << 3) | wireType);
    }

    private void writeVarint(long value) {
        writeVarint(out, value);
    }

    static void writeVarint(Buffer out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    /** {@code protoio.MarshalDelimited}: the message prefixed with its length as a uvarint. */
    static byte[] delimited(byte[] message) {
        Buffer out = new Buffer();
        writeVarint(out, message.length);
        out.writeBytes(message);
        return out.toByteArray();
    }

    /** A growable byte array; the codec stays free of java.io. */
    static final class Buffer {
        private byte[] bytes = new byte[64];
        private int size;

        void write(int b) {
            ensure(1);
            bytes[size++] = (byte) b;
        }

        void writeBytes(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, bytes, size, b.length);
            size += b.length;
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }
    }
}
