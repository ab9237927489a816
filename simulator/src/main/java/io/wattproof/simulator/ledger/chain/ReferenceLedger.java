package io.wattproof.simulator.ledger.chain;

import io.wattproof.lightclient.encoding.Hashes;
import io.wattproof.lightclient.encoding.SignBytes;
import io.wattproof.lightclient.tx.ResultProof;
import io.wattproof.lightclient.tx.TxProof;
import io.wattproof.lightclient.types.BlockId;
import io.wattproof.lightclient.types.BlockIdFlag;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.Commit;
import io.wattproof.lightclient.types.CommitSig;
import io.wattproof.lightclient.types.ConsensusVersion;
import io.wattproof.lightclient.types.GenesisDoc;
import io.wattproof.lightclient.types.Header;
import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.lightclient.types.SignedHeader;
import io.wattproof.lightclient.types.Validator;
import io.wattproof.lightclient.types.ValidatorSet;
import io.wattproof.protocol.v1.TxResultCode;
import io.wattproof.simulator.ledger.Application;
import io.wattproof.simulator.ledger.BlockResult;
import io.wattproof.simulator.ledger.CommittedBlock;
import io.wattproof.simulator.ledger.IncludedTx;
import io.wattproof.simulator.ledger.LedgerException;
import io.wattproof.simulator.ledger.LedgerNode;
import io.wattproof.simulator.ledger.TxResult;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A CometBFT-format chain in one process: {@code N} Ed25519 validators that all sign every block,
 * an {@link Application} run on each block, a FIFO mempool fed by {@link #submit}, and the answers a
 * gateway needs ({@link LedgerNode}). Blocks come every {@code blockInterval} on the producer thread
 * after {@link #start()}, or one at a time from {@link #produceBlock()}, which tests call instead of
 * sleeping.
 *
 * <p>Block h is made as CometBFT makes it (spec core/data_structures.md, "Header"; types/block.go
 * {@code MakeBlock}, {@code fillHeader}): {@code last_block_id} and {@code last_commit_hash} from
 * block h-1; {@code data_hash} over its transactions; {@code validators_hash} and
 * {@code next_validators_hash} from the {@link ValidatorSchedule}; {@code app_hash} and
 * {@code last_results_hash} from executing block h-1 (state/execution.go: a block's results enter
 * the <em>next</em> header); the genesis app hash and empty results at the initial height. The
 * block is then committed: every validator signs a precommit for it in round 0; then the
 * application executes it (ABCI {@code FinalizeBlock} + {@code Commit}, after the block is decided,
 * as in CometBFT 0.38); then it is stored, its transactions indexed with their proofs, and the
 * {@link #onCommit} listeners called.
 *
 * <p>Threads: {@link #submit}, {@link #lightBlock}, {@link #findTx}, {@link #latestHeight} may be
 * called from any thread while blocks are produced. Blocks are produced one at a time (a lock held
 * from mempool snapshot to the last listener, so listeners see heights in order). The application
 * is called under its own lock, never concurrently: {@code checkTx} from submitting threads and
 * {@code finalizeBlock} from the producing thread take turns.
 *
 * <p>If the application throws or answers with the wrong number of results, the ledger halts (as a
 * CometBFT node stops on an ABCI error): the block is not stored and no further block is made.
 *
 * <p>Memory: every block is kept, with its transactions, results and proofs, so that any height
 * can be served. That is about 1.7 KB of heap per empty block with 4 validators (measured over
 * 20,000 blocks; ≈ 150 MB a day at one block a second) plus each transaction's bytes and
 * ~32 · log2(block size) bytes of proof: fine for a simulated run of minutes to hours, not for a
 * long-lived node.
 */
public final class ReferenceLedger implements LedgerNode {
    /** Block protocol 11 (CometBFT 0.34–0.38); application version 0. */
    public static final ConsensusVersion VERSION = new ConsensusVersion(11, 0);
    /**
     * Spec core/data_structures.md, "Time": a header's time must pass the previous one; a vote's
     * timestamp must be at least 1 ms after the block it votes for.
     */
    static final Duration MIN_STEP = Duration.ofMillis(1);
    /** CometBFT {@code mempool.max_tx_bytes} default: larger transactions are refused before CheckTx. */
    public static final int MAX_TX_BYTES = 1_048_576;

    private static final Logger log = LoggerFactory.getLogger(ReferenceLedger.class);
    private static final Bytes CONSENSUS_HASH =
            BlockHashes.consensusHash(BlockHashes.DEFAULT_BLOCK_MAX_BYTES, BlockHashes.DEFAULT_BLOCK_MAX_GAS);
    /** The initial height's {@code LastCommit}: an empty commit (types/block.go), hashed to the empty-tree root. */
    private static final Commit NO_COMMIT = new Commit(0, 0, BlockId.EMPTY, List.of());

    private final ReferenceLedgerConfig config;
    private final Application application;
    private final ValidatorSchedule schedule;
    private final Instant genesisTime;
    private final Bytes genesisAppHash;
    private final GenesisDoc genesis;
    /** Where committed blocks are logged so the chain survives a restart; null for none. */
    private final BlockLog blockLog;

    /** One block at a time, from mempool snapshot to the last listener. */
    private final ReentrantLock production = new ReentrantLock();
    /**
     * CometBFT's mempool update lock: CheckTx of a new transaction holds it shared; a block's
     * commit and the recheck after it hold it exclusively, so no CheckTx runs against the state
     * between the two (after the commit forgot the pending transactions' effects, before the
     * recheck restored them: an operator's next nonce would be refused there).
     */
    private final ReentrantReadWriteLock mempoolUpdate = new ReentrantReadWriteLock();
    /** The application is not thread-safe: every call to it holds this lock. */
    private final Object appLock = new Object();
    /** Guards blocks, txIndex and mempool. */
    private final Object stateLock = new Object();

    private final List<StoredBlock> blocks = new ArrayList<>();
    private final Map<Bytes, IncludedTx> txIndex = new HashMap<>();
    /** Insertion order is the order transactions enter blocks (FIFO). */
    private final LinkedHashMap<Bytes, byte[]> mempool = new LinkedHashMap<>();

    /** Guarded by {@link #production}: what the next header carries from the last executed block. */
    private Bytes appHash;
    private Bytes lastResultsHash;

    private final CopyOnWriteArrayList<Registration> listeners = new CopyOnWriteArrayList<>();
    private volatile String haltReason;
    private volatile boolean closed;
    private ScheduledExecutorService producer;
    private volatile Thread producerThread;

    private record StoredBlock(SignedHeader signedHeader, CommittedBlock committed) {
        long height() {
            return signedHeader.header().height();
        }
    }

    /** Compared by identity, so that closing one registration of a listener removes only that one. */
    private static final class Registration {
        private final Consumer<CommittedBlock> listener;

        Registration(Consumer<CommittedBlock> listener) {
            this.listener = listener;
        }

        Consumer<CommittedBlock> listener() {
            return listener;
        }
    }

    /**
     * A ledger at genesis: the validators of height 1 from the schedule, genesis time now by the
     * config's clock, genesis app hash = {@code application.appHash()} (ABCI {@code InitChain}'s
     * app hash). No block exists until {@link #produceBlock()} or {@link #start()}.
     */
    public ReferenceLedger(ReferenceLedgerConfig config, Application application) {
        this(config, application, null, null);
    }

    private ReferenceLedger(ReferenceLedgerConfig config, Application application, BlockLog blockLog, Instant loggedGenesisTime) {
        this.config = Objects.requireNonNull(config, "config");
        this.blockLog = blockLog;
        this.application = Objects.requireNonNull(application, "application");
        long seed = config.seed().isPresent() ? config.seed().getAsLong() : 0;
        SecureRandom random = config.seed().isPresent() ? null : new SecureRandom();
        this.schedule = new ValidatorSchedule(config.validators(), config.valsetChangeEvery(),
                index -> random == null ? ValidatorKey.derived(seed, index) : ValidatorKey.random(random));
        this.genesisTime = loggedGenesisTime != null ? loggedGenesisTime : config.clock().instant();
        synchronized (appLock) {
            this.genesisAppHash = Bytes.of(application.appHash());
        }
        this.genesis = new GenesisDoc(config.chainId(), 1, schedule.validatorsAt(1));
        this.appHash = genesisAppHash;
        this.lastResultsHash = BlockHashes.resultsHash(List.of());
    }

    /**
     * A ledger that keeps its blocks in {@code blockLog} and, when the log already holds a chain,
     * continues it: the logged blocks are made again, byte for byte (see {@link BlockLog}), and
     * executed by {@code application}, which must be at its genesis state. The log's parameters
     * win: chain id, validators, validator-set changes and seed must be the config's, else the
     * replayed chain would not be the logged one.
     *
     * @throws IllegalArgumentException when the config has no seed or differs from the log
     * @throws IOException when the log cannot be written
     */
    public static ReferenceLedger open(ReferenceLedgerConfig config, Application application, BlockLog blockLog) throws IOException {
        if (config.seed().isEmpty()) {
            throw new IllegalArgumentException("seed: a ledger with a block log derives its validator keys from a seed; got none");
        }
        Optional<BlockLog.Genesis> logged = blockLog.genesis();
        if (logged.isPresent()) {
            BlockLog.Genesis g = logged.get();
            BlockLog.Genesis wanted = new BlockLog.Genesis(config.chainId(), config.validators(), config.valsetChangeEvery(),
                    config.seed().getAsLong(), g.time());
            if (!g.equals(wanted)) {
                throw new IllegalArgumentException("block log " + blockLog.file() + " holds chain " + g.chainId() + " with "
                        + g.validators() + " validators, validator-set changes every " + g.valsetChangeEvery() + " and seed "
                        + g.seed() + "; expected the same parameters, got chain " + config.chainId() + ", " + config.validators()
                        + " validators, changes every " + config.valsetChangeEvery() + " and seed " + config.seed().getAsLong()
                        + " (a ledger continues with the parameters it started with; use a new folder for others)");
            }
        }
        ReferenceLedger ledger = new ReferenceLedger(config, application, blockLog, logged.map(BlockLog.Genesis::time).orElse(null));
        if (logged.isEmpty()) {
            blockLog.writeGenesis(new BlockLog.Genesis(config.chainId(), config.validators(), config.valsetChangeEvery(),
                    config.seed().getAsLong(), ledger.genesisTime));
        }
        List<BlockLog.LoggedBlock> replay = blockLog.blocks();
        ledger.production.lock();
        try {
            for (BlockLog.LoggedBlock b : replay) {
                ledger.commitBlock(b.time(), b.txs(), true);
            }
        } finally {
            ledger.production.unlock();
        }
        if (!replay.isEmpty()) {
            log.info("reference ledger replayed chainId={} blocks={} from {}", config.chainId(), replay.size(), blockLog.file());
        }
        return ledger;
    }

    /** Starts producing a block every {@code blockInterval} on a thread of the ledger's own. */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("ledger " + config.chainId() + " is closed");
        }
        if (producer != null) {
            throw new IllegalStateException("ledger " + config.chainId() + " is already started");
        }
        producer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "reference-ledger-" + config.chainId());
            t.setDaemon(true);
            producerThread = t;
            return t;
        });
        long interval = config.blockInterval().toNanos();
        producer.scheduleAtFixedRate(this::produceOnSchedule, interval, interval, TimeUnit.NANOSECONDS);
        log.info("reference ledger started chainId={} validators={} blockInterval={} valsetChangeEvery={}",
                config.chainId(), config.validators(), config.blockInterval(), config.valsetChangeEvery());
    }

    private void produceOnSchedule() {
        try {
            produceBlock();
        } catch (RuntimeException e) {
            if (!closed) {
                log.error("reference ledger stopped producing blocks chainId={} height={}: {}",
                        config.chainId(), latestHeightNow(), e.getMessage(), e);
            }
            // Thrown out of a scheduled task, it cancels the later runs: a halted chain stays halted.
            throw e;
        }
    }

    /**
     * Makes, commits and stores the next block with up to {@code maxTxsPerBlock} transactions from
     * the mempool (none is fine: CometBFT's default {@code create_empty_blocks = true}), then calls
     * the listeners on this thread.
     *
     * @throws IllegalStateException when the ledger is closed or halted, or the application fails
     *     (which halts it)
     */
    public CommittedBlock produceBlock() {
        production.lock();
        try {
            if (closed) {
                throw new IllegalStateException("ledger " + config.chainId() + " is closed");
            }
            if (haltReason != null) {
                throw new IllegalStateException("ledger " + config.chainId() + " is halted: " + haltReason);
            }
            StoredBlock previous;
            List<byte[]> txs = new ArrayList<>();
            synchronized (stateLock) {
                previous = blocks.isEmpty() ? null : blocks.get(blocks.size() - 1);
                Iterator<byte[]> it = mempool.values().iterator();
                while (it.hasNext() && txs.size() < config.maxTxsPerBlock()) {
                    txs.add(it.next());
                }
            }
            Instant time = previous == null ? genesisTime : blockTime(previous.signedHeader().header().time());
            CommittedBlock committed;
            mempoolUpdate.writeLock().lock();
            try {
                committed = commitBlock(time, txs, false);
                recheckMempool();
            } finally {
                mempoolUpdate.writeLock().unlock();
            }
            notifyListeners(committed);
            return committed;
        } finally {
            production.unlock();
        }
    }

    /**
     * Makes the next block of {@code txs} at {@code time}, has the application execute it, logs it
     * (unless it is replayed from the log) and stores it. The caller holds {@link #production}.
     */
    private CommittedBlock commitBlock(Instant time, List<byte[]> txs, boolean replaying) {
        StoredBlock previous;
        synchronized (stateLock) {
            previous = blocks.isEmpty() ? null : blocks.get(blocks.size() - 1);
        }
        long height = previous == null ? 1 : previous.height() + 1;
        Commit lastCommit = previous == null ? NO_COMMIT : previous.signedHeader().commit();
        ValidatorSet validators = schedule.validatorsAt(height);
        Header header = new Header(VERSION, config.chainId(), height, time,
                previous == null ? BlockId.EMPTY : lastCommit.blockId(),
                BlockHashes.commitHash(lastCommit),
                BlockHashes.dataHash(txs),
                Hashes.validatorSet(validators),
                Hashes.validatorSet(schedule.validatorsAt(height + 1)),
                CONSENSUS_HASH,
                appHash,
                lastResultsHash,
                BlockHashes.noEvidenceHash(),
                validators.proposer().orElseThrow().address());
        BlockId blockId = new BlockId(Hashes.header(header),
                BlockHashes.partSetHeader(BlockHashes.block(header, txs, lastCommit)));
        Commit commit = commit(header, blockId, validators);

        List<TxResult> results = execute(height, time, txs);

        List<TxProof> proofs = BlockHashes.txProofs(txs);
        List<ResultProof> resultProofs = BlockHashes.resultProofs(results);
        List<IncludedTx> included = new ArrayList<>(txs.size());
        for (int i = 0; i < txs.size(); i++) {
            byte[] tx = txs.get(i);
            included.add(new IncludedTx(height, i, tx, BlockHashes.txHash(tx), results.get(i), proofs.get(i),
                    resultProofs.get(i)));
        }
        CommittedBlock committed = new CommittedBlock(height, time, included);
        if (blockLog != null && !replaying) {
            // Before anyone hears of the block: a block a device may have verified is never forgotten.
            try {
                blockLog.writeBlock(height, time, txs);
            } catch (IOException e) {
                throw halt("block " + height + " could not be written to " + blockLog.file() + ": " + e.getMessage(), e);
            }
        }
        synchronized (stateLock) {
            blocks.add(new StoredBlock(new SignedHeader(header, commit), committed));
            for (IncludedTx t : included) {
                Bytes hash = Bytes.of(t.hash());
                txIndex.put(hash, t);
                mempool.remove(hash);
            }
        }
        log.debug("committed block chainId={} height={} txs={} appHash={}", config.chainId(), height, txs.size(), appHash);
        return committed;
    }

    /** Time from the clock, but always at least {@link #MIN_STEP} after the previous block. */
    private Instant blockTime(Instant previous) {
        Instant now = config.clock().instant();
        Instant earliest = previous.plus(MIN_STEP);
        return now.isAfter(earliest) ? now : earliest;
    }

    /**
     * Every validator precommits for the block in round 0 (types/vote.go; the signature over
     * {@link SignBytes#precommit}), slot i in the set's CometBFT order with timestamp
     * block time + (i + 1) ms, so each vote is at least 1 ms after the block.
     */
    private Commit commit(Header header, BlockId blockId, ValidatorSet validators) {
        List<CommitSig> sigs = new ArrayList<>(validators.size());
        for (int i = 0; i < validators.size(); i++) {
            Validator v = validators.validators().get(i);
            ValidatorKey key = schedule.key(v.address()).orElseThrow();
            Instant timestamp = header.time().plus(MIN_STEP.multipliedBy(i + 1));
            byte[] signBytes = SignBytes.precommit(config.chainId(), header.height(), 0, blockId, timestamp);
            sigs.add(new CommitSig(BlockIdFlag.COMMIT, v.address(), timestamp, key.sign(signBytes)));
        }
        return new Commit(header.height(), 0, blockId, sigs);
    }

    private List<TxResult> execute(long height, Instant time, List<byte[]> txs) {
        List<byte[]> copies = new ArrayList<>(txs.size());
        for (byte[] tx : txs) {
            copies.add(tx.clone());
        }
        BlockResult result;
        try {
            synchronized (appLock) {
                result = application.finalizeBlock(height, time, copies);
            }
        } catch (RuntimeException e) {
            throw halt("the application failed to execute block " + height + ": " + e, e);
        }
        if (result == null || result.txResults().size() != txs.size()) {
            throw halt("the application answered block " + height + " with "
                    + (result == null ? "nothing" : result.txResults().size() + " results") + " for " + txs.size()
                    + " transactions", null);
        }
        appHash = Bytes.of(result.appHash());
        lastResultsHash = BlockHashes.resultsHash(result.txResults());
        return result.txResults();
    }

    private IllegalStateException halt(String reason, Throwable cause) {
        haltReason = reason;
        return new IllegalStateException("ledger " + config.chainId() + " halted: " + reason, cause);
    }

    /**
     * CometBFT mempool {@code recheck = true} (the default): after a block, what is left in the
     * mempool is checked again against the new state, and what no longer passes is dropped.
     */
    private void recheckMempool() {
        List<Map.Entry<Bytes, byte[]>> waiting;
        synchronized (stateLock) {
            if (mempool.isEmpty()) {
                return;
            }
            waiting = mempool.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue())).toList();
        }
        List<Bytes> dropped = new ArrayList<>();
        for (Map.Entry<Bytes, byte[]> e : waiting) {
            boolean passes;
            try {
                synchronized (appLock) {
                    passes = application.checkTx(e.getValue().clone()).isOk();
                }
            } catch (RuntimeException failure) {
                log.warn("recheck: the application's CheckTx failed tx={}; dropped from the mempool", e.getKey(), failure);
                passes = false;
            }
            if (!passes) {
                dropped.add(e.getKey());
            }
        }
        if (!dropped.isEmpty()) {
            synchronized (stateLock) {
                dropped.forEach(mempool::remove);
            }
            log.debug("recheck dropped txs={} from the mempool", dropped.size());
        }
    }

    private void notifyListeners(CommittedBlock block) {
        for (Registration r : listeners) {
            try {
                r.listener().accept(block);
            } catch (RuntimeException e) {
                log.warn("commit listener failed height={}; the chain goes on", block.height(), e);
            }
        }
    }

    /**
     * {@code broadcast_tx_sync}: a transaction already in a block is answered
     * {@code RESULT_ALREADY_INCLUDED} with its height (it is not checked again); one already in the
     * mempool is answered 0 again; any other goes through the application's {@code CheckTx} and,
     * when that answers 0, joins the mempool.
     *
     * @throws LedgerException when the ledger is closed, the transaction is larger than
     *     {@link #MAX_TX_BYTES} or the mempool is full (as {@code broadcast_tx_sync} answers with an
     *     error rather than a CheckTx code), or the application's CheckTx throws
     */
    @Override
    public TxResult submit(byte[] tx) throws LedgerException {
        Objects.requireNonNull(tx, "tx");
        if (closed) {
            throw new LedgerException("ledger " + config.chainId() + " is closed");
        }
        if (tx.length > MAX_TX_BYTES) {
            throw new LedgerException("tx too large: expected at most " + MAX_TX_BYTES + " bytes, got " + tx.length);
        }
        byte[] copy = tx.clone();
        Bytes hash = Bytes.of(BlockHashes.txHash(copy));
        synchronized (stateLock) {
            Optional<TxResult> known = knownAnswer(hash);
            if (known.isPresent()) {
                return known.get();
            }
        }
        mempoolUpdate.readLock().lock();
        try {
            TxResult checked;
            try {
                synchronized (appLock) {
                    checked = application.checkTx(copy.clone());
                }
            } catch (RuntimeException e) {
                // CheckTx must answer every input; one that throws is an application bug, not the sender's.
                throw new LedgerException("the application's CheckTx failed for tx " + hash.hex() + ": " + e, e);
            }
            if (!checked.isOk()) {
                return checked;
            }
            synchronized (stateLock) {
                // Another thread may have submitted the same bytes meanwhile, and a block taken them.
                Optional<TxResult> known = knownAnswer(hash);
                if (known.isPresent()) {
                    return known.get();
                }
                if (mempool.size() >= config.mempoolCapacity()) {
                    throw new LedgerException("mempool is full: " + mempool.size() + " of " + config.mempoolCapacity()
                            + " transactions waiting");
                }
                mempool.put(hash, copy);
            }
            return checked;
        } finally {
            mempoolUpdate.readLock().unlock();
        }
    }

    /** Under {@link #stateLock}. */
    private Optional<TxResult> knownAnswer(Bytes hash) {
        IncludedTx included = txIndex.get(hash);
        if (included != null) {
            return Optional.of(TxResult.refused(TxResultCode.RESULT_ALREADY_INCLUDED_VALUE,
                    "tx " + hash.hex() + " is already included at height " + included.height() + ", index " + included.index()));
        }
        return mempool.containsKey(hash) ? Optional.of(TxResult.ok()) : Optional.empty();
    }

    @Override
    public String chainId() {
        return config.chainId();
    }

    @Override
    public long latestHeight() {
        return latestHeightNow();
    }

    private long latestHeightNow() {
        synchronized (stateLock) {
            return blocks.size();
        }
    }

    /** The light block at {@code height} with the set of {@code height + 1} attached; empty outside 1..latest. */
    @Override
    public Optional<LightBlock> lightBlock(long height) {
        SignedHeader signed;
        synchronized (stateLock) {
            if (height < 1 || height > blocks.size()) {
                return Optional.empty();
            }
            signed = blocks.get((int) (height - 1)).signedHeader();
        }
        return Optional.of(new LightBlock(signed, schedule.validatorsAt(height), Optional.of(schedule.validatorsAt(height + 1))));
    }

    /** The committed block at {@code height}: time, transactions, results and proofs; empty outside 1..latest. */
    public Optional<CommittedBlock> committedBlock(long height) {
        synchronized (stateLock) {
            if (height < 1 || height > blocks.size()) {
                return Optional.empty();
            }
            return Optional.of(blocks.get((int) (height - 1)).committed());
        }
    }

    /** {@code /tx?hash=..&prove=true}; empty for an unknown hash and for anything that is not 32 bytes. */
    @Override
    public Optional<IncludedTx> findTx(byte[] txHash) {
        if (txHash == null || txHash.length != 32) {
            return Optional.empty();
        }
        synchronized (stateLock) {
            return Optional.ofNullable(txIndex.get(Bytes.of(txHash)));
        }
    }

    /** Transactions waiting for a block. */
    public int mempoolSize() {
        synchronized (stateLock) {
            return mempool.size();
        }
    }

    /**
     * Calls {@code listener} for every block committed from now on, in height order, on the thread
     * that produced the block. A listener that throws is logged and skipped; the chain goes on.
     */
    @Override
    public AutoCloseable onCommit(Consumer<CommittedBlock> listener) {
        Registration r = new Registration(Objects.requireNonNull(listener, "listener"));
        listeners.add(r);
        return () -> listeners.remove(r);
    }

    /** Chain id, initial height 1 and the validators of height 1. */
    public GenesisDoc genesis() {
        return genesis;
    }

    /** The genesis time: the time of block 1 (spec: the first block's time is the genesis time). */
    public Instant genesisTime() {
        return genesisTime;
    }

    /** The application's hash before the first block: {@code app_hash} of header 1. */
    public Bytes genesisAppHash() {
        return genesisAppHash;
    }

    public ValidatorSchedule schedule() {
        return schedule;
    }

    public ReferenceLedgerConfig config() {
        return config;
    }

    /** Stops the producer thread (waiting for a block in progress unless called from it); idempotent. */
    @Override
    public void close() {
        ScheduledExecutorService p;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            p = producer;
        }
        if (p == null) {
            return;
        }
        p.shutdown();
        if (Thread.currentThread() == producerThread) {
            return;
        }
        try {
            if (!p.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("reference ledger producer did not stop within 10 s chainId={}", config.chainId());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("reference ledger stopped chainId={} height={}", config.chainId(), latestHeightNow());
    }
}
