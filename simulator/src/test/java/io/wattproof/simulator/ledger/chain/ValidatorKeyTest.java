package io.wattproof.simulator.ledger.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.lightclient.types.Bytes;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;

class ValidatorKeyTest {
    private static final HexFormat HEX = HexFormat.of();

    /** RFC 8032 section 7.1, TEST 1: the empty message. */
    @Test
    void rfc8032TestVector1() {
        ValidatorKey key = ValidatorKey.fromSeed(HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        assertEquals(Bytes.fromHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"), key.publicKey().bytes());
        assertEquals(Bytes.fromHex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"),
                key.sign(new byte[0]));
    }

    @Test
    void addressIsFirst20BytesOfSha256OfThePublicKey() throws Exception {
        ValidatorKey key = ValidatorKey.derived(7, 0);
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(key.publicKey().bytes().toArray());
        assertEquals(Bytes.of(sha, 0, 20), key.address());
        assertEquals(key.address(), key.validator(10).address());
        assertEquals(10, key.validator(10).votingPower());
    }

    @Test
    void derivedKeysRepeatForTheSameSeedAndDifferOtherwise() {
        assertEquals(ValidatorKey.derived(42, 3).address(), ValidatorKey.derived(42, 3).address());
        assertEquals(ValidatorKey.derived(42, 3).sign(new byte[] {1}), ValidatorKey.derived(42, 3).sign(new byte[] {1}));
        assertNotEquals(ValidatorKey.derived(42, 3).address(), ValidatorKey.derived(42, 4).address());
        assertNotEquals(ValidatorKey.derived(42, 3).address(), ValidatorKey.derived(43, 3).address());
        assertNotEquals(ValidatorKey.random(new SecureRandom()).address(), ValidatorKey.random(new SecureRandom()).address());
    }

    @Test
    void signaturesVerifyUnderThePublicKey() {
        ValidatorKey key = ValidatorKey.random(new SecureRandom());
        byte[] msg = "precommit".getBytes();
        byte[] sig = key.sign(msg).toArray();
        byte[] pub = key.publicKey().bytes().toArray();
        assertTrue(Ed25519.verify(sig, 0, pub, 0, msg, 0, msg.length));
        msg[0] ^= 1;
        assertFalse(Ed25519.verify(sig, 0, pub, 0, msg, 0, msg.length));
    }

    @Test
    void toStringNamesTheAddressButNeverTheSeed() {
        byte[] seed = HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        String s = ValidatorKey.fromSeed(seed).toString();
        assertTrue(s.contains(ValidatorKey.fromSeed(seed).address().hex()), s);
        assertFalse(s.toLowerCase().contains("9d61b19d"), s);
    }

    @Test
    void aSeedOfTheWrongLengthIsRefusedWithItsLength() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ValidatorKey.fromSeed(new byte[31]));
        assertEquals("seed: expected 32 bytes, got 31", e.getMessage());
    }
}
