package io.wattproof.lightclient.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.lightclient.ChainGenerator;
import io.wattproof.lightclient.ChainGenerator.TestValidator;
import io.wattproof.lightclient.LinkedChain;
import io.wattproof.lightclient.json.ChainDump;
import io.wattproof.lightclient.json.CometJsonWriter;
import io.wattproof.lightclient.json.ConsensusParams;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.GenesisDoc;
import io.wattproof.lightclient.types.ValidatorSet;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verify-chain} over dumps written with {@link CometJsonWriter}: a chain of 50 heights whose
 * validator set changes every 8 heights (Ed25519 and secp256k1 keys, absent and nil votes) verifies;
 * one changed signature, header field or validator set, a missing file or a broken link exits 1
 * naming the height; a missing or unreadable dump exits 2.
 */
class VerifyChainCommandTest {
    private static final String CHAIN = "meter-ledger-1";
    private static final ConsensusParams PARAMS = ConsensusParams.DEFAULT.withPubKeyTypes(List.of("ed25519", "secp256k1"));
    private static LinkedChain chain;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void generate() {
        chain = new LinkedChain(7, CHAIN, 50, LinkedChain.changing(7, 5, 8, 50), PARAMS, true);
    }

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return LightClientCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private ChainDump dump() throws IOException {
        ChainDump dump = new ChainDump(dir);
        chain.writeDump(dump);
        return dump;
    }

    private int verify() {
        return run("verify-chain", "--dir", dir.toString());
    }

    /** {@code value} in the file changed in one character (A <-> B: still hex and base64). */
    private static void changeOneChar(Path file, String value, int at) throws IOException {
        String text = Files.readString(file);
        int i = text.indexOf(value);
        assertTrue(i >= 0, "value not in " + file + ": " + value);
        char c = value.charAt(at);
        String changed = value.substring(0, at) + (c == 'A' ? 'B' : 'A') + value.substring(at + 1);
        Files.writeString(file, text.substring(0, i) + changed + text.substring(i + value.length()));
    }

    @Test
    void aWholeChainWithValidatorChangesVerifiesFromGenesis() throws IOException {
        ChainDump d = dump();
        assertEquals(0, verify(), out + "\n" + err);
        assertEquals("verified: heights 1..50 of " + CHAIN + ", last block " + chain.signedHeader(50).commit().blockId().hash().hex(),
                out.toString().strip());
        assertEquals("", err.toString());
        // The set did change, more than once.
        assertTrue(!chain.validators(1).equals(chain.validators(9)) && !chain.validators(9).equals(chain.validators(50)));

        // The set of the height above the last may be in the dump too; then it must be the announced one.
        Files.writeString(d.validators(51), CometJsonWriter.validators(51, chain.validators(51)));
        assertEquals(0, verify(), out.toString());
        Files.writeString(d.validators(51), CometJsonWriter.validators(51, chain.validators(1)));
        assertEquals(1, verify());
        assertTrue(out.toString().startsWith("invalid: height 50: header at height 50 has next_validators_hash"), out.toString());
    }

    @Test
    void aChangedSignatureIsInvalidAtItsHeight() throws IOException {
        ChainDump d = dump();
        Bytes first = chain.signedHeader(23).commit().signatures().stream()
                .filter(sig -> !sig.signature().isEmpty()).findFirst().orElseThrow().signature();
        String signature = Base64.getEncoder().encodeToString(first.toArray());
        changeOneChar(d.commit(23), signature, 5);
        assertEquals(1, verify());
        assertTrue(out.toString().startsWith("invalid: height 23: signature "), out.toString());
        assertTrue(out.toString().contains("does not verify"), out.toString());
    }

    @Test
    void aChangedHeaderFieldBreaksTheBlockHash() throws IOException {
        ChainDump d = dump();
        changeOneChar(d.commit(30), "\"data_hash\": \"" + chain.signedHeader(30).header().dataHash().hex(), 20);
        assertEquals(1, verify());
        String hash = chain.signedHeader(30).commit().blockId().hash().hex();
        assertTrue(out.toString().startsWith("invalid: height 30: commit at height 30 signs block " + hash + ", header hashes to "),
                out.toString());
    }

    @Test
    void aValidatorSetThatIsNotTheHeadersIsInvalid() throws IOException {
        ChainDump d = dump();
        // Height 17 is in the third set; the first set is another.
        Files.writeString(d.validators(17), CometJsonWriter.validators(17, chain.validators(1)));
        assertEquals(1, verify());
        assertTrue(out.toString().startsWith("invalid: height 17: header at height 17 has validators_hash "
                + chain.signedHeader(17).header().validatorsHash().hex()), out.toString());

        Files.writeString(d.validators(17), CometJsonWriter.validators(16, chain.validators(17)));
        assertEquals(1, verify());
        assertEquals("invalid: height 17: validators_17.json is for height 16", out.toString().strip());
    }

    @Test
    void aMissingFileInTheMiddleIsNamed() throws IOException {
        ChainDump d = dump();
        Files.delete(d.commit(12));
        assertEquals(1, verify());
        assertEquals("invalid: height 12: missing " + d.commit(12), out.toString().strip());
        chain.writeDump(d);
        Files.delete(d.validators(40));
        assertEquals(1, verify());
        assertEquals("invalid: height 40: missing " + d.validators(40), out.toString().strip());
        // The highest commit decides how far the chain goes: its validators must be there too.
        chain.writeDump(d);
        Files.delete(d.validators(50));
        assertEquals(1, verify());
        assertEquals("invalid: height 50: missing " + d.validators(50), out.toString().strip());
    }

