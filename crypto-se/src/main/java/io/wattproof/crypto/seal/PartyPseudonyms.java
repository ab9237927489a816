package io.wattproof.crypto.seal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * Pseudonymous party ids: a record names a party by the commitment SHA-256("wattproof/v1/party" ||
 * salt || identity) instead of by its identity, and whoever is given salt and identity (in the
 * sealed personal data, or by the party itself) can check that they belong to the record.
 *
 * <p>The salt is 32 random bytes per commitment. Without it the commitment would be a plain hash
 * of the identity, and identities live in small spaces (a licence plate, a customer number, a
 * contract id: millions to billions of values), so anyone could hash them all and read every
 * record's parties; the same party would also carry the same pseudonym in every record, linking
 * them. With 256 random bits the commitment reveals nothing that a guess could be checked against
 * (hiding) and, SHA-256 being collision resistant, cannot be opened to a second identity (binding).
 * The salt is fixed-length, so the concatenation is unambiguous without length prefixes.
 */
public final class PartyPseudonyms {
    public static final int SALT_LENGTH = 32;
    public static final int PSEUDONYM_LENGTH = 32;
    private static final byte[] DOMAIN = "wattproof/v1/party".getBytes(StandardCharsets.US_ASCII);

    private PartyPseudonyms() {}

    /** A fresh commitment and the salt that opens it; the salt must travel only to those entitled to it. */
    public record Commitment(byte[] pseudonym, byte[] salt) {
        public Commitment {
            pseudonym = pseudonym.clone();
            salt = salt.clone();
        }

        @Override
        public byte[] pseudonym() {
            return pseudonym.clone();
        }

        @Override
        public byte[] salt() {
            return salt.clone();
        }

        @Override
        public String toString() {
            // The salt is what keeps the identity hidden: never print it.
            return "Commitment[" + java.util.HexFormat.of().formatHex(pseudonym) + "]";
        }
    }

    /** The result of checking a claimed opening against a pseudonym. */
    public sealed interface Check {
        /** Salt and identity produce the pseudonym. */
        record Matches() implements Check {}

        /** Well-formed, but salt and identity do not produce this pseudonym. */
        record Mismatch() implements Check {}

        /** A field has the wrong length; {@code reason} names it with expected and actual values. */
        record Malformed(String reason) implements Check {}

        default boolean matches() {
            return this instanceof Matches;
        }
    }

    /** Commits to {@code identity} under a fresh salt from {@code random}. */
    public static Commitment commit(byte[] identity, SecureRandom random) {
        byte[] salt = new byte[SALT_LENGTH];
        random.nextBytes(salt);
        return new Commitment(pseudonym(salt, identity), salt);
    }

    /** SHA-256("wattproof/v1/party" || salt || identity). */
    public static byte[] pseudonym(byte[] salt, byte[] identity) {
        if (salt.length != SALT_LENGTH) {
            throw new IllegalArgumentException("party salt: expected " + SALT_LENGTH + " bytes, got " + salt.length);
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(DOMAIN);
            sha.update(salt);
            sha.update(identity);
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    /** Whether {@code salt} and {@code identity} open {@code pseudonym}; never throws on input. */
    public static Check verify(byte[] pseudonym, byte[] salt, byte[] identity) {
        if (pseudonym.length != PSEUDONYM_LENGTH) {
            return new Check.Malformed("party pseudonym: expected " + PSEUDONYM_LENGTH + " bytes, got " + pseudonym.length);
        }
        if (salt.length != SALT_LENGTH) {
            return new Check.Malformed("party salt: expected " + SALT_LENGTH + " bytes, got " + salt.length);
        }
        return MessageDigest.isEqual(pseudonym, pseudonym(salt, identity)) ? new Check.Matches() : new Check.Mismatch();
    }
}
