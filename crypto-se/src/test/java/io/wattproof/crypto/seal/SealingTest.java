package io.wattproof.crypto.seal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class SealingTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PURPOSE = "wattproof/v1/ChargingSession";
    /** Device id (20 bytes) || sequence (8 bytes big-endian), as a charging session would name itself. */
    private static final SealContext CONTEXT = new SealContext(PURPOSE,
            HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233" + "0000000000000007"));
    private static final SealContext NEXT_RECORD = new SealContext(PURPOSE,
            HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233" + "0000000000000008"));
    private static final byte[] PAYLOAD = "{\"plate\":\"B-WP 1234\",\"contract\":\"DE*WPF*C000042\"}".getBytes(StandardCharsets.UTF_8);

    static List<Suite> suites() {
        return List.of(Suite.X25519_AES_128_GCM, Suite.X25519_CHACHA20_POLY1305, Suite.P256_AES_128_GCM, Suite.P256_CHACHA20_POLY1305);
    }

    /** Pile owner, driver and supervisor. */
    private static List<RecipientKeyPair> parties(Kem kem) {
        return List.of(RecipientKeyPair.generate(kem, RANDOM), RecipientKeyPair.generate(kem, RANDOM),
                RecipientKeyPair.generate(kem, RANDOM));
    }

    private static List<RecipientPublicKey> publicKeys(List<RecipientKeyPair> pairs) {
        return pairs.stream().map(RecipientKeyPair::publicKey).toList();
    }

    private static SealedRecord seal(Suite suite, List<RecipientKeyPair> parties, SealContext context, byte[] payload) {
        return Sealing.seal(suite, publicKeys(parties), context, payload, RANDOM);
    }

    private static SealedRecord withEntry(SealedRecord r, int index, UnaryOperator<SealedRecord.Recipient> change) {
        List<SealedRecord.Recipient> entries = new ArrayList<>(r.recipients());
        entries.set(index, change.apply(entries.get(index)));
        return new SealedRecord(r.kemId(), r.kdfId(), r.aeadId(), entries, r.ciphertext());
    }

    private static byte[] flip(byte[] bytes, int index) {
        byte[] copy = bytes.clone();
        copy[index] ^= 0x01;
        return copy;
    }

    private static void assertRefused(OpenResult result) {
        assertInstanceOf(OpenResult.Refused.class, result, () -> "expected refused, got " + result);
    }

    @ParameterizedTest
    @MethodSource("suites")
    void everyRecipientOpens(Suite suite) {
        List<RecipientKeyPair> parties = parties(suite.kem());
        SealedRecord record = seal(suite, parties, CONTEXT, PAYLOAD);

        assertEquals(suite.kem().id(), record.kemId());
        assertEquals(0x0001, record.kdfId());
        assertEquals(suite.aead().id(), record.aeadId());
        assertEquals(3, record.recipients().size());
        assertEquals(PAYLOAD.length + Aead.TAG_LENGTH, record.ciphertext().length);
        for (int i = 0; i < 3; i++) {
            SealedRecord.Recipient entry = record.recipients().get(i);
            assertArrayEquals(parties.get(i).publicKey().keyId(), entry.keyId());
            assertEquals(suite.kem().encLength(), entry.enc().length);
            assertEquals(suite.wrappedKeyLength(), entry.wrappedKey().length);
            OpenResult opened = Sealing.open(record, parties.get(i), CONTEXT);
            assertArrayEquals(PAYLOAD, assertInstanceOf(OpenResult.Opened.class, opened).plaintext(), "recipient " + i);
        }
    }

    @ParameterizedTest
    @MethodSource("suites")
    void aNonRecipientIsToldSo(Suite suite) {
        SealedRecord record = seal(suite, parties(suite.kem()), CONTEXT, PAYLOAD);
        RecipientKeyPair outsider = RecipientKeyPair.generate(suite.kem(), RANDOM);
        OpenResult result = Sealing.open(record, outsider, CONTEXT);
        assertEquals(new OpenResult.NotARecipient(HexFormat.of().formatHex(outsider.publicKey().keyId())), result);
    }

    @ParameterizedTest
    @MethodSource("suites")
    void anOutsiderFiledUnderARecipientsKeyIdCannotOpen(Suite suite) {
        // The key id is public; claiming it gains nothing without the private key.
        List<RecipientKeyPair> parties = parties(suite.kem());
        SealedRecord record = seal(suite, parties, CONTEXT, PAYLOAD);
        RecipientKeyPair outsider = RecipientKeyPair.generate(suite.kem(), RANDOM);
        SealedRecord relabelled = withEntry(record, 0,
                e -> new SealedRecord.Recipient(outsider.publicKey().keyId(), e.enc(), e.wrappedKey()));
        assertRefused(Sealing.open(relabelled, outsider, CONTEXT));
    }

    @ParameterizedTest
    @MethodSource("suites")
    void aTamperedCiphertextIsRefusedAtEveryPosition(Suite suite) {
        List<RecipientKeyPair> parties = parties(suite.kem());
        SealedRecord record = seal(suite, parties, CONTEXT, PAYLOAD);
        byte[] ct = record.ciphertext();
        for (int i = 0; i < ct.length; i++) {
            SealedRecord tampered = new SealedRecord(record.kemId(), record.kdfId(), record.aeadId(), record.recipients(), flip(ct, i));
            assertRefused(Sealing.open(tampered, parties.get(1), CONTEXT));
        }
        byte[] truncated = java.util.Arrays.copyOf(ct, ct.length - 1);
        assertRefused(Sealing.open(new SealedRecord(suite, record.recipients(), truncated), parties.get(1), CONTEXT));
    }

    @ParameterizedTest
    @MethodSource("suites")
    void aTamperedEncIsRefused(Suite suite) {
        List<RecipientKeyPair> parties = parties(suite.kem());
        SealedRecord record = seal(suite, parties, CONTEXT, PAYLOAD);
        // For P-256 most flips leave the curve; Bouncy Castle's exception must become a refusal too.
        for (int i : new int[] {0, 1, suite.kem().encLength() / 2, suite.kem().encLength() - 1}) {
            SealedRecord tampered = withEntry(record, 2, e -> new SealedRecord.Recipient(e.keyId(), flip(e.enc(), i), e.wrappedKey()));
            assertRefused(Sealing.open(tampered, parties.get(2), CONTEXT));
        }
    }

    @Test
    void anAllZeroX25519EncIsRefused() {
        // RFC 9180 §7.1.4: an all-zero shared secret must abort; Bouncy Castle throws for it.
        List<RecipientKeyPair> parties = parties(Kem.X25519_HKDF_SHA256);
        SealedRecord record = seal(Suite.X25519_AES_128_GCM, parties, CONTEXT, PAYLOAD);
        SealedRecord tampered = withEntry(record, 0, e -> new SealedRecord.Recipient(e.keyId(), new byte[32], e.wrappedKey()));
        assertRefused(Sealing.open(tampered, parties.get(0), CONTEXT));
    }

    @ParameterizedTest
    @MethodSource("suites")
    void aTamperedWrappedKeyIsRefused(Suite suite) {
        List<RecipientKeyPair> parties = parties(suite.kem());
        SealedRecord record = seal(suite, parties, CONTEXT, PAYLOAD);
        for (int i = 0; i < suite.wrappedKeyLength(); i++) {
            int at = i;
            SealedRecord tampered = withEntry(record, 0, e -> new SealedRecord.Recipient(e.keyId(), e.enc(), flip(e.wrappedKey(), at)));
            assertRefused(Sealing.open(tampered, parties.get(0), CONTEXT));
        }
    }

    @ParameterizedTest
    @MethodSource("suites")
    void anotherContextIsRefused(Suite suite) {
        List<RecipientKeyPair> parties = parties(suite.kem());
        SealedRecord record = seal(suite, parties, CONTEXT, PAYLOAD);
        assertRefused(Sealing.open(record, parties.get(0), NEXT_RECORD));
        assertRefused(Sealing.open(record, parties.get(0), new SealContext("wattproof/v1/Reading", CONTEXT.recordId())));
    }

    @ParameterizedTest
    @MethodSource("suites")
    void aWrappedKeyMovedToAnotherRecordIsRefused(Suite suite) {
        List<RecipientKeyPair> parties = parties(suite.kem());
        SealedRecord first = seal(suite, parties, CONTEXT, PAYLOAD);
        SealedRecord second = seal(suite, parties, NEXT_RECORD, PAYLOAD);
        // The driver's entry from the first record pasted into the second.
        SealedRecord spliced = withEntry(second, 1, e -> first.recipients().get(1));
        assertRefused(Sealing.open(spliced, parties.get(1), NEXT_RECORD));
        // The untouched entries of the second record still open it.
        assertTrue(Sealing.open(spliced, parties.get(0), NEXT_RECORD).isOpened());
        // And the first record's payload moved into the second with its entries: context differs.
        SealedRecord moved = new SealedRecord(suite, first.recipients(), first.ciphertext());
        assertRefused(Sealing.open(moved, parties.get(1), NEXT_RECORD));
    }

    /**
     * Each layer binds the context on its own, so that neither depends on the other: the wrapped
     * key opens only under the record's HPKE info, and the payload only under its associated data.
     */
    @ParameterizedTest
    @MethodSource("suites")
    void bothLayersBindTheContextIndependently(Suite suite) throws Exception {
        List<RecipientKeyPair> parties = parties(suite.kem());
        SealedRecord record = seal(suite, parties, CONTEXT, PAYLOAD);
        SealedRecord.Recipient entry = record.recipients().get(0);
        org.bouncycastle.crypto.hpke.HPKE hpke = suite.hpke();
        byte[] contentKey = hpke.open(entry.enc(), parties.get(0).pair(), CONTEXT.bytes(), entry.keyId(), entry.wrappedKey(),
                null, null, null);
        assertEquals(suite.aead().keyLength(), contentKey.length);
        assertThrows(org.bouncycastle.crypto.InvalidCipherTextException.class, () -> hpke.open(entry.enc(), parties.get(0).pair(),
                NEXT_RECORD.bytes(), entry.keyId(), entry.wrappedKey(), null, null, null));
        assertThrows(org.bouncycastle.crypto.InvalidCipherTextException.class, () -> hpke.open(entry.enc(), parties.get(0).pair(),
                CONTEXT.bytes(), new byte[16], entry.wrappedKey(), null, null, null));

        assertArrayEquals(PAYLOAD, Sealing.payloadCipher(suite, false, contentKey, CONTEXT.bytes(), record.ciphertext()));
        assertThrows(org.bouncycastle.crypto.InvalidCipherTextException.class,
                () -> Sealing.payloadCipher(suite, false, contentKey, NEXT_RECORD.bytes(), record.ciphertext()));
    }

    @ParameterizedTest
    @MethodSource("suites")
    void entriesSwappedBetweenRecipientsAreRefused(Suite suite) {
        List<RecipientKeyPair> parties = parties(suite.kem());
        SealedRecord record = seal(suite, parties, CONTEXT, PAYLOAD);
        // The supervisor's id on the owner's enc and wrapped key.
        SealedRecord swapped = withEntry(record, 2, e -> {
            SealedRecord.Recipient owner = record.recipients().get(0);
            return new SealedRecord.Recipient(e.keyId(), owner.enc(), owner.wrappedKey());
        });
        assertRefused(Sealing.open(swapped, parties.get(2), CONTEXT));
    }

    @Test
    void aChangedSuiteIdIsRefusedOrMalformed() {
        List<RecipientKeyPair> parties = parties(Kem.X25519_HKDF_SHA256);
        SealedRecord record = seal(Suite.X25519_AES_128_GCM, parties, CONTEXT, PAYLOAD);
        OpenResult asChaCha = Sealing.open(new SealedRecord(Suite.X25519_CHACHA20_POLY1305, record.recipients(), record.ciphertext()),
                parties.get(0), CONTEXT);
        assertEquals(new OpenResult.Malformed("recipients[0].wrapped_key: expected 48 bytes, got 32"), asChaCha);
        OpenResult asP256 = Sealing.open(new SealedRecord(Suite.P256_AES_128_GCM, record.recipients(), record.ciphertext()),
                parties.get(0), CONTEXT);
        assertInstanceOf(OpenResult.Malformed.class, asP256);
        OpenResult unknownKdf = Sealing.open(new SealedRecord(0x0020, 0x0002, 0x0001, record.recipients(), record.ciphertext()),
                parties.get(0), CONTEXT);
        assertEquals(new OpenResult.Malformed("suite: expected kem 0x0020|0x0010, kdf 0x0001, aead 0x0001|0x0003,"
                + " got kem 0x0020 kdf 0x0002 aead 0x0001"), unknownKdf);
    }

    @Test
    void malformedFieldsAreNamed() {
        List<RecipientKeyPair> parties = parties(Kem.P256_HKDF_SHA256);
        Suite suite = Suite.P256_AES_128_GCM;
        SealedRecord record = seal(suite, parties, CONTEXT, PAYLOAD);
        RecipientKeyPair owner = parties.get(0);
        assertEquals(new OpenResult.Malformed("recipients[1].key_id: expected 16 bytes, got 32"), Sealing.open(
                withEntry(record, 1, e -> new SealedRecord.Recipient(new byte[32], e.enc(), e.wrappedKey())), owner, CONTEXT));
        assertEquals(new OpenResult.Malformed("recipients[0].enc: expected 65 bytes, got 33"), Sealing.open(
                withEntry(record, 0, e -> new SealedRecord.Recipient(e.keyId(), new byte[33], e.wrappedKey())), owner, CONTEXT));
        assertEquals(new OpenResult.Malformed("recipients: expected at least 1, got 0"),
                Sealing.open(new SealedRecord(suite, List.of(), record.ciphertext()), owner, CONTEXT));
        assertEquals(new OpenResult.Malformed("ciphertext: expected at least 16 bytes (the tag), got 15"),
                Sealing.open(new SealedRecord(suite, record.recipients(), new byte[15]), owner, CONTEXT));
        RecipientKeyPair x25519 = RecipientKeyPair.generate(Kem.X25519_HKDF_SHA256, RANDOM);
        assertInstanceOf(OpenResult.Malformed.class, Sealing.open(record, x25519, CONTEXT));
    }

    @Test
    void sealingRefusesBadRecipientLists() {
        List<RecipientKeyPair> parties = parties(Kem.X25519_HKDF_SHA256);
        List<RecipientPublicKey> keys = publicKeys(parties);
        assertThrows(IllegalArgumentException.class, () -> Sealing.seal(Suite.X25519_AES_128_GCM, List.of(), CONTEXT, PAYLOAD, RANDOM));
        assertThrows(IllegalArgumentException.class,
                () -> Sealing.seal(Suite.P256_AES_128_GCM, keys, CONTEXT, PAYLOAD, RANDOM));
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> Sealing.seal(Suite.X25519_AES_128_GCM, List.of(keys.get(0), keys.get(1), keys.get(0)), CONTEXT, PAYLOAD, RANDOM));
        assertTrue(twice.getMessage().contains("expected once, got twice"), twice.getMessage());
    }

    @Test
    void twoSealsOfOnePayloadShareNothing() {
        List<RecipientKeyPair> parties = parties(Kem.X25519_HKDF_SHA256);
        SealedRecord a = seal(Suite.X25519_AES_128_GCM, parties, CONTEXT, PAYLOAD);
        SealedRecord b = seal(Suite.X25519_AES_128_GCM, parties, CONTEXT, PAYLOAD);
        assertFalse(java.util.Arrays.equals(a.ciphertext(), b.ciphertext()), "fresh content key each time");
        assertFalse(java.util.Arrays.equals(a.recipients().get(0).enc(), b.recipients().get(0).enc()), "fresh ephemeral key");
        assertNotEquals(a, b);
    }

    @Test
    void nothingSecretInToString() {
        List<RecipientKeyPair> parties = parties(Kem.X25519_HKDF_SHA256);
        SealedRecord record = seal(Suite.X25519_AES_128_GCM, parties, CONTEXT, PAYLOAD);
        OpenResult opened = Sealing.open(record, parties.get(0), CONTEXT);
        assertEquals("Opened[" + PAYLOAD.length + " bytes]", opened.toString());
        String privateHex = HexFormat.of().formatHex(parties.get(0).privateKey());
        assertFalse(parties.get(0).toString().contains(privateHex));
    }

    /** Property: any payload from 0 bytes to 64 KiB opens to itself for every recipient. */
    @ParameterizedTest
    @EnumSource(Kem.class)
    void randomPayloadsFromEmptyTo64KiBRoundTrip(Kem kem) {
        Random random = new Random(0x5EA1 + kem.ordinal());
        List<RecipientKeyPair> parties = parties(kem);
        List<Integer> sizes = new ArrayList<>(List.of(0, 1, 15, 16, 17, 65_535, 65_536));
        for (int i = 0; i < 25; i++) {
            sizes.add(random.nextInt(65_537));
        }
        for (int size : sizes) {
            byte[] payload = new byte[size];
            random.nextBytes(payload);
            Suite suite = new Suite(kem, random.nextBoolean() ? Aead.AES_128_GCM : Aead.CHACHA20_POLY1305);
            SealedRecord record = seal(suite, parties, CONTEXT, payload);
            assertEquals(size + Aead.TAG_LENGTH, record.ciphertext().length, "size " + size);
            for (RecipientKeyPair party : parties) {
                OpenResult opened = Sealing.open(record, party, CONTEXT);
                assertArrayEquals(payload, assertInstanceOf(OpenResult.Opened.class, opened).plaintext(), "size " + size + " " + suite);
            }
            if (size > 0) {
                int at = random.nextInt(size + Aead.TAG_LENGTH);
                SealedRecord tampered = new SealedRecord(suite, record.recipients(), flip(record.ciphertext(), at));
                assertRefused(Sealing.open(tampered, parties.get(random.nextInt(3)), CONTEXT));
            }
        }
    }
}
