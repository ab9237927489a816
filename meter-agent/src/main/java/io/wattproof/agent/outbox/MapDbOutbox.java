package io.wattproof.agent.outbox;

import io.wattproof.agent.record.ChainState;
import io.wattproof.agent.record.SignedRecord;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mapdb.Atomic;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.HTreeMap;
import org.mapdb.Serializer;

/**
 * The outbox in a MapDB file with its write-ahead log on. Every {@link #append} is exactly one
 * commit: record, next sequence, chain head and last interval end change together or not at all.
 *
 * <p>Why one commit per interval and not more: MapDB writes ~100 KB per commit (its WAL file is
 * created, fsynced and deleted) whatever the payload, and SD cards wear out. Acknowledgements are
 * therefore not committed on their own; they ride on the next record's commit or on close.
 *
 * <p>Records and acknowledgements live in MapDB hash maps keyed by sequence, not B-trees.
 * Sequences are dense, so ordered reads are a loop over a range; and under repeated SIGKILL
 * (MapDbOutboxCrashIT) MapDB 3.1.0 sometimes replayed its write-ahead log into a B-tree it could
 * no longer read (3 of 15 runs), while the hash maps came back every time (0 of 30 runs).
 *
 * <p>The file starts with a format marker; opening a file of another format fails instead of
 * misreading it. MapDB locks the file, so a second agent on the same folder is refused.
 */
public final class MapDbOutbox implements Outbox {
    public static final String FILE_NAME = "outbox.db";
    static final String FORMAT = "wattproof-outbox/2";
    private static final byte RECORD_ENCODING = 1;

    private final Path file;
    private final DB db;
    private final Map<String, String> meta;
    private final HTreeMap<Long, byte[]> records;
    private final Set<Long> acknowledged;
    private final Atomic.Long nextSequence;
    private final Atomic.Var<byte[]> headHash;
    private final Atomic.Long lastIntervalEnd;
    private ChainState chain;
    /** Every record below this sequence is acknowledged; scans start here, not at record 1. */
    private long lowWater = 1;
    /**
     * Records stored and not acknowledged. Kept here because MapDB's hash maps count by scanning,
     * and the agent asks after every tick and acknowledgement.
     */
    private int depth;
    private boolean closed;

    private MapDbOutbox(Path file, DB db) throws OutboxException {
        this.file = file;
        this.db = db;
        this.meta = db.hashMap("meta", Serializer.STRING, Serializer.STRING).createOrOpen();
        String format = meta.get("format");
        if (format == null) {
            if (db.getAll().size() > 1) {
                throw new OutboxException("outbox " + file + ": expected format " + FORMAT + ", found a file without a format marker");
            }
            meta.put("format", FORMAT);
        } else if (!format.equals(FORMAT)) {
            throw new OutboxException("outbox " + file + ": expected format " + FORMAT + ", found " + format);
        }
        this.records = db.hashMap("records", Serializer.LONG, Serializer.BYTE_ARRAY).createOrOpen();
        this.acknowledged = db.hashSet("acknowledged", Serializer.LONG).createOrOpen();
        this.nextSequence = db.atomicLong("nextSequence", 1L).createOrOpen();
        this.headHash = db.atomicVar("headHash", Serializer.BYTE_ARRAY, new byte[0]).createOrOpen();
        this.lastIntervalEnd = db.atomicLong("lastIntervalEnd", Long.MIN_VALUE).createOrOpen();
        db.commit();
        long end = lastIntervalEnd.get();
        this.chain = new ChainState(nextSequence.get(), headHash.get(), end == Long.MIN_VALUE ? null : Instant.ofEpochSecond(end));
        advanceLowWater();
        for (long seq = lowWater; seq < chain.nextSequence(); seq++) {
            if (records.containsKey(seq) && !acknowledged.contains(seq)) {
                depth++;
            }
        }
    }

    private void advanceLowWater() {
        while (lowWater < chain.nextSequence() && (acknowledged.contains(lowWater) || !records.containsKey(lowWater))) {
            lowWater++;
        }
    }

