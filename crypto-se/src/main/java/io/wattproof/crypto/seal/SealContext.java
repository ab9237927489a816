package io.wattproof.crypto.seal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * What a sealed payload belongs to: a purpose naming the record type (e.g. {@code
 * "wattproof/v1/ChargingSession"}) and the record's identifying fields (e.g. device id and
 * sequence), chosen by the caller. Its {@link #bytes()} are the HPKE {@code info} of every wrapped
 * key (RFC 9180 §5.1) and the associated data of the payload, so an entry or a ciphertext copied
 * into another record, or read under another purpose, fails to open.
 */
public record SealContext(String purpose, byte[] recordId) {
    private static final byte[] DOMAIN = "wattproof/v1/seal".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_FIELD = 0xFFFF;

    public SealContext {
        byte[] p = purpose.getBytes(StandardCharsets.UTF_8);
        if (p.length == 0 || p.length > MAX_FIELD) {
            throw new IllegalArgumentException("seal context purpose: expected 1 to " + MAX_FIELD + " utf-8 bytes, got " + p.length);
        }
        if (recordId.length > MAX_FIELD) {
            throw new IllegalArgumentException("seal context record id: expected at most " + MAX_FIELD + " bytes, got " + recordId.length);
        }
        recordId = recordId.clone();
    }

    @Override
    public byte[] recordId() {
        return recordId.clone();
    }

    /**
     * "wattproof/v1/seal" || u16 len(purpose) || purpose (UTF-8) || u16 len(recordId) || recordId,
     * lengths big-endian. The length prefixes make the encoding injective: no two contexts share
     * bytes, whatever the purpose and id contain.
     */
    public byte[] bytes() {
        byte[] p = purpose.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(DOMAIN.length + 4 + p.length + recordId.length);
        out.writeBytes(DOMAIN);
        out.write(p.length >>> 8);
        out.write(p.length);
        out.writeBytes(p);
        out.write(recordId.length >>> 8);
        out.write(recordId.length);
        out.writeBytes(recordId);
        return out.toByteArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SealContext other && java.util.Arrays.equals(bytes(), other.bytes());
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(bytes());
    }

    @Override
    public String toString() {
        return "SealContext[" + purpose + ", " + java.util.HexFormat.of().formatHex(recordId) + "]";
    }
}
