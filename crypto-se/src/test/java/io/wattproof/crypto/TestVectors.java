package io.wattproof.crypto;

import java.util.HexFormat;
import java.util.List;

/** Published test vectors, shared by the tests of both packages. */
public final class TestVectors {
    private TestVectors() {}

    public static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    /** RFC 6979 Appendix A.2.5: ECDSA over P-256, deterministic k with SHA-256. */
    public static final class Rfc6979P256 {
        private Rfc6979P256() {}

        public static final String PRIVATE_KEY = "C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721";
        public static final String UX = "60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6";
        public static final String UY = "7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299";

        /** Message "sample": the published s is above n/2, so our signers return n − s. */
        public static final String SAMPLE_R = "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716";
        public static final String SAMPLE_S = "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8";
        /** Message "test": the published s is already low. */
        public static final String TEST_R = "F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367";
        public static final String TEST_S = "019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083";

        /**
         * SubjectPublicKeyInfo of the key above, assembled by hand:
         * 30 59               SEQUENCE, 89 bytes
         *   30 13             AlgorithmIdentifier
         *     06 07 2a8648ce3d0201     id-ecPublicKey 1.2.840.10045.2.1
         *     06 08 2a8648ce3d030107   prime256v1 1.2.840.10045.3.1.7
         *   03 42 00          BIT STRING, 66 bytes, 0 unused bits
         *     04 || Ux || Uy  uncompressed point (SEC 1 §2.3.3)
         */
        public static byte[] subjectPublicKeyInfo() {
            return hex("3059" + "3013" + "06072a8648ce3d0201" + "06082a8648ce3d030107" + "034200" + "04" + UX + UY);
        }
    }

    /** RFC 8032 §7.1: Ed25519 TEST 1, 2 and 3 (secret key, public key, message, signature). */
    public record Ed25519Vector(String name, String secretKey, String publicKey, String message, String signature) {
        @Override
        public String toString() {
            return name;
        }
    }

    public static final List<Ed25519Vector> RFC8032 = List.of(
            new Ed25519Vector("rfc 8032 test 1",
                    "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
                    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
                    "",
                    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"),
            new Ed25519Vector("rfc 8032 test 2",
                    "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
                    "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
                    "72",
                    "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"),
            new Ed25519Vector("rfc 8032 test 3",
                    "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
                    "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
                    "af82",
                    "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"));

    /**
     * RFC 8410 §10.1, the example Ed25519 public key:
     * 30 2a  SEQUENCE { 30 05 SEQUENCE { 06 03 2b6570 id-Ed25519 1.3.101.112 }  03 21 00 key(32) }
     */
    public static final String RFC8410_PUBLIC_KEY_PEM = """
            -----BEGIN PUBLIC KEY-----
            MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=
            -----END PUBLIC KEY-----
            """;

    /** SPKI DER of an Ed25519 public key: the fixed 12-byte RFC 8410 prefix, then the key. */
    public static byte[] ed25519SubjectPublicKeyInfo(String publicKeyHex) {
        return hex("302a300506032b6570032100" + publicKeyHex);
    }

    /**
     * GB/T 32918.2-2016 Annex A.2 (identical to GM/T 0003.2-2012 A.2): SM2 signature with SM3 over
     * the standard's 256-bit test curve over F_p (not sm2p256v1), with a fixed k. Bouncy Castle's
     * SM2SignerTest uses the same example.
     */
    public static final class GbT32918Sm2Example {
        private GbT32918Sm2Example() {}

        public static final String P = "8542D69E4C044F18E8B92435BF6FF7DE457283915C45517D722EDB8B08F1DFC3";
        public static final String A = "787968B4FA32C3FD2417842E73BBFEFF2F3C848B6831D7E0EC65228B3937E498";
        public static final String B = "63E4C6D3B23B0C849CF84241484BFE48F61D59A5B16BA06E6E12D1DA27C5249A";
        public static final String N = "8542D69E4C044F18E8B92435BF6FF7DD297720630485628D5AE74EE7C32E79B7";
        public static final String GX = "421DEBD61B62EAB6746434EBC3CC315E32220B3BADD50BDC4C4E6C147FEDD43D";
        public static final String GY = "0680512BCBB42C07D47349D2153B70C4E5D7FDFCBFA36EA1A85841B9E46E09A2";
        /** d_A, the signer's private key. */
        public static final String D = "128B2FA8BD433C6C068C8D803DFF79792A519A55171B1B650C23661D15897263";
        public static final String USER_ID = "ALICE123@YAHOO.COM";
        public static final String MESSAGE = "message digest";
        /** The random k of §6.1 step A3. */
        public static final String K = "6CB28D99385C175C94F94E934817663FC176D925DD72B727260DBAAE1FB2F96F";
        public static final String R = "40F1EC59F793D9F49E09DCEF49130D4194F79FB1EED2CAA55BACDB49C4E755D1";
        public static final String S = "6FC6DAC32C5D5CF10C77DFB20F7C2EB667A457872FB09EC56327A67EC7DEEBE7";

        public static org.bouncycastle.crypto.params.ECDomainParameters curve() {
            var fp = new org.bouncycastle.math.ec.ECCurve.Fp(new java.math.BigInteger(P, 16), new java.math.BigInteger(A, 16),
                    new java.math.BigInteger(B, 16), new java.math.BigInteger(N, 16), java.math.BigInteger.ONE);
            return new org.bouncycastle.crypto.params.ECDomainParameters(fp,
                    fp.createPoint(new java.math.BigInteger(GX, 16), new java.math.BigInteger(GY, 16)), new java.math.BigInteger(N, 16));
        }
    }

    /**
     * A SecureRandom that hands out the given bytes, then zeros: stands in for the generator where a
     * standard fixes the nonce (Bouncy Castle's RandomDSAKCalculator reads ceil(bits(n)/8) bytes).
     */
    public static final class FixedRandom extends java.security.SecureRandom {
        private final byte[] bytes;
        private int next;

        public FixedRandom(byte[] bytes) {
            this.bytes = bytes.clone();
        }

        @Override
        public void nextBytes(byte[] out) {
            for (int i = 0; i < out.length; i++) {
                out[i] = next < bytes.length ? bytes[next++] : 0;
            }
        }
    }
}
