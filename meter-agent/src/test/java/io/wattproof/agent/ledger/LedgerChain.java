package io.wattproof.agent.ledger;

import com.google.protobuf.ByteString;
import io.wattproof.agent.record.SignedRecord;
import io.wattproof.lightclient.ChainGenerator;
import io.wattproof.lightclient.ChainGenerator.TestValidator;
import io.wattproof.lightclient.encoding.Hashes;
import io.wattproof.lightclient.encoding.MerkleTree;
import io.wattproof.lightclient.tx.TxInclusion;
import io.wattproof.lightclient.types.BlockId;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.Header;
import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.lightclient.types.PartSetHeader;
import io.wattproof.lightclient.types.SignedHeader;
import io.wattproof.lightclient.types.ValidatorSet;
import io.wattproof.protocol.v1.BodyType;
import io.wattproof.protocol.v1.KeyAlgorithm;
import io.wattproof.protocol.v1.MerkleProof;
import io.wattproof.protocol.v1.Reading;
import io.wattproof.protocol.v1.Receipt;
import io.wattproof.protocol.v1.ResultProof;
import io.wattproof.protocol.v1.SignedTx;
import io.wattproof.protocol.v1.TxProof;
import io.wattproof.protocol.v1.TxResultCode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A ledger in a test: hash-linked CometBFT blocks signed by four Ed25519 validators (the light
 * client test-jar's {@link ChainGenerator}), each holding the transactions it was given, so that
 * every header's {@code data_hash} is the real Merkle root of its transactions and every receipt
 * carries a real proof.
 */
public final class LedgerChain {
    public static final String CHAIN_ID = "wattproof-sim";
    static final Instant GENESIS = Instant.parse("2026-03-01T00:00:00Z");

    private final Instant genesis;
    private final ChainGenerator gen;
    private final List<TestValidator> validators;
    private final ValidatorSet set;
    private final List<LightBlock> blocks = new ArrayList<>();
    private final List<List<byte[]>> txs = new ArrayList<>();
    /** Each block's result codes, one per transaction; block h + 1's header commits to them. */
    private final List<List<Integer>> codes = new ArrayList<>();

    LedgerChain(long seed) {
        this(seed, GENESIS);
    }

    /** Block {@code h} is {@code h} seconds after {@code genesis}. */
    public LedgerChain(long seed, Instant genesis) {
        this.genesis = genesis;
        gen = new ChainGenerator(seed);
        validators = gen.validators(4, false);
        set = ChainGenerator.set(validators);
    }

    /** Commits the next block holding {@code blockTxs}, all accepted, one second after the previous. */
    public synchronized LightBlock commit(List<byte[]> blockTxs) {
        return commit(blockTxs, blockTxs.stream().map(t -> 0).toList());
    }

    /**
     * Commits the next block holding {@code blockTxs} with result codes {@code resultCodes} (0 =
     * accepted); its {@code last_results_hash} is the real root over the previous block's results.
     */
    public synchronized LightBlock commit(List<byte[]> blockTxs, List<Integer> resultCodes) {
        if (resultCodes.size() != blockTxs.size()) {
            throw new IllegalArgumentException("one result code per transaction");
        }
        long height = blocks.size() + 1;
        Bytes lastResultsHash = Bytes.of(MerkleTree.root(height == 1 ? List.of() : resultLeaves(height - 1)));
        Instant time = genesis.plus(Duration.ofSeconds(height));
        List<byte[]> leaves = new ArrayList<>();
        for (byte[] tx : blockTxs) {
            leaves.add(TxInclusion.txHash(Bytes.of(tx)).toArray());
        }
        Header random = gen.header(CHAIN_ID, height, time, set, set);
        BlockId last = height == 1 ? BlockId.EMPTY : blocks.get(blocks.size() - 1).commit().blockId();
        Header header = withDataHash(new Header(random.version(), CHAIN_ID, height, time, last, random.lastCommitHash(),
                random.dataHash(), random.validatorsHash(), random.nextValidatorsHash(), random.consensusHash(), random.appHash(),
                lastResultsHash, random.evidenceHash(), random.proposerAddress()), Bytes.of(MerkleTree.root(leaves)));
        LightBlock block = sign(header);
        blocks.add(block);
        txs.add(List.copyOf(blockTxs));
        codes.add(List.copyOf(resultCodes));
        return block;
    }

    /**
     * {@code tendermint.abci.ExecTxResult} with only {@code code} (field 1, uint32 varint; proto3
     * leaves a 0 out): what a block's results tree holds for a result without data or gas.
     */
    static byte[] execResult(int code) {
        if (code == 0) {
            return new byte[0];
        }
        ByteString.Output out = ByteString.newOutput();
        out.write(0x08);
        long v = Integer.toUnsignedLong(code);
        while (v >= 0x80) {
            out.write((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
        return out.toByteString().toByteArray();
    }

    private List<byte[]> resultLeaves(long height) {
        return codes.get((int) height - 1).stream().map(LedgerChain::execResult).toList();
    }

    /** The result code block {@code height} gave transaction {@code index}. */
    synchronized int code(long height, int index) {
        return codes.get((int) height - 1).get(index);
    }

    /** The real proof of result {@code index} of block {@code height}, against the header of {@code height + 1}. */
    synchronized ResultProof resultProof(long height, int index) {
        List<byte[]> leaves = resultLeaves(height);
        MerkleProof.Builder m = MerkleProof.newBuilder().setTotal(leaves.size()).setIndex(index)
                .setLeafHash(ByteString.copyFrom(MerkleTree.leafHash(leaves.get(index))));
        for (byte[] aunt : MerkleTree.aunts(leaves, index)) {
            m.addAunts(ByteString.copyFrom(aunt));
        }
        return ResultProof.newBuilder().setResult(ByteString.copyFrom(leaves.get(index))).setProof(m).build();
    }

    /** The honest receipt of {@code tx} with {@code code}, with the proof of the result its block gave it. */
    public Receipt receiptWithResult(byte[] tx, TxResultCode code) {
        long[] at = find(tx).orElseThrow();
        return receipt(tx, code).toBuilder().setResultProof(resultProof(at[0], (int) at[1])).build();
    }

    /** {@code header}, signed by every validator. */
    LightBlock sign(Header header) {
        BlockId id = new BlockId(Hashes.header(header), new PartSetHeader(1, gen.hash()));
        return new LightBlock(new SignedHeader(header, gen.commit(CHAIN_ID, header, id, validators, set, v -> true)), set,
                Optional.of(set));
    }

    static Header withDataHash(Header h, Bytes dataHash) {
        return new Header(h.version(), h.chainId(), h.height(), h.time(), h.lastBlockId(), h.lastCommitHash(), dataHash,
                h.validatorsHash(), h.nextValidatorsHash(), h.consensusHash(), h.appHash(), h.lastResultsHash(),
                h.evidenceHash(), h.proposerAddress());
    }

    /**
     * The block at {@code height} with another {@code data_hash} and the honest commit: what a gateway
     * would have to serve to back a proof of a transaction the block does not hold.
     */
    LightBlock forgedDataHash(long height) {
        LightBlock honest = block(height);
        return new LightBlock(new SignedHeader(withDataHash(honest.header(), gen.hash()), honest.commit()), honest.validators(),
                honest.nextValidators());
    }

    public synchronized LightBlock block(long height) {
        return blocks.get((int) height - 1);
    }

    public synchronized long height() {
        return blocks.size();
    }

    /** The height and index of {@code tx}, if it is in a block. */
    synchronized Optional<long[]> find(byte[] tx) {
        for (int h = 0; h < txs.size(); h++) {
            for (int i = 0; i < txs.get(h).size(); i++) {
                if (Arrays.equals(txs.get(h).get(i), tx)) {
                    return Optional.of(new long[] {h + 1, i});
                }
            }
        }
        return Optional.empty();
    }

    /** The real proof of transaction {@code index} in block {@code height}. */
    synchronized TxProof proof(long height, int index) {
        List<byte[]> blockTxs = txs.get((int) height - 1);
        List<byte[]> leaves = new ArrayList<>();
        for (byte[] tx : blockTxs) {
            leaves.add(TxInclusion.txHash(Bytes.of(tx)).toArray());
        }
        MerkleProof.Builder m = MerkleProof.newBuilder().setTotal(blockTxs.size()).setIndex(index)
                .setLeafHash(ByteString.copyFrom(MerkleTree.leafHash(leaves.get(index))));
        for (byte[] aunt : MerkleTree.aunts(leaves, index)) {
            m.addAunts(ByteString.copyFrom(aunt));
        }
        return TxProof.newBuilder().setRootHash(ByteString.copyFrom(MerkleTree.root(leaves)))
                .setData(ByteString.copyFrom(blockTxs.get(index))).setProof(m).build();
    }

    /** The honest receipt of {@code tx} with {@code code}, which must be in a block. */
    Receipt receipt(byte[] tx, TxResultCode code) {
        long[] at = find(tx).orElseThrow();
        return Receipt.newBuilder().setTxHash(ByteString.copyFrom(TxInclusion.txHash(Bytes.of(tx)).toArray()))
                .setCode(code.getNumber()).setHeight(at[0]).setProof(proof(at[0], (int) at[1])).build();
    }

    static Receipt refusal(byte[] tx, TxResultCode code, String log) {
        return Receipt.newBuilder().setTxHash(ByteString.copyFrom(TxInclusion.txHash(Bytes.of(tx)).toArray()))
                .setCode(code.getNumber()).setLog(log).build();
    }

    /** A record as the agent stores it: a SignedTx around a Reading (the signature is not checked here). */
    static SignedRecord record(long sequence) {
        Instant end = GENESIS.plus(Duration.ofMinutes(15 * sequence));
        Reading reading = Reading.newBuilder().setDeviceId(ByteString.copyFrom(new byte[20])).setSequence(sequence)
                .setIntervalStart(end.getEpochSecond() - 900).setIntervalSeconds(900).setImportWh(1000 + sequence).build();
        byte[] signature = new byte[64];
        Arrays.fill(signature, (byte) sequence);
        byte[] tx = SignedTx.newBuilder().setBodyType(BodyType.READING).setBody(reading.toByteString())
                .setKeyAlgorithm(KeyAlgorithm.ED25519).setSignature(ByteString.copyFrom(signature)).build().toByteArray();
        byte[] recordHash = TxInclusion.txHash(Bytes.of(reading.toByteArray())).toArray();
        return new SignedRecord(sequence, tx, recordHash, end);
    }
}
