package io.wattproof.simulator.ledger.chain;

import java.util.Arrays;

/**
 * The few protobuf writes the header fields need beyond light-client's encoders, as gogoproto
 * writes proto3: scalars and bytes with their zero value left out, non-nullable messages and the
 * elements of a repeated bytes field always written (protobuf encoding guide, "Wire types").
 */
final class ProtoOut {
    private byte[] buf = new byte[64];
    private int size;

    /** int32/int64/uint32/uint64 field; negative int64 takes ten bytes, as in Go. */
    ProtoOut varint(int field, long value) {
        if (value != 0) {
            tag(field, 0);
            writeVarint(value);
        }
        return this;
    }

    /** A singular bytes field: left out when empty. */
    ProtoOut bytes(int field, byte[] value) {
        if (value.length > 0) {
            element(field, value);
        }
        return this;
    }

    /** One element of a repeated bytes field, or a non-nullable message: written even when empty. */
    ProtoOut element(int field, byte[] value) {
        tag(field, 2);
        writeVarint(value.length);
        ensure(value.length);
        System.arraycopy(value, 0, buf, size, value.length);
        size += value.length;
        return this;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private void tag(int field, int wireType) {
        writeVarint(((long) field << 3) | wireType);
    }

    private void writeVarint(long value) {
        while ((value & ~0x7FL) != 0) {
            write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        write((int) value);
    }

    private void write(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }
}
