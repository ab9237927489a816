package io.wattproof.lightclient.types;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable byte string (hashes, addresses, keys, signatures). Records hold these instead of
 * {@code byte[]} so that they compare by value and cannot be changed after verification.
 * Ordering is unsigned and lexicographic, as Go's {@code bytes.Compare}, which CometBFT uses to order
 * validators of equal power by address.
 */
public final class Bytes implements Comparable<Bytes> {
    public static final Bytes EMPTY = new Bytes(new byte[0]);
    private static final HexFormat UPPER_HEX = HexFormat.of().withUpperCase();

    private final byte[] value;

    private Bytes(byte[] value) {
        this.value = value;
    }

    public static Bytes of(byte[] value) {
        return value.length == 0 ? EMPTY : new Bytes(value.clone());
    }

    public static Bytes of(byte[] value, int offset, int length) {
        return length == 0 ? EMPTY : new Bytes(Arrays.copyOfRange(value, offset, offset + length));
    }

    /** Parses hex in either case; throws {@link IllegalArgumentException} on odd length or a non-hex digit. */
    public static Bytes fromHex(String hex) {
        return hex.isEmpty() ? EMPTY : new Bytes(HexFormat.of().parseHex(hex));
    }

    public byte[] toArray() {
        return value.clone();
    }

    public int length() {
        return value.length;
    }

    public boolean isEmpty() {
        return value.length == 0;
    }

    public byte get(int index) {
        return value[index];
    }

    /** Upper-case hex, the form CometBFT prints hashes and addresses in. */
    public String hex() {
        return UPPER_HEX.formatHex(value);
    }

    /** The same bytes with one byte XOR-ed by {@code mask}; tests use it to tamper with values. */
    public Bytes withFlipped(int index, int mask) {
        byte[] copy = value.clone();
        copy[index] ^= (byte) mask;
        return new Bytes(copy);
    }

    @Override
    public int compareTo(Bytes other) {
        return Arrays.compareUnsigned(value, other.value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes b && Arrays.equals(value, b.value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return hex();
    }
}
