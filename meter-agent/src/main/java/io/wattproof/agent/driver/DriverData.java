package io.wattproof.agent.driver;

import io.wattproof.crypto.seal.PartyPseudonyms;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * The car owner's personal data as it travels, sealed to the pile, in {@code
 * StartRequest.driver_data} (docs/charging.md "Car owner's side"): the contact (name, phone,
 * licence plate: free text) and the salt that opens the booking's {@code driver_pseudonym}, so the
 * pile owner and the supervisor, who receive it sealed again inside the session record, can check
 * that the booking names this person (docs/sealing.md, "Pseudonymous party ids").
 *
 * <pre>
 *   u8  version = 1
 *   u16 len ‖ salt         (32 bytes, PartyPseudonyms.SALT_LENGTH)
 *   u16 len ‖ contact      (UTF-8)
 * </pre>
 *
 * Lengths big-endian. {@code driver_pseudonym} = SHA-256("wattproof/v1/party" ‖ salt ‖ contact).
 */
public record DriverData(String contact, byte[] salt) {
    static final int VERSION = 1;
    /** Far below what fits a u16; a contact is a line of text, and a StartRequest stays small. */
    public static final int MAX_CONTACT_BYTES = 1024;

    public DriverData {
        if (salt.length != PartyPseudonyms.SALT_LENGTH) {
            throw new IllegalArgumentException("driver salt: expected " + PartyPseudonyms.SALT_LENGTH + " bytes, got " + salt.length);
        }
        int length = contact.getBytes(StandardCharsets.UTF_8).length;
        if (length > MAX_CONTACT_BYTES) {
            throw new IllegalArgumentException("driver contact: expected at most " + MAX_CONTACT_BYTES + " utf-8 bytes, got " + length);
        }
        salt = salt.clone();
    }

    /** A fresh commitment to {@code contact}: a new salt from {@code random}. */
    public static DriverData commit(String contact, SecureRandom random) {
        byte[] salt = new byte[PartyPseudonyms.SALT_LENGTH];
        random.nextBytes(salt);
        return new DriverData(contact, salt);
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    /** The booking's {@code driver_pseudonym} (32 bytes). */
    public byte[] pseudonym() {
        return PartyPseudonyms.pseudonym(salt, contact.getBytes(StandardCharsets.UTF_8));
    }

    public byte[] encode() {
        byte[] c = contact.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + 2 + salt.length + 2 + c.length)
                .put((byte) VERSION)
                .putShort((short) salt.length).put(salt)
                .putShort((short) c.length).put(c)
                .array();
    }

    /** The outcome of reading driver data someone opened. */
    public sealed interface Decoded {
        record Ok(DriverData data) implements Decoded {}

        record Malformed(String reason) implements Decoded {}
    }

    /** Never throws: a wrong version, length or encoding is {@link Decoded.Malformed}, naming the field. */
    public static Decoded decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        if (b.remaining() < 1) {
            return new Decoded.Malformed("driver data version: expected 1 byte, got none");
        }
        int version = b.get() & 0xff;
        if (version != VERSION) {
            return new Decoded.Malformed("driver data version: expected " + VERSION + ", got " + version);
        }
        if (b.remaining() < 2) {
            return new Decoded.Malformed("driver data salt length: expected 2 bytes, got " + b.remaining());
        }
        int saltLength = b.getShort() & 0xffff;
        if (saltLength != PartyPseudonyms.SALT_LENGTH || b.remaining() < saltLength) {
            return new Decoded.Malformed("driver data salt: expected " + PartyPseudonyms.SALT_LENGTH + " bytes, got length "
                    + saltLength + " with " + b.remaining() + " bytes left");
        }
        byte[] salt = new byte[saltLength];
        b.get(salt);
        if (b.remaining() < 2) {
            return new Decoded.Malformed("driver data contact length: expected 2 bytes, got " + b.remaining());
        }
        int contactLength = b.getShort() & 0xffff;
        if (contactLength > MAX_CONTACT_BYTES || b.remaining() != contactLength) {
            return new Decoded.Malformed("driver data contact: expected " + Math.min(contactLength, MAX_CONTACT_BYTES)
                    + " bytes to the end (at most " + MAX_CONTACT_BYTES + "), got length " + contactLength + " with "
                    + b.remaining() + " bytes left");
        }
        String contact;
        try {
            contact = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(b).toString();
        } catch (CharacterCodingException e) {
            return new Decoded.Malformed("driver data contact: expected utf-8, got bytes that are not");
        }
        return new Decoded.Ok(new DriverData(contact, salt));
    }

    @Override
    public String toString() {
        // Neither the contact nor the salt (which would let anyone test guesses) goes to a log.
        return "DriverData[" + contact.length() + " chars]";
    }
}
