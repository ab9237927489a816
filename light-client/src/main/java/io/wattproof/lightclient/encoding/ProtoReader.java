package io.wattproof.lightclient.encoding;

import io.wattproof.lightclient.MalformedInputException;
import io.wattproof.lightclient.types.Bytes;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Reads one protobuf message into its fields. Unknown fields are skipped (proto3 rules), a field
 * read with the wrong wire type or a truncated value is refused with the field's path, and for a
 * repeated scalar written more than once the last value wins, as in every protobuf decoder.
 */
final class ProtoReader {
    private record Field(int wireType, long number, byte[] bytes) {}

    private final String path;
    private final Map<Integer, List<Field>> fields = new HashMap<>();

    private ProtoReader(String path) {
        this.path = path;
    }

    static ProtoReader parse(String path, byte[] data) throws MalformedInputException {
        ProtoReader r = new ProtoReader(path);
        int[] pos = {0};
        while (pos[0] < data.length) {
            long tag = readVarint(path, data, pos);
            int number = (int) (tag >>> 3);
            int wireType = (int) (tag & 7);
            if (number <= 0 || (tag >>> 3) > 0x1FFF_FFFF) {
                throw new MalformedInputException(path, "invalid field number " + (tag >>> 3) + " at byte " + pos[0]);
            }
            Field f = switch (wireType) {
                case 0 -> new Field(0, readVarint(path, data, pos), null);
                case 1 -> new Field(1, readFixed(path, data, pos, 8), null);
                case 5 -> new Field(5, readFixed(path, data, pos, 4), null);
                case 2 -> {
                    long len = readVarint(path, data, pos);
                    if (len < 0 || len > data.length - pos[0]) {
                        throw new MalformedInputException(path + "#" + number,
                                "length " + len + " runs past the end of the message (" + (data.length - pos[0]) + " bytes left)");
                    }
                    byte[] value = Arrays.copyOfRange(data, pos[0], pos[0] + (int) len);
                    pos[0] += (int) len;
                    yield new Field(2, 0, value);
                }
                default -> throw new MalformedInputException(path + "#" + number, "unsupported wire type " + wireType);
            };
            r.fields.computeIfAbsent(number, k -> new ArrayList<>()).add(f);
        }
        return r;
    }

    private static long readVarint(String path, byte[] data, int[] pos) throws MalformedInputException {
        long result = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            if (pos[0] >= data.length) {
                throw new MalformedInputException(path, "truncated varint at byte " + pos[0]);
            }
            int b = data[pos[0]++] & 0xFF;
            if (shift == 63 && b > 1) {
                throw new MalformedInputException(path, "varint longer than 64 bits at byte " + (pos[0] - 1));
            }
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new MalformedInputException(path, "varint longer than 10 bytes at byte " + pos[0]);
    }

    private static long readFixed(String path, byte[] data, int[] pos, int size) throws MalformedInputException {
        if (data.length - pos[0] < size) {
            throw new MalformedInputException(path, "truncated fixed" + (8 * size) + " at byte " + pos[0]);
        }
        long v = 0;
        for (int i = 0; i < size; i++) {
            v |= (long) (data[pos[0]++] & 0xFF) << (8 * i);
        }
        return v;
    }

    private Field last(int number, int wireType) throws MalformedInputException {
        List<Field> list = fields.get(number);
        if (list == null) {
            return null;
        }
        Field f = list.get(list.size() - 1);
        if (f.wireType != wireType) {
            throw new MalformedInputException(path + "#" + number, "expected wire type " + wireType + ", got " + f.wireType);
        }
        return f;
    }

    long varint(int number) throws MalformedInputException {
        Field f = last(number, 0);
        return f == null ? 0 : f.number;
    }

    /** An {@code int32}: Go writes negative values sign-extended to 64 bits. */
    int int32(int number, String name) throws MalformedInputException {
        long v = varint(number);
        if (v != (int) v) {
            throw new MalformedInputException(path + "." + name, "value " + v + " does not fit an int32");
        }
        return (int) v;
    }

    Bytes bytes(int number) throws MalformedInputException {
        Field f = last(number, 2);
        return f == null ? Bytes.EMPTY : Bytes.of(f.bytes);
    }

    String string(int number, String name) throws MalformedInputException {
        Field f = last(number, 2);
        if (f == null) {
            return "";
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(f.bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedInputException(path + "." + name, "not UTF-8: " + HexFormat.of().formatHex(f.bytes));
        }
    }

    /** The last occurrence of an embedded message, or {@code null} when absent. */
    ProtoReader message(int number, String name) throws MalformedInputException {
        Field f = last(number, 2);
        return f == null ? null : parse(path + "." + name, f.bytes);
    }

    /** A non-nullable embedded message: absent reads as the empty message. */
    ProtoReader messageOrEmpty(int number, String name) throws MalformedInputException {
        ProtoReader r = message(number, name);
        return r == null ? new ProtoReader(path + "." + name) : r;
    }

    List<ProtoReader> repeated(int number, String name) throws MalformedInputException {
        List<Field> list = fields.getOrDefault(number, List.of());
        List<ProtoReader> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            Field f = list.get(i);
            String p = path + "." + name + "[" + i + "]";
            if (f.wireType != 2) {
                throw new MalformedInputException(p, "expected wire type 2, got " + f.wireType);
            }
            out.add(parse(p, f.bytes));
        }
        return out;
    }

    boolean has(int number) {
        return fields.containsKey(number);
    }

    String path() {
        return path;
    }
}
