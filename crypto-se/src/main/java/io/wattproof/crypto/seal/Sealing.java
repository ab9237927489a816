package io.wattproof.crypto.seal;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.modes.AEADCipher;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Seals a payload to several recipients and opens it as one of them.
 *
 * <p>Sealing draws a fresh content key, encrypts the payload once with the suite's AEAD under that
 * key, and wraps the key to each recipient with HPKE single-shot encryption (RFC 9180 §6.1,
 * SealBase). The payload's associated data and every wrapped key's {@code info} are the {@link
 * SealContext}'s bytes, so nothing from one record opens in another. No I/O, no clock; randomness
 * comes from the caller (HPKE's ephemeral keys from Bouncy Castle's own SecureRandom).
 */
public final class Sealing {
    /**
     * The payload nonce: all zero. Safe because each content key is fresh and encrypts exactly one
     * message (the nonce must only never repeat under one key, SP 800-38D §8, RFC 8439 §4); HPKE's
     * own single-shot mode relies on the same argument for base_nonce.
     */
    private static final byte[] PAYLOAD_NONCE = new byte[Aead.NONCE_LENGTH];
    private static final int MAX_RECIPIENTS = 255;

    private Sealing() {}

    /**
     * Seals {@code plaintext} to every key in {@code recipients}.
     *
     * @throws IllegalArgumentException if there are no recipients, more than {@value
     *     #MAX_RECIPIENTS}, a recipient of another KEM than the suite's, or two with one key id
     */
    public static SealedRecord seal(Suite suite, List<RecipientPublicKey> recipients, SealContext context, byte[] plaintext,
            SecureRandom random) {
        if (recipients.isEmpty() || recipients.size() > MAX_RECIPIENTS) {
            throw new IllegalArgumentException("recipients: expected 1 to " + MAX_RECIPIENTS + ", got " + recipients.size());
        }
        Set<String> seen = new HashSet<>();
        for (RecipientPublicKey r : recipients) {
            if (r.kem() != suite.kem()) {
                throw new IllegalArgumentException("recipient " + r + " kem: expected " + suite.kem() + ", got " + r.kem());
            }
            if (!seen.add(HexFormat.of().formatHex(r.keyId()))) {
                throw new IllegalArgumentException("recipient key id " + HexFormat.of().formatHex(r.keyId()) + ": expected once, got twice");
            }
        }
        byte[] contentKey = new byte[suite.aead().keyLength()];
        random.nextBytes(contentKey);
        try {
            byte[] info = context.bytes();
            byte[] ciphertext = payloadCipher(suite, true, contentKey, info, plaintext);
            HPKE hpke = suite.hpke();
            List<SealedRecord.Recipient> entries = new ArrayList<>(recipients.size());
            for (RecipientPublicKey r : recipients) {
                byte[] keyId = r.keyId();
                // Returns {ciphertext, enc}. aad = key id: an entry is bound to the id it is filed under.
                byte[][] sealed = hpke.seal(r.parameters(), info, keyId, contentKey, null, null, null);
                entries.add(new SealedRecord.Recipient(keyId, sealed[1], sealed[0]));
            }
            return new SealedRecord(suite, entries, ciphertext);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("encryption cannot fail on a fresh key (" + e.getMessage() + ")", e);
        } finally {
            Arrays.fill(contentKey, (byte) 0);
        }
    }

