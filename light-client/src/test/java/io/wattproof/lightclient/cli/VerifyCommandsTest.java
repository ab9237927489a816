package io.wattproof.lightclient.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.lightclient.ChainGenerator;
import io.wattproof.lightclient.ChainGenerator.TestValidator;
import io.wattproof.lightclient.RpcJsonWriter;
import io.wattproof.lightclient.encoding.Hashes;
import io.wattproof.lightclient.encoding.MerkleTree;
import io.wattproof.lightclient.tx.IndexedTx;
import io.wattproof.lightclient.tx.TxInclusion;
import io.wattproof.lightclient.tx.TxProof;
import io.wattproof.lightclient.types.BlockId;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.Commit;
import io.wattproof.lightclient.types.Header;
import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.lightclient.types.PartSetHeader;
import io.wattproof.lightclient.types.ValidatorSet;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verify-commit} and {@code verify-tx} over files generated from our own chains in the RPC's
 * JSON shape: valid input exits 0, one changed character in a signature, hash or power exits 1 with
 * the reason, unreadable input exits 2 naming the field.
 */
class VerifyCommandsTest {
    private static final String CHAIN = "meter-ledger-1";

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return LightClientCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    /** Replaces the first occurrence of {@code value} with itself changed in one character (A <-> B, valid in hex and base64). */
    private static String changeOneChar(String text, String value, int at) {
        int i = text.indexOf(value);
        assertTrue(i >= 0, "value not in text: " + value);
        char c = value.charAt(at);
        String changed = value.substring(0, at) + (c == 'A' ? 'B' : 'A') + value.substring(at + 1);
        return text.substring(0, i) + changed + text.substring(i + value.length());
    }

    // --- verify-commit ---

    /** Five validators of power 10 (one secp256k1); the first four sign: 40 of 50, just above 2/3. */
    private record Genesis(String genesisJson, String commitJson, LightBlock block) {}

