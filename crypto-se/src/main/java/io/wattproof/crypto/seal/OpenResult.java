package io.wattproof.crypto.seal;

/**
 * Outcome of opening a sealed record. Only {@link Opened} carries plaintext, and only after every
 * authentication tag checked: a failed open never yields any part of the payload.
 */
public sealed interface OpenResult {

    /** The payload, authenticated under the recipient's key and the given context. */
    record Opened(byte[] plaintext) implements OpenResult {
        public Opened {
            plaintext = plaintext.clone();
        }

        @Override
        public byte[] plaintext() {
            return plaintext.clone();
        }

        @Override
        public String toString() {
            // The plaintext is personal data: its length only.
            return "Opened[" + plaintext.length + " bytes]";
        }
    }

    /** The record has no entry for this key id: the key holder is not a recipient. */
    record NotARecipient(String keyIdHex) implements OpenResult {}

    /**
     * The record can never open with any key: unsupported suite, a field of the wrong length, no
     * recipients. {@code reason} names the field with expected and actual values.
     */
    record Malformed(String reason) implements OpenResult {}

    /**
     * An entry for this key exists but a tag did not verify: the entry, the ciphertext or the
     * record's context was changed, or the entry was made for another record.
     */
    record Refused(String reason) implements OpenResult {}

    default boolean isOpened() {
        return this instanceof Opened;
    }
}
