package io.wattproof.crypto.seal;

import static io.wattproof.crypto.TestVectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.SecureRandom;
import java.util.List;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.hpke.HPKEContext;
import org.bouncycastle.crypto.hpke.HPKEContextWithEncapsulation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * RFC 9180 Appendix A, base mode, sequence number 0, for each suite we support: proves that the
 * HPKE that {@link Suite#hpke()} configures, and our key handling, are RFC 9180's. Values copied
 * from the appendix (in the draft-irtf-cfrg-hpke auth48 text the same sections are numbered B.x).
 * All four share info "Ode on a Grecian Urn", pt "Beauty is truth, truth beauty", aad "Count-0".
 */
class HpkeVectorsTest {
    private static final byte[] INFO = hex("4f6465206f6e2061204772656369616e2055726e");
    private static final byte[] PT = hex("4265617574792069732074727574682c20747275746820626561757479");
    private static final byte[] AAD = hex("436f756e742d30");

    record Vector(String section, Suite suite, String ikmR, String skRm, String pkRm, String skEm, String enc, String ct) {
        @Override
        public String toString() {
            return "rfc 9180 " + section + " " + suite;
        }
    }

    static final List<Vector> VECTORS = List.of(
            new Vector("A.1.1", Suite.X25519_AES_128_GCM,
                    "6db9df30aa07dd42ee5e8181afdb977e538f5e1fec8a06223f33f7013e525037",
                    "4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8",
                    "3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d",
                    "52c4a758a802cd8b936eceea314432798d5baf2d7e9235dc084ab1b9cfa2f736",
                    "37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431",
                    "f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a96d8770ac83d07bea87e13c512a"),
            new Vector("A.2.1", Suite.X25519_CHACHA20_POLY1305,
                    "1ac01f181fdf9f352797655161c58b75c656a6cc2716dcb66372da835542e1df",
                    "8057991eef8f1f1af18f4a9491d16a1ce333f695d4db8e38da75975c4478e0fb",
                    "4310ee97d88cc1f088a5576c77ab0cf5c3ac797f3d95139c6c84b5429c59662a",
                    "f4ec9b33b792c372c1d2c2063507b684ef925b8c75a42dbcbf57d63ccd381600",
                    "1afa08d3dec047a643885163f1180476fa7ddb54c6a8029ea33f95796bf2ac4a",
                    "1c5250d8034ec2b784ba2cfd69dbdb8af406cfe3ff938e131f0def8c8b60b4db21993c62ce81883d2dd1b51a28"),
            new Vector("A.3.1", Suite.P256_AES_128_GCM,
                    "668b37171f1072f3cf12ea8a236a45df23fc13b82af3609ad1e354f6ef817550",
                    "f3ce7fdae57e1a310d87f1ebbde6f328be0a99cdbcadf4d6589cf29de4b8ffd2",
                    "04fe8c19ce0905191ebc298a9245792531f26f0cece2460639e8bc39cb7f706a82"
                            + "6a779b4cf969b8a0e539c7f62fb3d30ad6aa8f80e30f1d128aafd68a2ce72ea0",
                    "4995788ef4b9d6132b249ce59a77281493eb39af373d236a1fe415cb0c2d7beb",
                    "04a92719c6195d5085104f469a8b9814d5838ff72b60501e2c4466e5e67b325ac9"
                            + "8536d7b61a1af4b78e5b7f951c0900be863c403ce65c9bfcb9382657222d18c4",
                    "5ad590bb8baa577f8619db35a36311226a896e7342a6d836d8b7bcd2f20b6c7f9076ac232e3ab2523f39513434"),
            new Vector("A.5.1", Suite.P256_CHACHA20_POLY1305,
                    "61092f3f56994dd424405899154a9918353e3e008171517ad576b900ddb275e7",
                    "a4d1c55836aa30f9b3fbb6ac98d338c877c2867dd3a77396d13f68d3ab150d3b",
                    "04a697bffde9405c992883c5c439d6cc358170b51af72812333b015621dc0f40ba"
                            + "d9bb726f68a5c013806a790ec716ab8669f84f6b694596c2987cf35baba2a006",
                    "7550253e1147aae48839c1f8af80d2770fb7a4c763afe7d0afa7e0f42a5b3689",
                    "04c07836a0206e04e31d8ae99bfd549380b072a1b1b82e563c935c095827824fc"
                            + "1559eac6fb9e3c70cd3193968994e7fe9781aa103f5b50e934b5b2f387e381291",
                    "6469c41c5c81d3aa85432531ecf6460ec945bde1eb428cb2fedf7a29f5a685b4ccb0d057f03ea2952a27bb458b"));

    /** Hands out fixed bytes: lets a vector's ikm stand in for the generator's randomness. */
    private static final class FixedRandom extends SecureRandom {
        private final byte[] bytes;

        FixedRandom(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public void nextBytes(byte[] out) {
            assertEquals(bytes.length, out.length, "requested length");
            System.arraycopy(bytes, 0, out, 0, out.length);
        }
    }

    @ParameterizedTest
    @FieldSource("VECTORS")
    void generateIsDeriveKeyPairOfTheRandomBytes(Vector v) {
        RecipientKeyPair pair = RecipientKeyPair.generate(v.suite().kem(), new FixedRandom(hex(v.ikmR())));
        assertArrayEquals(serialized(v.suite().kem(), hex(v.skRm())), pair.privateKey());
        assertArrayEquals(hex(v.pkRm()), pair.publicKey().encoded());
    }

    /**
     * RFC 9180 §7.1.2: for X25519 SerializePrivateKey MUST clamp its output (RFC 7748 §5), while the
     * appendix prints skRm unclamped; the two are the same key.
     */
    private static byte[] serialized(Kem kem, byte[] sk) {
        if (kem == Kem.X25519_HKDF_SHA256) {
            sk[0] &= (byte) 0xf8;
            sk[31] &= 0x7f;
            sk[31] |= 0x40;
        }
        return sk;
    }

    @ParameterizedTest
    @FieldSource("VECTORS")
    void privateKeyGivesThePublishedPublicKey(Vector v) {
        RecipientKeyPair pair = RecipientKeyPair.fromPrivateKey(v.suite().kem(), hex(v.skRm()));
        assertArrayEquals(hex(v.pkRm()), pair.publicKey().encoded());
        assertArrayEquals(serialized(v.suite().kem(), hex(v.skRm())), pair.privateKey());
        RecipientKeyPair reloaded = RecipientKeyPair.fromPrivateKey(v.suite().kem(), pair.privateKey());
        assertArrayEquals(hex(v.pkRm()), reloaded.publicKey().encoded());
    }

    @ParameterizedTest
    @FieldSource("VECTORS")
    void senderWithThePublishedEphemeralKeyProducesEncAndCiphertext(Vector v) throws Exception {
        HPKE hpke = v.suite().hpke();
        AsymmetricCipherKeyPair ephemeral = hpke.deserializePrivateKey(hex(v.skEm()), null);
        RecipientPublicKey recipient = RecipientPublicKey.of(v.suite().kem(), hex(v.pkRm()));
        HPKEContextWithEncapsulation sender = hpke.setupBaseS(recipient.parameters(), INFO, ephemeral);
        assertArrayEquals(hex(v.enc()), sender.getEncapsulation());
        assertArrayEquals(hex(v.ct()), sender.seal(AAD, PT));
    }

    @ParameterizedTest
    @FieldSource("VECTORS")
    void recipientOpensThePublishedCiphertext(Vector v) throws Exception {
        HPKE hpke = v.suite().hpke();
        RecipientKeyPair pair = RecipientKeyPair.fromPrivateKey(v.suite().kem(), hex(v.skRm()));
        HPKEContext receiver = hpke.setupBaseR(hex(v.enc()), pair.pair(), INFO);
        assertArrayEquals(PT, receiver.open(AAD, hex(v.ct())));
        // The single-shot API that Sealing uses is the same computation (RFC 9180 §6.1).
        assertArrayEquals(PT, hpke.open(hex(v.enc()), pair.pair(), INFO, AAD, hex(v.ct()), null, null, null));
    }

    @ParameterizedTest
    @FieldSource("VECTORS")
    void suiteIdsAreTheAppendixIds(Vector v) {
        int kemId = v.section().startsWith("A.1") || v.section().startsWith("A.2") ? 0x0020 : 0x0010;
        int aeadId = v.section().startsWith("A.2") || v.section().startsWith("A.5") ? 0x0003 : 0x0001;
        assertEquals(kemId, v.suite().kem().id());
        assertEquals(0x0001, v.suite().kdfId());
        assertEquals(aeadId, v.suite().aead().id());
        assertEquals(v.suite(), Suite.fromIds(kemId, 0x0001, aeadId).orElseThrow());
    }
}