    /** Opens (or creates) {@code dataDir/outbox.db}. */
    public static MapDbOutbox open(Path dataDir) throws OutboxException {
        Path file = dataDir.resolve(FILE_NAME);
        DB db;
        try {
            Files.createDirectories(dataDir);
            db = DBMaker.fileDB(file.toFile()).transactionEnable().closeOnJvmShutdown().make();
        } catch (Exception e) {
            // MapDB reports a held lock and a damaged file as runtime exceptions of its own.
            throw new OutboxException("cannot open outbox " + file + ": " + describe(e), e);
        }
        try {
            return new MapDbOutbox(file, db);
        } catch (OutboxException | RuntimeException e) {
            db.close();
            if (e instanceof OutboxException oe) throw oe;
            throw new OutboxException("cannot read outbox " + file + ": " + describe(e), e);
        }
    }

    private static String describe(Exception e) {
        String name = e.getClass().getSimpleName();
        if (name.contains("FileLocked")) {
            return "the file is locked by another process (is another agent running on this data folder?)";
        }
        return e.getMessage() == null ? name : e.getMessage();
    }

    @Override
    public ChainState chainState() {
        return chain;
    }

    @Override
    public void append(SignedRecord record) throws OutboxException {
        ensureOpen();
        ChainState next = chain.advance(record);
        try {
            records.put(record.sequence(), encode(record));
            nextSequence.set(next.nextSequence());
            headHash.set(next.headHash());
            lastIntervalEnd.set(record.intervalEnd().getEpochSecond());
            db.commit();
        } catch (RuntimeException e) {
            rollbackQuietly();
            throw new OutboxException("cannot store record " + record.sequence() + " in " + file + ": " + describe(e), e);
        }
        chain = next;
        depth++;
    }

    @Override
    public List<SignedRecord> unacknowledged() {
        ensureOpenUnchecked();
        List<SignedRecord> out = new ArrayList<>();
        // Acknowledged records stay until their inclusion is proven; skip the settled prefix.
        for (long seq = lowWater; seq < chain.nextSequence(); seq++) {
            byte[] value = records.get(seq);
            if (value != null && !acknowledged.contains(seq)) {
                out.add(decode(seq, value));
            }
        }
        return out;
    }

    @Override
    public void markAcknowledged(long sequence) throws OutboxException {
        ensureOpen();
        if (records.containsKey(sequence) && acknowledged.add(sequence)) {
            depth--;
            advanceLowWater();
        }
    }

    @Override
    public int depth() {
        ensureOpenUnchecked();
        return depth;
    }

    @Override
    public void close() throws OutboxException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            db.commit();
        } catch (RuntimeException e) {
            throw new OutboxException("cannot commit outbox " + file + " on close: " + describe(e), e);
        } finally {
            db.close();
        }
    }

    private void rollbackQuietly() {
        try {
            db.rollback();
        } catch (RuntimeException ignored) {
            // The original failure is the one worth reporting.
        }
    }

    private void ensureOpen() throws OutboxException {
        if (closed) {
            throw new OutboxException("outbox " + file + " is closed");
        }
    }

    private void ensureOpenUnchecked() {
        if (closed) {
            throw new IllegalStateException("outbox " + file + " is closed");
        }
    }

    /** Stored value: encoding version (1 byte), interval end (8), record hash (32), SignedTx. */
    private static byte[] encode(SignedRecord r) {
        byte[] tx = r.signedTx();
        return ByteBuffer.allocate(1 + 8 + 32 + tx.length)
                .put(RECORD_ENCODING)
                .putLong(r.intervalEnd().getEpochSecond())
                .put(r.recordHash())
                .put(tx)
                .array();
    }

    private SignedRecord decode(long sequence, byte[] value) {
        ByteBuffer b = ByteBuffer.wrap(value);
        byte encoding = b.get();
        if (encoding != RECORD_ENCODING) {
            throw new IllegalStateException("outbox " + file + ": record " + sequence + " has encoding " + encoding
                    + ", expected " + RECORD_ENCODING);
        }
        Instant end = Instant.ofEpochSecond(b.getLong());
        byte[] hash = new byte[32];
        b.get(hash);
        byte[] tx = new byte[b.remaining()];
        b.get(tx);
        return new SignedRecord(sequence, tx, hash, end);
    }
}
