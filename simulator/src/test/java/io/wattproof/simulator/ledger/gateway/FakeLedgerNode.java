package io.wattproof.simulator.ledger.gateway;

import io.wattproof.lightclient.ChainGenerator;
import io.wattproof.lightclient.ChainGenerator.TestValidator;
import io.wattproof.lightclient.encoding.Hashes;
import io.wattproof.lightclient.encoding.MerkleTree;
import io.wattproof.lightclient.tx.TxInclusion;
import io.wattproof.lightclient.tx.ResultProof;
import io.wattproof.lightclient.tx.TxProof;
import io.wattproof.lightclient.types.BlockId;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.ConsensusVersion;
import io.wattproof.lightclient.types.Header;
import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.lightclient.types.PartSetHeader;
import io.wattproof.lightclient.types.SignedHeader;
import io.wattproof.lightclient.types.ValidatorSet;
import io.wattproof.simulator.ledger.CommittedBlock;
import io.wattproof.simulator.ledger.IncludedTx;
import io.wattproof.simulator.ledger.LedgerException;
import io.wattproof.simulator.ledger.LedgerNode;
import io.wattproof.simulator.ledger.TxResult;
import io.wattproof.simulator.ledger.chain.BlockHashes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * A ledger node for gateway tests: a mempool that {@link #commit()} turns into a block signed by
 * four Ed25519 validators, with a real {@code data_hash} (the RFC 6962 root of the transactions'
 * SHA-256 hashes, CometBFT types/tx.go {@code Txs.Hash}) and real inclusion proofs. Its "application"
 * refuses a transaction whose first byte is {@code 0xEE} (code 4) and answers a transaction already
 * in a block with {@code RESULT_ALREADY_INCLUDED}. Listeners are called on the node's own thread, as
 * a node's event subscription would. The next validator set is attached only below the latest
 * height, as a node that learns it with the next block.
 */
final class FakeLedgerNode implements LedgerNode {
    static final byte REFUSE_MARKER = (byte) 0xEE;

    private final String chainId;
    private final ChainGenerator gen;
    private final List<TestValidator> validators;
    private final ValidatorSet set;
    private final Instant genesis = Instant.now().minus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    private final List<LightBlock> blocks = new ArrayList<>();
    private final Map<Bytes, IncludedTx> included = new HashMap<>();
    private Bytes lastResultsHash = BlockHashes.emptyMerkle();
    private final List<byte[]> mempool = new ArrayList<>();
    private final List<Consumer<CommittedBlock>> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService events = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().name("fake-node").daemon().unstarted(r));
    private int submitted;
    private volatile boolean unreachable;

    FakeLedgerNode(String chainId, long seed) {
        this.chainId = chainId;
        this.gen = new ChainGenerator(seed);
        this.validators = List.of(gen.ed25519Validator(100), gen.ed25519Validator(100), gen.ed25519Validator(100),
                gen.ed25519Validator(100));
        this.set = ChainGenerator.set(validators);
    }

    @Override
    public String chainId() {
        return chainId;
    }

    /** While set, every RPC call fails as a node that cannot be reached. */
    void unreachable(boolean value) {
        unreachable = value;
    }

    private void reach() throws LedgerException {
        if (unreachable) {
            throw new LedgerException("connection refused: 127.0.0.1:26657");
        }
    }

    @Override
    public synchronized TxResult submit(byte[] tx) throws LedgerException {
        reach();
        submitted++;
        IncludedTx in = included.get(TxInclusion.txHash(Bytes.of(tx)));
        if (in != null) {
            return TxResult.refused(12, "tx: already included at height " + in.height());
        }
        if (tx.length > 0 && tx[0] == REFUSE_MARKER) {
            return TxResult.refused(4, "signature: does not verify");
        }
        mempool.add(tx.clone());
        return TxResult.ok();
    }

    synchronized int submitted() {
        return submitted;
    }

    synchronized int mempoolSize() {
        return mempool.size();
    }

    /** Makes a block of the mempool, commits it and tells the listeners (on the node's thread). */
    synchronized CommittedBlock commit() {
        long height = blocks.size() + 1;
        List<byte[]> txs = List.copyOf(mempool);
        mempool.clear();
        List<byte[]> leaves = new ArrayList<>();
        for (byte[] tx : txs) {
            leaves.add(TxInclusion.txHash(Bytes.of(tx)).toArray());
        }
        Bytes dataHash = Bytes.of(MerkleTree.root(leaves));
        BlockId last = height == 1 ? BlockId.EMPTY : blocks.get((int) height - 2).commit().blockId();
        Bytes valsHash = Hashes.validatorSet(set);
        Header header = new Header(new ConsensusVersion(11, 1), chainId, height, genesis.plusSeconds(height), last, gen.hash(), dataHash,
                valsHash, valsHash, gen.hash(), gen.hash(), lastResultsHash, gen.hash(), validators.get(0).address());
        BlockId blockId = new BlockId(Hashes.header(header), new PartSetHeader(1, gen.hash()));
        blocks.add(new LightBlock(new SignedHeader(header, gen.commit(chainId, header, blockId, validators, set, v -> true)), set));
        List<IncludedTx> out = new ArrayList<>();
        // Every transaction is accepted; the next header commits to these results.
        List<TxResult> results = txs.stream().map(t -> TxResult.ok()).toList();
        List<ResultProof> resultProofs = BlockHashes.resultProofs(results);
        lastResultsHash = BlockHashes.resultsHash(results);
        for (int i = 0; i < txs.size(); i++) {
            byte[] tx = txs.get(i);
            List<Bytes> aunts = MerkleTree.aunts(leaves, i).stream().map(Bytes::of).toList();
            TxProof proof = new TxProof(dataHash, Bytes.of(tx), txs.size(), i, Bytes.of(MerkleTree.leafHash(leaves.get(i))), aunts);
            IncludedTx in = new IncludedTx(height, i, tx, leaves.get(i), results.get(i), proof, resultProofs.get(i));
            included.put(Bytes.of(leaves.get(i)), in);
            out.add(in);
        }
        CommittedBlock block = new CommittedBlock(height, header.time(), out);
        for (Consumer<CommittedBlock> l : listeners) {
            events.execute(() -> l.accept(block));
        }
        return block;
    }

    @Override
    public synchronized long latestHeight() throws LedgerException {
        reach();
        return blocks.size();
    }

    @Override
    public synchronized Optional<LightBlock> lightBlock(long height) {
        if (height < 1 || height > blocks.size()) {
            return Optional.empty();
        }
        LightBlock b = blocks.get((int) height - 1);
        return Optional.of(height < blocks.size() ? b.withNextValidators(set) : b);
    }

    @Override
    public synchronized Optional<IncludedTx> findTx(byte[] txHash) {
        return Optional.ofNullable(included.get(Bytes.of(txHash)));
    }

    @Override
    public AutoCloseable onCommit(Consumer<CommittedBlock> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public void close() {
        events.shutdownNow();
    }
}