    private static Genesis genesisAndCommit(long seed) {
        ChainGenerator gen = new ChainGenerator(seed);
        List<TestValidator> vals = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            vals.add(gen.ed25519Validator(10));
        }
        vals.add(gen.secp256k1Validator(10));
        ValidatorSet set = ChainGenerator.set(vals);
        TestValidator absent = vals.stream().filter(v -> v.address().equals(set.validators().get(4).address())).findFirst().orElseThrow();
        Instant genesisTime = gen.time();
        LightBlock block = gen.block(CHAIN, 12, genesisTime.plusSeconds(60), vals, vals, v -> v != absent);
        return new Genesis(RpcJsonWriter.text(RpcJsonWriter.genesisResponse(CHAIN, genesisTime, set)),
                RpcJsonWriter.text(RpcJsonWriter.commitResponse(block.header(), block.commit())), block);
    }

    @Test
    void aCommitSignedByMoreThanTwoThirdsOfTheGenesisPowerIsValid() throws IOException {
        Genesis g = genesisAndCommit(1);
        assertEquals(0, run("verify-commit", "--genesis", write("genesis.json", g.genesisJson()).toString(),
                "--commit", write("commit.json", g.commitJson()).toString()), err.toString());
        assertTrue(out.toString().startsWith("valid: block 12 (" + Hashes.header(g.block().header()).hex() + ") of " + CHAIN
                + " signed by 40 of 50 genesis voting power (4 of 5 validators)"), out.toString());
    }

    @Test
    void oneChangedCharacterInASignatureAHashOrAPowerIsInvalidWithTheReason() throws IOException {
        Genesis g = genesisAndCommit(2);
        Path genesis = write("genesis.json", g.genesisJson());
        Path commit = write("commit.json", g.commitJson());
        String signature = Base64.getEncoder().encodeToString(g.block().commit().signatures().get(1).signature().toArray());
        assertEquals(1, run("verify-commit", "--genesis", genesis.toString(), "--commit",
                write("sig.json", changeOneChar(g.commitJson(), signature, 10)).toString()));
        assertTrue(out.toString().startsWith("invalid: ") && out.toString().contains("signature"), out.toString());

        String appHash = g.block().header().appHash().hex();
        String dataHash = g.block().header().dataHash().hex();
        assertEquals(1, run("verify-commit", "--genesis", genesis.toString(), "--commit",
                write("hash.json", changeOneChar(g.commitJson(), "\"data_hash\" : \"" + dataHash, 20)).toString()));
        assertTrue(out.toString().contains("invalid: ") && out.toString().contains(Hashes.header(g.block().header()).hex()),
                out.toString() + " " + appHash);

        // The absent validator's power from 10 to 90: the 40 that signed are no longer more than 2/3 of 130.
        String absentAddress = g.block().validators().validators().get(4).address().hex();
        String genesisText = g.genesisJson();
        int at = genesisText.indexOf("\"power\" : \"10\"", genesisText.indexOf(absentAddress));
        String more = genesisText.substring(0, at) + "\"power\" : \"90\"" + genesisText.substring(at + "\"power\" : \"10\"".length());
        assertEquals(1, run("verify-commit", "--genesis", write("power.json", more).toString(), "--commit", commit.toString()));
        assertEquals("invalid: the validators that signed block 12 hold 40 of the 130 genesis voting power, need more than 2/3",
                out.toString().strip());

        String noValidators = genesisText.substring(0, genesisText.indexOf("\"validators\" : [")) + "\"validators\" : [ ], \"app_hash\" : \"\" } } }";
        assertEquals(1, run("verify-commit", "--genesis", write("none.json", noValidators).toString(), "--commit", commit.toString()));
        assertTrue(out.toString().contains("the genesis lists no validators"), out.toString() + err);

        String otherChain = genesisText.replace("\"chain_id\" : \"" + CHAIN + "\"", "\"chain_id\" : \"meter-ledger-2\"");
        assertEquals(1, run("verify-commit", "--genesis", write("chain.json", otherChain).toString(), "--commit", commit.toString()));
        assertTrue(out.toString().contains("meter-ledger-2") && out.toString().contains(CHAIN), out.toString());
    }

    @Test
    void unreadableInputExitsTwoNamingTheField() throws IOException {
        Genesis g = genesisAndCommit(3);
        Path genesis = write("genesis.json", g.genesisJson());
        Path commit = write("commit.json", g.commitJson());
        assertEquals(2, run("verify-commit", "--genesis", write("garbage.json", "{\"result\": {\"genesis\": ").toString(),
                "--commit", commit.toString()));
        assertTrue(err.toString().contains("not valid JSON"), err.toString());
        String badHeight = g.commitJson().replace("\"height\" : \"12\"", "\"height\" : \"twelve\"");
        assertEquals(2, run("verify-commit", "--genesis", genesis.toString(), "--commit", write("bad.json", badHeight).toString()));
        assertTrue(err.toString().contains("result.signed_header.header.height: expected a decimal integer, got \"twelve\""),
                err.toString());
        String badPower = g.genesisJson().replaceFirst("\"power\" : \"10\"", "\"power\" : \"ten\"");
        assertEquals(2, run("verify-commit", "--genesis", write("badpower.json", badPower).toString(), "--commit", commit.toString()));
        assertTrue(err.toString().contains("result.genesis.validators[0].power"), err.toString());
        assertEquals(2, run("verify-commit", "--genesis", dir.resolve("missing.json").toString(), "--commit", commit.toString()));
        assertTrue(err.toString().contains("no such file"), err.toString());
        assertEquals(2, run("verify-commit", "--genesis", genesis.toString()));
    }

    // --- verify-tx ---

    private record Txs(List<IndexedTx> txs, String commitJson, Header header) {}

    /** A block of {@code n} transactions whose header commits to them in data_hash, and proofs for some. */
    private static Txs block(long seed, int n, int... proven) {
        ChainGenerator gen = new ChainGenerator(seed);
        List<Bytes> txs = new ArrayList<>();
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Bytes tx = Bytes.of(("meter=" + i + ";kwh=" + gen.random().nextInt(10_000) + ";sig=" + gen.hash().hex())
                    .getBytes(StandardCharsets.UTF_8));
            txs.add(tx);
            leaves.add(TxInclusion.txHash(tx).toArray());
        }
        Bytes root = Bytes.of(MerkleTree.root(leaves));
        List<TestValidator> vals = gen.validators(3, false);
        ValidatorSet set = ChainGenerator.set(vals);
        Header random = gen.header(CHAIN, 40, gen.time(), set, set);
        Header h = new Header(random.version(), random.chainId(), random.height(), random.time(), random.lastBlockId(),
                random.lastCommitHash(), root, random.validatorsHash(), random.nextValidatorsHash(), random.consensusHash(),
                random.appHash(), random.lastResultsHash(), random.evidenceHash(), random.proposerAddress());
        BlockId id = new BlockId(Hashes.header(h), new PartSetHeader(1, gen.hash()));
        Commit commit = gen.commit(CHAIN, h, id, vals, set, v -> true);
        List<IndexedTx> out = new ArrayList<>();
        for (int i : proven) {
            List<Bytes> aunts = new ArrayList<>();
            for (byte[] a : MerkleTree.aunts(leaves, i)) {
                aunts.add(Bytes.of(a));
            }
            TxProof p = new TxProof(root, txs.get(i), n, i, Bytes.of(MerkleTree.leafHash(leaves.get(i))), aunts);
            out.add(new IndexedTx(TxInclusion.txHash(txs.get(i)), 40, i, txs.get(i), Optional.of(p)));
        }
        return new Txs(out, RpcJsonWriter.text(RpcJsonWriter.commitResponse(h, commit)), h);
    }

    @Test
    void everyProofOfATxSearchVerifiesAgainstTheHeader() throws IOException {
        Txs b = block(4, 11, 0, 5, 10);
        Path proofs = write("txs.json", RpcJsonWriter.text(RpcJsonWriter.txSearchResponse(b.txs())));
        Path header = write("commit.json", b.commitJson());
        assertEquals(0, run("verify-tx", "--proof", proofs.toString(), "--header", header.toString()), out + "\n" + err);
        List<String> lines = out.toString().lines().toList();
        assertEquals(3, lines.size());
        assertEquals(b.txs().get(1).hash().hex() + " height 40 index 5: verified, root is the header's data_hash", lines.get(1));
        assertEquals(0, run("verify-tx", "--proof", proofs.toString()));
        assertTrue(out.toString().lines().allMatch(l -> l.endsWith(": verified")), out.toString());
        Path single = write("tx.json", RpcJsonWriter.text(RpcJsonWriter.txResponse(b.txs().get(2))));
        assertEquals(0, run("verify-tx", "--proof", single.toString(), "--header", header.toString()));
    }

    @Test
    void oneChangedCharacterInATxAnAuntARootOrTheDataHashFailsThatTx() throws IOException {
        Txs b = block(5, 6, 1, 4);
        String text = RpcJsonWriter.text(RpcJsonWriter.txSearchResponse(b.txs()));
        Path header = write("commit.json", b.commitJson());
        TxProof p = b.txs().get(1).proof().orElseThrow();
        String aunt = Base64.getEncoder().encodeToString(p.aunts().get(0).toArray());
        assertEquals(1, run("verify-tx", "--proof", write("aunt.json", changeOneChar(text, aunt, 7)).toString()));
        List<String> lines = out.toString().lines().toList();
        assertTrue(lines.get(0).endsWith(": verified"), lines.get(0));
        assertTrue(lines.get(1).contains("index 4: FAILED: root hash: the proof leads to"), lines.get(1));

        String tx = Base64.getEncoder().encodeToString(b.txs().get(0).tx().toArray());
        assertEquals(1, run("verify-tx", "--proof", write("tx.json", changeOneChar(text, tx, 3)).toString()));
        assertTrue(out.toString().lines().findFirst().orElseThrow().contains("FAILED: hash: expected"), out.toString());

        String root = "\"root_hash\" : \"" + p.rootHash().hex();
        assertEquals(1, run("verify-tx", "--proof", write("root.json", changeOneChar(text, root, 20)).toString()));
        assertTrue(out.toString().contains("index 1: FAILED: root hash: the proof leads to " + p.rootHash().hex()), out.toString());

        String dataHash = "\"data_hash\" : \"" + b.header().dataHash().hex();
        Path otherHeader = write("other.json", changeOneChar(b.commitJson(), dataHash, 30));
        assertEquals(1, run("verify-tx", "--proof", write("ok.json", text).toString(), "--header", otherHeader.toString()));
        assertTrue(out.toString().lines().allMatch(l -> l.contains("FAILED: root hash " + p.rootHash().hex()
                + " is not the data hash")), out.toString());

        IndexedTx noProof = new IndexedTx(b.txs().get(0).hash(), 40, 1, b.txs().get(0).tx(), Optional.empty());
        assertEquals(1, run("verify-tx", "--proof", write("noproof.json", RpcJsonWriter.text(RpcJsonWriter.txResponse(noProof))).toString()));
        assertTrue(out.toString().contains("FAILED: no proof in the response (query with prove=true)"), out.toString());

        assertEquals(1, run("verify-tx", "--proof", write("empty.json",
                "{\"jsonrpc\":\"2.0\",\"id\":-1,\"result\":{\"txs\":[],\"total_count\":\"0\"}}").toString()));
        assertTrue(out.toString().contains("nothing verified"), out.toString());
    }

    @Test
    void unreadableProofOrHeaderExitsTwoNamingTheField() throws IOException {
        Txs b = block(6, 3, 2);
        String text = RpcJsonWriter.text(RpcJsonWriter.txSearchResponse(b.txs()));
        String aunts = "\"aunts\" : [ \"";
        String bad = text.replace(aunts, aunts + "*");
        assertEquals(2, run("verify-tx", "--proof", write("bad.json", bad).toString()));
        assertTrue(err.toString().contains("result.txs[0].proof.proof.aunts[0]: expected base64"), err.toString());
        assertEquals(2, run("verify-tx", "--proof", write("garbage.json", "garbage").toString()));
        assertTrue(err.toString().contains("not valid JSON"), err.toString());
        Path proofs = write("txs.json", text);
        assertEquals(2, run("verify-tx", "--proof", proofs.toString(), "--header", write("h.json", "{\"result\": {}}").toString()));
        assertTrue(err.toString().contains("no header found"), err.toString());
    }
}
