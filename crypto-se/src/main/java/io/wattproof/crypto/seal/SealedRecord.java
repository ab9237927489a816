package io.wattproof.crypto.seal;

import java.util.HexFormat;
import java.util.List;

/**
 * A payload sealed to several recipients, field for field the protobuf {@code SealedData} message
 * (docs/sealing.md has the mapping). Suite ids are kept as received, not as a {@link Suite}, so that
 * a record from the wire with an unknown suite is still a value that {@link Sealing#open} can
 * refuse with a reason.
 *
 * @param kemId RFC 9180 kem_id (0x0020 X25519, 0x0010 P-256)
 * @param kdfId RFC 9180 kdf_id (0x0001 HKDF-SHA256)
 * @param aeadId RFC 9180 aead_id (0x0001 AES-128-GCM, 0x0003 ChaCha20-Poly1305)
 * @param recipients one entry per party that may read the payload
 * @param ciphertext the payload encrypted with the content key, tag appended (16 bytes longer than
 *     the payload)
 */
public record SealedRecord(int kemId, int kdfId, int aeadId, List<Recipient> recipients, byte[] ciphertext) {

    /**
     * The content key wrapped to one recipient.
     *
     * @param keyId {@link RecipientPublicKey#keyId()} of the recipient (16 bytes)
     * @param enc HPKE encapsulated key (Nenc: 32 bytes X25519, 65 bytes P-256)
     * @param wrappedKey HPKE single-shot ciphertext of the content key (Nk + 16 bytes)
     */
    public record Recipient(byte[] keyId, byte[] enc, byte[] wrappedKey) {
        public Recipient {
            keyId = keyId.clone();
            enc = enc.clone();
            wrappedKey = wrappedKey.clone();
        }

        @Override
        public byte[] keyId() {
            return keyId.clone();
        }

        @Override
        public byte[] enc() {
            return enc.clone();
        }

        @Override
        public byte[] wrappedKey() {
            return wrappedKey.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Recipient r && java.util.Arrays.equals(keyId, r.keyId)
                    && java.util.Arrays.equals(enc, r.enc) && java.util.Arrays.equals(wrappedKey, r.wrappedKey);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(keyId) * 31 + java.util.Arrays.hashCode(enc);
        }

        @Override
        public String toString() {
            return "Recipient[" + HexFormat.of().formatHex(keyId) + "]";
        }
    }

    public SealedRecord {
        recipients = List.copyOf(recipients);
        ciphertext = ciphertext.clone();
    }

    /** A record with the ids of {@code suite}. */
    public SealedRecord(Suite suite, List<Recipient> recipients, byte[] ciphertext) {
        this(suite.kem().id(), suite.kdfId(), suite.aead().id(), recipients, ciphertext);
    }

    @Override
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SealedRecord r && kemId == r.kemId && kdfId == r.kdfId && aeadId == r.aeadId
                && recipients.equals(r.recipients) && java.util.Arrays.equals(ciphertext, r.ciphertext);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(kemId, kdfId, aeadId, recipients) * 31 + java.util.Arrays.hashCode(ciphertext);
    }

    @Override
    public String toString() {
        return String.format("SealedRecord[kem 0x%04x, kdf 0x%04x, aead 0x%04x, %d recipients, %d ciphertext bytes]",
                kemId, kdfId, aeadId, recipients.size(), ciphertext.length);
    }
}
