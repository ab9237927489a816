package io.wattproof.lightclient.encoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wattproof.lightclient.types.BlockId;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.CommitSig;
import io.wattproof.lightclient.types.ConsensusVersion;
import io.wattproof.lightclient.types.Header;
import io.wattproof.lightclient.types.PartSetHeader;
import io.wattproof.lightclient.types.PublicKey;
import io.wattproof.lightclient.types.Validator;
import io.wattproof.lightclient.types.ValidatorSet;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Byte-level vectors, commented field by field, from CometBFT's own tests where they exist. */
class EncodingVectorsTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    /** Go's zero time.Time as google.protobuf.Timestamp: seconds = -62135596800 as a 10-byte varint, no nanos. */
    private static final String GO_ZERO_TIMESTAMP = "08 80 92 b8 c3 98 fe ff ff ff 01";

    @Test
    void timestampOfGoZeroTimeAndOfAnInstantWithNanos() {
        assertArrayEquals(hex(GO_ZERO_TIMESTAMP), Protobuf.timestamp(CommitSig.GO_ZERO_TIME));
        // 1970-01-01T00:00:01.5Z: seconds = 1 (08 01), nanos = 500000000 (10 80 ca b5 ee 01)
        assertArrayEquals(hex("08 01 10 80 ca b5 ee 01"), Protobuf.timestamp(Instant.parse("1970-01-01T00:00:01.5Z")));
        // The epoch itself: both fields zero, so nothing is written.
        assertArrayEquals(new byte[0], Protobuf.timestamp(Instant.EPOCH));
    }

    /** CometBFT types/vote_test.go TestVoteSignBytesTestVectors, case 1: precommit, height 1, round 1, zero time. */
    @Test
    void precommitSignBytesMatchCometBftVector() {
        byte[] expected = hex("21"                   // length 33
                + "08 02"                            // type = 2 (precommit)
                + "11 01 00 00 00 00 00 00 00"       // height = 1, sfixed64
                + "19 01 00 00 00 00 00 00 00"       // round = 1, sfixed64
                + "2a 0b" + GO_ZERO_TIMESTAMP);      // timestamp, always written
        assertArrayEquals(expected, SignBytes.precommit("", 1, 1, BlockId.EMPTY, CommitSig.GO_ZERO_TIME));
    }

    @Test
    void precommitSignBytesForABlockWithChainId() {
        BlockId id = new BlockId(Bytes.of(new byte[] {1, 2}), new PartSetHeader(3, Bytes.of(new byte[] {4})));
        byte[] expected = hex("1f"                   // length 31
                + "08 02"                            // type = 2
                + "11 05 00 00 00 00 00 00 00"       // height = 5; round 0 is omitted
                // block_id: CanonicalBlockID { hash = 0a 02 01 02; part_set_header = 12 05 { total = 08 03; hash = 12 01 04 } }
                + "22 0b 0a 02 01 02 12 05 08 03 12 01 04"
                + "2a 02 08 07"                      // timestamp: seconds = 7
                + "32 01 63");                       // chain_id = "c"
        assertArrayEquals(expected, SignBytes.precommit("c", 5, 0, id, Instant.ofEpochSecond(7)));
    }

    @Test
    void aBlockIdWithOnlyAPartSetHeaderIsStillABlockInSignBytes() {
        // CanonicalizeBlockID keeps the block id unless both hash and part set header are empty.
        BlockId partsOnly = new BlockId(Bytes.EMPTY, new PartSetHeader(1, Bytes.EMPTY));
        byte[] bytes = SignBytes.precommit("", 1, 0, partsOnly, Instant.ofEpochSecond(1));
        assertArrayEquals(hex("15 08 02 11 01 00 00 00 00 00 00 00 22 04 12 02 08 01 2a 02 08 01"), bytes);
    }

    @Test
    void emptyBlockIdKeepsItsNonNullablePartSetHeader() {
        assertArrayEquals(hex("12 00"), Protobuf.blockId(BlockId.EMPTY));
    }

    /** CometBFT crypto/merkle/tree_test.go TestHashFromByteSlices. */
    @Test
    void merkleRootsMatchCometBftVectors() {
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", hexOf(MerkleTree.root(List.of())));
        assertEquals("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                hexOf(MerkleTree.root(List.of(new byte[0]))));
        assertEquals("054edec1d0211f624fed0cbca9d4f9400b0e491c43742af2c5b0abebf0c990d8",
                hexOf(MerkleTree.root(List.of(new byte[] {1, 2, 3}))));
        assertEquals("82e6cfce00453804379b53962939eaa7906b39904be0813fcadd31b100773c4b",
                hexOf(MerkleTree.root(List.of(new byte[] {1, 2, 3}, new byte[] {4, 5, 6}))));
        assertEquals("f326493eceab4f2d9ffbc78c59432a0a005d6ea98392045c74df5d14a113be18", hexOf(MerkleTree.root(List.of(
                new byte[] {1, 2}, new byte[] {3, 4}, new byte[] {5, 6}, new byte[] {7, 8}, new byte[] {9, 10}))));
    }

    /** crypto/merkle/tree_test.go Test_getSplitPoint. */
    @Test
    void splitPointIsTheLargestPowerOfTwoBelowTheLength() {
        int[][] cases = {{2, 1}, {3, 2}, {4, 2}, {5, 4}, {10, 8}, {20, 16}, {100, 64}, {255, 128}, {256, 128}, {257, 256}};
        for (int[] c : cases) {
            assertEquals(c[1], MerkleTree.splitPoint(c[0]), "n = " + c[0]);
        }
    }

    @Test
    void simpleValidatorLeavesOutAddressAndPriority() {
        PublicKey key = PublicKey.ed25519(Bytes.of(new byte[32]));
        Validator v = new Validator(key.address(), key, 10, -5);
        // pub_key = 0a 22 { ed25519 = 0a 20 <32 zero bytes> }, voting_power = 10 08... as field 2: 10 0a
        assertArrayEquals(hex("0a 22 0a 20" + "00".repeat(32) + "10 0a"), Protobuf.simpleValidator(v));
        PublicKey k1 = PublicKey.secp256k1(Bytes.of(hex("02" + "11".repeat(32))));
        assertArrayEquals(hex("0a 23 12 21 02" + "11".repeat(32)), Protobuf.simpleValidator(new Validator(k1.address(), k1, 0, 0)));
    }

    @Test
    void validatorAddressesDeriveFromKeysAsInCometBft() {
        // Ed25519: first 20 bytes of SHA-256(key). SHA-256 of 32 zero bytes = 66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925
        assertEquals("66687AADF862BD776C8FC18B8E9F8E20089714856EE233B3902A591D0D5F2925".substring(0, 40),
                PublicKey.ed25519(Bytes.of(new byte[32])).address().hex());
        // secp256k1: RIPEMD-160(SHA-256(compressed key)). The generator point G (private key 1) has the
        // well-known HASH160 751e76e8... (BIP 173's P2WPKH example).
        PublicKey g = PublicKey.secp256k1(Bytes.fromHex("0279BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798"));
        assertEquals("751E76E8199196D454941C45D1B3A323F1433BD6", g.address().hex());
    }

    @Test
    void validatorSetsAreOrderedByPowerThenAddress() {
        Validator a = validator((byte) 1, 5);
        Validator b = validator((byte) 2, 5);
        Validator c = validator((byte) 3, 9);
        ValidatorSet set = new ValidatorSet(List.of(a, b, c));
        List<Validator> ordered = set.validators();
        assertEquals(c, ordered.get(0));
        assertEquals(a.address().compareTo(b.address()) < 0 ? a : b, ordered.get(1));
        assertEquals(Hashes.validatorSet(set), Hashes.validatorSet(new ValidatorSet(List.of(b, c, a))));
    }

    @Test
    void headerHashUsesEmptyLeavesForEmptyFields() {
        Header h = new Header(new ConsensusVersion(11, 0), "", 0, Instant.EPOCH, BlockId.EMPTY, Bytes.EMPTY, Bytes.EMPTY,
                Bytes.EMPTY, Bytes.EMPTY, Bytes.EMPTY, Bytes.EMPTY, Bytes.EMPTY, Bytes.EMPTY, Bytes.EMPTY);
        List<byte[]> leaves = List.of(hex("08 0b"), new byte[0], new byte[0], new byte[0], hex("12 00"),
                new byte[0], new byte[0], new byte[0], new byte[0], new byte[0], new byte[0], new byte[0], new byte[0], new byte[0]);
        assertEquals(Bytes.of(MerkleTree.root(leaves)), Hashes.header(h));
    }

    private static Validator validator(byte seed, long power) {
        byte[] k = new byte[32];
        k[0] = seed;
        PublicKey key = PublicKey.ed25519(Bytes.of(k));
        return new Validator(key.address(), key, power, 0);
    }

    private static String hexOf(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