    @Test
    void aCommitFileHoldingAnotherHeightOrAnotherChainIsInvalid() throws IOException {
        ChainDump d = dump();
        Files.copy(d.commit(9), d.commit(10), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertEquals(1, verify());
        assertEquals("invalid: height 10: commit_10.json holds the header of height 9", out.toString().strip());

        LinkedChain other = new LinkedChain(8, "meter-ledger-2", 3, LinkedChain.changing(8, 3, 100, 3), PARAMS, false);
        chain.writeDump(d);
        Files.writeString(d.commit(2), CometJsonWriter.commit(other.signedHeader(2), true));
        assertEquals(1, verify());
        assertEquals("invalid: height 2: chain id: expected \"" + CHAIN + "\", got \"meter-ledger-2\"", out.toString().strip());
    }

    /** Block 20 of another chain from the same genesis, signed by the same validators: every signature is valid, the link is not. */
    @Test
    void aValidlySignedBlockOfAForkIsRefusedForItsLink() throws IOException {
        ChainDump d = dump();
        LinkedChain fork = new LinkedChain(70, CHAIN, 20, LinkedChain.changing(7, 5, 8, 50), PARAMS, true);
        assertEquals(chain.validators(20), fork.validators(20));
        Files.writeString(d.commit(20), CometJsonWriter.commit(fork.signedHeader(20), true));
        assertEquals(1, verify());
        assertTrue(out.toString().startsWith("invalid: height 20: header at height 19 "), out.toString());
    }

    @Test
    void theInitialHeightMustFollowFromTheGenesis() throws IOException {
        ChainDump d = dump();
        ValidatorSet someoneElse = ChainGenerator.set(new ChainGenerator(99).validators(3, false));
        Files.writeString(d.genesis(), CometJsonWriter.genesis(new GenesisDoc(CHAIN, 1, someoneElse), chain.genesisTime(),
                Bytes.EMPTY, PARAMS));
        assertEquals(1, verify());
        assertTrue(out.toString().startsWith("invalid: height 1: validators_hash: expected " + io.wattproof.lightclient.encoding.Hashes
                .validatorSet(someoneElse).hex() + " (the genesis validators)"), out.toString());

        Files.writeString(d.genesis(), CometJsonWriter.genesis(chain.genesis(), chain.genesisTime().minusSeconds(1),
                Bytes.EMPTY, PARAMS));
        assertEquals(1, verify());
        assertTrue(out.toString().startsWith("invalid: height 1: time: expected the genesis time "), out.toString());

        Files.writeString(d.genesis(), CometJsonWriter.genesis(new GenesisDoc(CHAIN, 1, new ValidatorSet(List.of())),
                chain.genesisTime(), Bytes.EMPTY, PARAMS));
        assertEquals(1, verify());
        assertTrue(out.toString().contains("the genesis lists no validators"), out.toString());
    }

    @Test
    void aMissingOrUnreadableDumpExitsTwo() throws IOException {
        assertEquals(2, verify());
        assertTrue(err.toString().contains(dir.resolve("chain") + ": no such folder"), err.toString());
        Files.createDirectories(dir.resolve("chain"));
        assertEquals(2, verify());
        assertEquals("error: " + dir.resolve("chain/genesis.json") + ": no such file", err.toString().strip());
        assertEquals(2, run("verify-chain"));
        assertTrue(err.toString().contains("Missing required option: '--dir=DIR'"), err.toString());

        ChainDump d = dump();
        Files.writeString(d.commit(7), Files.readString(d.commit(7)).replace("\"height\": \"7\"", "\"height\": \"seven\""));
        assertEquals(2, verify());
        assertTrue(err.toString().contains(d.commit(7) + ": result.signed_header.header.height: expected a decimal integer, got \"seven\""),
                err.toString());
        chain.writeDump(d);
        Files.writeString(d.validators(3), "{\"result\": ");
        assertEquals(2, verify());
        assertTrue(err.toString().contains(d.validators(3) + ": ") && err.toString().contains("not valid JSON at line 1"), err.toString());
    }

    @Test
    void genesisWithoutCommitsHasNothingToVerify() throws IOException {
        ChainDump d = new ChainDump(dir);
        Files.createDirectories(d.chainDir());
        Files.writeString(d.genesis(), CometJsonWriter.genesis(chain.genesis(), chain.genesisTime(), Bytes.EMPTY, PARAMS));
        assertEquals(1, verify());
        assertEquals("invalid: height 1: missing " + d.commit(1), out.toString().strip());
    }

    /**
     * A chain in the shape of the single-validator {@code kvstore} networks whose answers tendermint-rs
     * records (a 0.37 node: one Ed25519 validator of power 10, chain "dockerchain", default
     * parameters without the 0.38 abci section, an 8-byte app hash from height 2), written by the
     * writer only, verifies; and progress goes to standard error every 1000 heights.
     */
    @Test
    void aKvstoreShapedChainOfOneValidatorVerifiesWithProgress() throws IOException {
        ConsensusParams v037 = new ConsensusParams(22_020_096, -1, 100_000, Duration.ofHours(48), 1_048_576,
                List.of("ed25519"), 0, OptionalLong.empty());
        TestValidator single = new ChainGenerator(5).ed25519Validator(10);
        List<TestValidator> one = List.of(single);
        LinkedChain kv = new LinkedChain(5, "dockerchain", 1001, h -> one, v037, false);
        kv.writeDump(new ChainDump(dir));
        assertEquals(0, verify(), out + "\n" + err);
        assertEquals("verified: heights 1..1001 of dockerchain, last block " + kv.signedHeader(1001).commit().blockId().hash().hex(),
                out.toString().strip());
        assertEquals("verified heights 1..1000 of 1001", err.toString().strip());
        String genesis = Files.readString(new ChainDump(dir).genesis());
        assertTrue(genesis.contains("\"power\": \"10\"") && !genesis.contains("abci"), genesis);
    }
}
