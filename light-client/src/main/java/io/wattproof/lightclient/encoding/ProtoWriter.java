package io.wattproof.lightclient.encoding;

import io.wattproof.lightclient.types.Bytes;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

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

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

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

    static void writeVarint(ByteArrayOutputStream out, long value) {
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
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + 2);
        writeVarint(out, message.length);
        out.writeBytes(message);
        return out.toByteArray();
    }
}