    /**
     * Opens {@code record} with {@code key} under {@code context}: finds the entries filed under
     * the key's id, unwraps the content key, decrypts the payload. Never throws on record contents.
     */
    public static OpenResult open(SealedRecord record, RecipientKeyPair key, SealContext context) {
        Suite suite = Suite.fromIds(record.kemId(), record.kdfId(), record.aeadId()).orElse(null);
        if (suite == null) {
            return new OpenResult.Malformed(String.format(
                    "suite: expected kem 0x0020|0x0010, kdf 0x0001, aead 0x0001|0x0003, got kem 0x%04x kdf 0x%04x aead 0x%04x",
                    record.kemId(), record.kdfId(), record.aeadId()));
        }
        if (suite.kem() != key.kem()) {
            return new OpenResult.Malformed("kem: record is sealed with " + suite.kem() + ", the key is " + key.kem());
        }
        List<SealedRecord.Recipient> recipients = record.recipients();
        if (recipients.isEmpty()) {
            return new OpenResult.Malformed("recipients: expected at least 1, got 0");
        }
        for (int i = 0; i < recipients.size(); i++) {
            String problem = lengthProblem(suite, recipients.get(i));
            if (problem != null) {
                return new OpenResult.Malformed("recipients[" + i + "]." + problem);
            }
        }
        byte[] ciphertext = record.ciphertext();
        if (ciphertext.length < Aead.TAG_LENGTH) {
            return new OpenResult.Malformed("ciphertext: expected at least " + Aead.TAG_LENGTH + " bytes (the tag), got " + ciphertext.length);
        }

        byte[] keyId = key.publicKey().keyId();
        byte[] info = context.bytes();
        HPKE hpke = suite.hpke();
        boolean filed = false;
        for (SealedRecord.Recipient entry : recipients) {
            if (!MessageDigest.isEqual(entry.keyId(), keyId)) {
                continue;
            }
            filed = true;
            byte[] contentKey = unwrap(hpke, key, info, entry);
            if (contentKey == null) {
                continue;
            }
            try {
                return new OpenResult.Opened(payloadCipher(suite, false, contentKey, info, ciphertext));
            } catch (InvalidCipherTextException e) {
                return new OpenResult.Refused("ciphertext: authentication tag does not verify under the unwrapped key and this context");
            } finally {
                Arrays.fill(contentKey, (byte) 0);
            }
        }
        if (!filed) {
            return new OpenResult.NotARecipient(HexFormat.of().formatHex(keyId));
        }
        return new OpenResult.Refused("wrapped key for " + HexFormat.of().formatHex(keyId)
                + ": does not open under this key and context (changed entry, or an entry from another record)");
    }

    private static String lengthProblem(Suite suite, SealedRecord.Recipient r) {
        if (r.keyId().length != RecipientPublicKey.KEY_ID_LENGTH) {
            return "key_id: expected " + RecipientPublicKey.KEY_ID_LENGTH + " bytes, got " + r.keyId().length;
        }
        if (r.enc().length != suite.kem().encLength()) {
            return "enc: expected " + suite.kem().encLength() + " bytes, got " + r.enc().length;
        }
        if (r.wrappedKey().length != suite.wrappedKeyLength()) {
            return "wrapped_key: expected " + suite.wrappedKeyLength() + " bytes, got " + r.wrappedKey().length;
        }
        return null;
    }

    /** The content key, or null if the entry does not open (wrong tag, or an enc that is no valid point). */
    private static byte[] unwrap(HPKE hpke, RecipientKeyPair key, byte[] info, SealedRecord.Recipient entry) {
        try {
            return hpke.open(entry.enc(), key.pair(), info, entry.keyId(), entry.wrappedKey(), null, null, null);
        } catch (InvalidCipherTextException | RuntimeException e) {
            // RuntimeException: Bouncy Castle refuses an enc off the curve (P-256) or one giving an
            // all-zero X25519 secret (RFC 7748 §6.1, RFC 9180 §7.1.4) with unchecked exceptions.
            return null;
        }
    }

    /**
     * One AEAD pass over the whole payload. The output only leaves this method after doFinal has
     * checked the tag; on failure the buffer is wiped, so no partial plaintext escapes.
     */
    static byte[] payloadCipher(Suite suite, boolean encrypt, byte[] key, byte[] associatedData, byte[] input)
            throws InvalidCipherTextException {
        AEADCipher cipher = suite.aead() == Aead.AES_128_GCM
                ? GCMBlockCipher.newInstance(AESEngine.newInstance())
                : new ChaCha20Poly1305();
        byte[] ad = payloadAssociatedData(suite, associatedData);
        cipher.init(encrypt, new AEADParameters(new KeyParameter(key), Aead.TAG_LENGTH * 8, PAYLOAD_NONCE, ad));
        byte[] out = new byte[cipher.getOutputSize(input.length)];
        try {
            int n = cipher.processBytes(input, 0, input.length, out, 0);
            n += cipher.doFinal(out, n);
            return n == out.length ? out : Arrays.copyOf(out, n);
        } catch (InvalidCipherTextException | RuntimeException e) {
            Arrays.fill(out, (byte) 0);
            throw e;
        }
    }

    /** kem_id || kdf_id || aead_id (2 bytes each, as RFC 9180's suite_id) || context bytes. */
    private static byte[] payloadAssociatedData(Suite suite, byte[] context) {
        byte[] ad = new byte[6 + context.length];
        ad[0] = (byte) (suite.kem().id() >>> 8);
        ad[1] = (byte) suite.kem().id();
        ad[2] = (byte) (suite.kdfId() >>> 8);
        ad[3] = (byte) suite.kdfId();
        ad[4] = (byte) (suite.aead().id() >>> 8);
        ad[5] = (byte) suite.aead().id();
        System.arraycopy(context, 0, ad, 6, context.length);
        return ad;
    }
}
