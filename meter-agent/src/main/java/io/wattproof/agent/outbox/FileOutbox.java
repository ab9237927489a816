package io.wattproof.agent.outbox;

import io.wattproof.agent.outbox.OutboxLogFormat.AckRange;
import io.wattproof.agent.outbox.OutboxLogFormat.Checkpoint;
import io.wattproof.agent.outbox.OutboxLogFormat.Payload;
import io.wattproof.agent.record.ChainState;
import io.wattproof.agent.record.SignedRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox as an append-only log, {@code outbox.log} (layout in {@link OutboxLogFormat}). Every
 * {@link #append} is one frame, written with one {@code write} and made durable with one
 * {@code fdatasync} before it returns; the chain state is not stored with each record but follows
 * from the records (and from the checkpoint a compaction starts the file with), so the record and
 * the sequence it uses become durable together by construction. {@link #markFinal} is one FINAL
 * frame, written and synced the same way.
 *
 * <p>{@link #prune} compacts: it writes {@code outbox.log.new} (header, a CHECKPOINT with the chain
 * state, every record that is not final, their acknowledgements), syncs it, locks it, renames it
 * over {@code outbox.log} (rename(2) replaces the name atomically) and syncs the folder. Until the
 * rename the old file is the outbox and the new one a leftover that opening deletes; after it the
 * new one is. Both hold the same chain state and the same records that are not final, so a crash
 * at any instant opens as before or as after the prune.
 *
 * <p>Opening reads the whole log and checks every frame. After a power cut the last frame may be
 * incomplete: it was never reported stored, so nothing in it was sent, and it is cut off (logged).
 * Damage anywhere else (a checksum that fails with intact frames after it, sequences out of order)
 * is not something a crash produces: the file is left exactly as it is and opening fails, naming
 * the offset, because guessing could lose or reuse a sequence.
 *
 * <p>Why not MapDB, which the rest of the design uses: under repeated SIGKILL
 * ({@code FileOutboxCrashIT}, then run against it) MapDB 3.1.0 sometimes replayed its write-ahead
 * log into a structure it could no longer read, B-trees and hash maps alike; and it writes ~100 KB
 * per commit whatever the payload, where this log writes one page. docs/architecture.md has the
 * numbers.
 *
 * <p>The file is locked while open, so a second agent on the same folder is refused.
 */
public final class FileOutbox implements Outbox {
    public static final String FILE_NAME = "outbox.log";
    /** Written by development versions before the log existed; never read, never touched. */
    static final String MAPDB_FILE_NAME = "outbox.db";
    /** The compacted file while it is being written, and the new file while it is being created. */
    static final String NEW_FILE_NAME = FILE_NAME + ".new";

    private static final Logger log = LoggerFactory.getLogger(FileOutbox.class);

    /** Renames a file over another, atomically or not at all; tests put a failing one in. */
    @FunctionalInterface
    interface FileMover {
        void move(Path source, Path target) throws IOException;
    }

    private static final FileMover ATOMIC_RENAME = (source, target) -> {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the data folder's file system cannot rename atomically", e);
        }
    };

    private final Path file;
    private final UnaryOperator<FileChannel> wrap;
    private final FileMover mover;
    private FileChannel channel;
    private FileLock lock;
    /** The format version of the file as it is; a compaction writes {@link OutboxLogFormat#VERSION}. */
    private int version;
    /** Offset of the end of the last intact frame: where the next frame goes. */
    private long end;
    private ChainState chain = ChainState.GENESIS;
    /*
     * The records held in the file, by slot: slot i holds sequence seqs[i], whose frame starts at
     * offsets[i]. Sequences increase with the slot but have gaps where final records were pruned,
     * so memory follows the records held, not the device's whole history (15 years of 15-minute
     * records would be 525,600 sequences). The bit sets are indexed by slot as well.
     */
    private long[] seqs = new long[256];
    private long[] offsets = new long[256];
    private int slots;
    /** Acknowledged (durably or not yet); final implies acknowledged. */
    private BitSet acknowledged = new BitSet();
    /** Acknowledged in memory, not yet written. */
    private BitSet pendingAcks = new BitSet();
    /** Final: durably, since FINAL frames are written at once. */
    private BitSet finals = new BitSet();
    /** Every slot below this is acknowledged; scans for unacknowledged records start here. */
    private int lowWater;
    /** Every slot below this is final; scans for unconfirmed records start here. */
    private int lowFinal;
    private int depth;
    private int unconfirmedCount;
    private int prunable;
    private long discardedTailBytes;
    /** Set when a failed write could not be undone: the tail is unknown until the file is reopened. */
    private String broken;
    private boolean closed;
    private final ByteBuffer window = ByteBuffer.allocate(64 * 1024).limit(0);
    private long windowStart;

    private FileOutbox(Path file, FileChannel channel, FileLock lock, UnaryOperator<FileChannel> wrap, FileMover mover) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.wrap = wrap;
        this.mover = mover;
    }

    /** Opens (or creates) {@code dataDir/outbox.log}, cutting off a frame a crash left incomplete. */
    public static FileOutbox open(Path dataDir) throws OutboxException {
        return open(dataDir, UnaryOperator.identity());
    }

    /** As {@link #open(Path)}, with the file's channel wrapped: tests put a failing disk underneath. */
    static FileOutbox open(Path dataDir, UnaryOperator<FileChannel> wrap) throws OutboxException {
        return open(dataDir, wrap, ATOMIC_RENAME);
    }

    /**
     * As {@link #open(Path)}, with every channel the outbox opens (also a compacted file's) wrapped
     * and the rename of a compaction done by {@code mover}: tests make either fail.
     */
    static FileOutbox open(Path dataDir, UnaryOperator<FileChannel> wrap, FileMover mover) throws OutboxException {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            Files.createDirectories(dataDir);
            if (!Files.exists(file)) {
                if (Files.exists(dataDir.resolve(MAPDB_FILE_NAME))) {
                    throw new OutboxException("outbox " + dataDir.resolve(MAPDB_FILE_NAME) + " was written by a development "
                            + "version that kept the outbox in MapDB; this version keeps it in " + FILE_NAME
                            + " and does not read the old file. Nothing was changed.");
                }
                create(file);
            }
        } catch (IOException e) {
            throw new OutboxException("cannot create outbox " + file + ": " + e.getMessage(), e);
        }
        // A running agent's compaction may replace the file between our open and our lock: we
        // would then hold the lock of a file no longer in the folder. The name is checked to
        // point at the same file before and after; an agent replacing it holds the old file's
        // lock while it does, so a lock won with the name unchanged is the lock of the outbox.
        for (int attempt = 1; ; attempt++) {
            Object before = fileKey(file);
            FileChannel channel;
            try {
                channel = wrap.apply(FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE));
            } catch (IOException e) {
                throw new OutboxException("cannot open outbox " + file + ": " + e.getMessage(), e);
            }
            try {
                FileLock lock = tryLock(channel);
                if (lock == null) {
                    throw new OutboxException("cannot open outbox " + file + ": the file is locked by another process "
                            + "(is another agent running on this data folder?)");
                }
                Object after = fileKey(file);
                if (before != null && !before.equals(after)) {
                    lock.release();
                    closeQuietly(channel);
                    if (attempt == 3) {
                        throw new OutboxException("cannot open outbox " + file + ": it was replaced while being opened, "
                                + "three times (is another agent running on this data folder?)");
                    }
                    continue;
                }
                FileOutbox outbox = new FileOutbox(file, channel, lock, wrap, mover);
                outbox.deleteLeftover();
                outbox.load();
                return outbox;
            } catch (OutboxException | RuntimeException e) {
                closeQuietly(channel);
                throw e;
            } catch (IOException e) {
                closeQuietly(channel);
                throw new OutboxException("cannot read outbox " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /** The file system's identity of the file (device and inode on Linux), or null where there is none. */
    private static Object fileKey(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * A compaction that did not reach its rename leaves {@code outbox.log.new}: never the outbox
     * (the rename is what makes it one), so it is deleted. Called with the lock held, so it is
     * never another running agent's file in the making.
     */
    private void deleteLeftover() throws IOException {
        Path leftover = file.resolveSibling(NEW_FILE_NAME);
        if (Files.exists(leftover)) {
            long size = Files.size(leftover);
            Files.delete(leftover);
            log.warn("outbox {}: deleted {} ({} bytes), left by a compaction that a crash interrupted before its "
                    + "rename; {} is the outbox", file, leftover.getFileName(), size, file.getFileName());
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held by this JVM
        }
    }

    /**
     * Writes the header to a temporary file, syncs it and renames it into place, so that
     * {@code outbox.log} never exists without a whole header.
     */
    private static void create(Path file) throws IOException {
        Path tmp = file.resolveSibling(NEW_FILE_NAME);
        try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            writeFully(c, ByteBuffer.wrap(OutboxLogFormat.header()), 0);
            c.force(true);
        }
        ATOMIC_RENAME.move(tmp, file);
        syncDirectory(file.getParent());
    }

    /** Makes the new directory entry itself durable (Linux: fsync on the directory). */
    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some file systems refuse fsync on a directory; the rename is then as durable as they make it.
            log.debug("fsync of directory {} refused: {}", dir, e.getMessage());
        }
    }

    private void load() throws IOException, OutboxException {
        long size = channel.size();
        if (size < OutboxLogFormat.HEADER_BYTES) {
            throw damaged(0, "it is " + size + " bytes long, shorter than the header");
        }
        byte[] header = read(0, OutboxLogFormat.HEADER_BYTES);
        String headerProblem = OutboxLogFormat.checkHeader(header);
        if (headerProblem != null) {
            throw new OutboxException("outbox " + file + " is not an outbox this agent can read: " + headerProblem
                    + ". Nothing was changed.");
        }
        version = OutboxLogFormat.headerVersion(header);
        Loading state = new Loading();
        long pos = OutboxLogFormat.HEADER_BYTES;
        while (pos < size) {
            byte[] payload = intactPayloadAt(pos, size);
            if (payload == null) {
                cutTornTail(pos, size);
                break;
            }
            Payload p;
            try {
                p = OutboxLogFormat.decode(payload);
            } catch (IllegalArgumentException e) {
                throw damaged(pos, "the frame's checksum matches but its content does not: " + e.getMessage());
            }
            apply(pos, p, state);
            pos += OutboxLogFormat.FRAME_HEADER_BYTES + payload.length;
        }
        if (state.keptSeen != state.keptExpected) {
            throw damaged(OutboxLogFormat.HEADER_BYTES, "its checkpoint keeps " + state.keptExpected
                    + " records, the file holds " + state.keptSeen);
        }
        end = pos;
        recount();
    }

    /** Counts and scan starts from the bit sets, after loading or compacting. */
    private void recount() {
        depth = 0;
        unconfirmedCount = 0;
        for (int i = 0; i < slots; i++) {
            if (!acknowledged.get(i)) {
                depth++;
            } else if (!finals.get(i)) {
                unconfirmedCount++;
            }
        }
        prunable = finals.cardinality();
        lowWater = 0;
        lowFinal = 0;
        advanceLowMarks();
    }

    /** What opening has seen of a compacted file's kept records so far. */
    private static final class Loading {
        int keptExpected;
        int keptSeen;
    }

    /** The payload of the frame at {@code pos} when the frame is whole and its checksum matches, else null. */
    private byte[] intactPayloadAt(long pos, long size) throws IOException {
        if (size - pos < OutboxLogFormat.FRAME_HEADER_BYTES) {
            return null;
        }
        ByteBuffer head = ByteBuffer.wrap(read(pos, OutboxLogFormat.FRAME_HEADER_BYTES));
        int length = head.getInt();
        int crc = head.getInt();
        if (length < 3 || length > OutboxLogFormat.MAX_FRAME_BYTES - OutboxLogFormat.FRAME_HEADER_BYTES
                || pos + OutboxLogFormat.FRAME_HEADER_BYTES + length > size) {
            return null;
        }
        byte[] frame = read(pos, OutboxLogFormat.FRAME_HEADER_BYTES + length);
        if (OutboxLogFormat.frameCrc(frame, 0, length) != crc) {
            return null;
        }
        return Arrays.copyOfRange(frame, OutboxLogFormat.FRAME_HEADER_BYTES, frame.length);
    }

    /**
     * A frame that is not intact can only be the one being written when the power went: the last
     * one, and at most {@link OutboxLogFormat#MAX_FRAME_BYTES} long. Longer, or with an intact
     * frame after it, it is damage, not a torn write.
     */
    private void cutTornTail(long pos, long size) throws IOException, OutboxException {
        long tail = size - pos;
        if (tail > OutboxLogFormat.MAX_FRAME_BYTES) {
            throw damaged(pos, "the frame there is not intact and " + tail + " bytes follow it, more than one write "
                    + "(" + OutboxLogFormat.MAX_FRAME_BYTES + " bytes) a power cut can leave incomplete");
        }
        long next = intactFrameAfter(pos, size);
        if (next >= 0) {
            throw damaged(pos, "the frame there is not intact, but an intact frame follows at offset " + next);
        }
        channel.truncate(pos);
        channel.force(true);
        window.limit(0);
        discardedTailBytes = tail;
        log.warn("outbox {}: cut {} bytes of an incomplete last write at offset {} (left by a power cut or kill; "
                + "it was never reported stored, so never sent)", file, tail, pos);
    }

    /** The offset of the first intact frame in {@code (pos, size)}, or -1; the span is one frame at most. */
    private long intactFrameAfter(long pos, long size) throws IOException {
        byte[] tail = read(pos + 1, (int) (size - pos - 1));
        ByteBuffer b = ByteBuffer.wrap(tail);
        for (int off = 0; off + OutboxLogFormat.FRAME_HEADER_BYTES <= tail.length; off++) {
            int length = b.getInt(off);
            if (length >= 3 && length <= tail.length - OutboxLogFormat.FRAME_HEADER_BYTES - off
                    && b.getInt(off + 4) == OutboxLogFormat.frameCrc(tail, off, length)) {
                return pos + 1 + off;
            }
        }
        return -1;
    }

    private void apply(long pos, Payload p, Loading state) throws OutboxException {
        switch (p.type()) {
            case OutboxLogFormat.CHECKPOINT -> {
                if (version < 2 || pos != OutboxLogFormat.HEADER_BYTES) {
                    throw damaged(pos, "it holds a checkpoint, which only the first frame of a version 2 file may");
                }
                chain = p.checkpoint().chain();
                state.keptExpected = p.checkpoint().keptRecords();
            }
            case OutboxLogFormat.FINAL -> {
                if (version < 2) {
                    throw damaged(pos, "it marks records final, which a version " + version + " file cannot hold");
                }
                for (AckRange a : p.acks()) {
                    if (a.last() >= chain.nextSequence()) {
                        throw damaged(pos, "it marks records " + a.first() + ".." + a.last() + " final but the last record "
                                + "before it is " + (chain.nextSequence() - 1));
                    }
                    int from = lowerSlot(a.first());
                    int to = lowerSlot(a.last() + 1);
                    finals.set(from, to);
                    acknowledged.set(from, to);
                }
            }
            default -> {
                for (AckRange a : p.acks()) {
                    if (a.last() >= chain.nextSequence()) {
                        throw damaged(pos, "it acknowledges records " + a.first() + ".." + a.last() + " but the last record "
                                + "before it is " + (chain.nextSequence() - 1));
                    }
                    acknowledged.set(lowerSlot(a.first()), lowerSlot(a.last() + 1));
                }
                SignedRecord r = p.record();
                if (r != null) {
                    applyRecord(pos, r, state);
                }
            }
        }
    }

    /**
     * A record either continues the chain (the next sequence, once every record the checkpoint
     * kept has been seen) or is one the checkpoint kept: below the checkpoint's next sequence,
     * after the record before it.
     */
    private void applyRecord(long pos, SignedRecord r, Loading state) throws OutboxException {
        long seq = r.sequence();
        boolean kept = seq < chain.nextSequence() && state.keptSeen < state.keptExpected
                && (slots == 0 || seq > seqs[slots - 1]);
        if (kept) {
            state.keptSeen++;
        } else if (seq != chain.nextSequence()) {
            throw damaged(pos, "it holds record " + seq + " where record " + chain.nextSequence() + " belongs");
        } else if (state.keptSeen != state.keptExpected) {
            throw damaged(pos, "it holds record " + seq + " after " + state.keptSeen + " of the "
                    + state.keptExpected + " records its checkpoint keeps");
        } else {
            chain = chain.advance(r);
        }
        remember(seq, pos);
    }

    private OutboxException damaged(long pos, String what) {
        return new OutboxException("outbox " + file + " is damaged at offset " + pos + ": " + what + ". Nothing was "
                + "changed; keep a copy of the file and do not start a new outbox in its place, which would reuse "
                + "sequence numbers the ledger has seen.");
    }

    /** The first slot whose sequence is {@code seq} or more ({@link #slots} when there is none). */
    private int lowerSlot(long seq) {
        int i = Arrays.binarySearch(seqs, 0, slots, seq);
        return i >= 0 ? i : -i - 1;
    }

    /** The slot holding {@code seq}, or -1 when the file does not hold it (never appended, or final and pruned). */
    private int slotOf(long seq) {
        int i = Arrays.binarySearch(seqs, 0, slots, seq);
        return i >= 0 ? i : -1;
    }

    private void remember(long seq, long pos) {
        if (slots == seqs.length) {
            seqs = Arrays.copyOf(seqs, slots * 2);
            offsets = Arrays.copyOf(offsets, slots * 2);
        }
        seqs[slots] = seq;
        offsets[slots] = pos;
        slots++;
    }

    private void advanceLowMarks() {
        while (lowWater < slots && acknowledged.get(lowWater)) {
            lowWater++;
        }
        while (lowFinal < slots && finals.get(lowFinal)) {
            lowFinal++;
        }
    }

    /** Sequences the in-memory index has room for; it follows the records held, not the sequences used. */
    int indexCapacity() {
        return seqs.length;
    }

    /** Bytes of an incomplete last write cut off when this outbox was opened; 0 after a clean stop. */
    public long discardedTailBytes() {
        return discardedTailBytes;
    }

    @Override
    public ChainState chainState() {
        return chain;
    }

    @Override
    public void append(SignedRecord record) throws OutboxException {
        ensureWritable();
        ChainState next = chain.advance(record);
        List<AckRange> acks = pendingRanges();
        byte[] frame;
        try {
            frame = OutboxLogFormat.recordFrame(acks, record);
        } catch (IllegalArgumentException e) {
            throw new OutboxException("cannot store record " + record.sequence() + ": " + e.getMessage(), e);
        }
        writeDurably(frame, "record " + record.sequence());
        remember(record.sequence(), end);
        end += frame.length;
        chain = next;
        depth++;
        clearPending(acks);
    }

    @Override
    public List<SignedRecord> unacknowledged(int limit) throws OutboxException {
        ensureOpen();
        List<SignedRecord> out = new ArrayList<>();
        for (int i = acknowledged.nextClearBit(lowWater); i < slots && out.size() < limit; i = acknowledged.nextClearBit(i + 1)) {
            out.add(readRecord(i));
        }
        return out;
    }

    @Override
    public List<SignedRecord> unconfirmed(int limit) throws OutboxException {
        ensureOpen();
        List<SignedRecord> out = new ArrayList<>();
        for (int i = lowFinal; i < slots && out.size() < limit; i++) {
            if (acknowledged.get(i) && !finals.get(i)) {
                out.add(readRecord(i));
            }
        }
        return out;
    }

    private SignedRecord readRecord(int slot) throws OutboxException {
        long seq = seqs[slot];
        long pos = offsets[slot];
        try {
            byte[] payload = intactPayloadAt(pos, end);
            SignedRecord r = payload == null ? null : OutboxLogFormat.decode(payload).record();
            if (r == null || r.sequence() != seq) {
                throw new OutboxException("outbox " + file + ": record " + seq + " at offset " + pos
                        + " no longer reads back as it was written (the storage is failing)");
            }
            return r;
        } catch (IOException e) {
            throw new OutboxException("cannot read record " + seq + " from outbox " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void markAcknowledged(long sequence) throws OutboxException {
        ensureOpen();
        int slot = slotOf(sequence);
        if (slot < 0 || acknowledged.get(slot)) {
            return;
        }
        acknowledged.set(slot);
        pendingAcks.set(slot);
        depth--;
        unconfirmedCount++;
        advanceLowMarks();
    }

    @Override
    public int depth() {
        return depth;
    }

    /**
     * Writes one FINAL frame with the sequences as ranges and syncs it. A version 1 file is first
     * rewritten as version 2 (a compaction that removes nothing), once. Should the sequences make
     * more ranges than one frame holds ({@link OutboxLogFormat#MAX_FINAL_RANGES_PER_FRAME}, 16,383,
     * which takes 32,766 records in an order with a gap after every one), they are written in
     * several frames, each synced: a crash between them leaves the first ones final, which is
     * what marking them one call at a time would have done.
     */
    @Override
    public void markFinal(Collection<Long> sequences) throws OutboxException {
        ensureWritable();
        int[] marked = sequences.stream().mapToLong(Long::longValue).sorted().distinct()
                .mapToInt(this::slotOf).filter(slot -> slot >= 0 && !finals.get(slot)).toArray();
        if (marked.length == 0) {
            return;
        }
        if (version < 2) {
            // A version 1 file holds no final record, so the rewrite keeps every slot where it was.
            compact("the rewrite as format version " + OutboxLogFormat.VERSION);
        }
        List<AckRange> ranges = new ArrayList<>();
        for (int k = 0; k < marked.length; ) {
            int run = k;
            while (run + 1 < marked.length && seqs[marked[run + 1]] == seqs[marked[run]] + 1) {
                run++;
            }
            ranges.add(new AckRange(seqs[marked[k]], seqs[marked[run]]));
            k = run + 1;
        }
        int perFrame = OutboxLogFormat.MAX_FINAL_RANGES_PER_FRAME;
        int done = 0;
        for (int from = 0; from < ranges.size(); from += perFrame) {
            List<AckRange> part = ranges.subList(from, Math.min(ranges.size(), from + perFrame));
            byte[] frame = OutboxLogFormat.finalFrame(part);
            writeDurably(frame, "final marks of records " + part.getFirst().first() + ".." + part.getLast().last());
            end += frame.length;
            long last = part.getLast().last();
            for (; done < marked.length && seqs[marked[done]] <= last; done++) {
                markFinalInMemory(marked[done]);
            }
        }
        advanceLowMarks();
    }

    private void markFinalInMemory(int slot) {
        if (acknowledged.get(slot)) {
            unconfirmedCount--;
        } else {
            acknowledged.set(slot);
            depth--;
        }
        pendingAcks.clear(slot); // the FINAL frame says more than the acknowledgement would
        finals.set(slot);
        prunable++;
    }

    @Override
    public int unconfirmedCount() {
        return unconfirmedCount;
    }

    @Override
    public int prunable() {
        return prunable;
    }

    @Override
    public int prune() throws OutboxException {
        ensureWritable();
        int removed = prunable;
        if (removed > 0) {
            compact("pruning " + removed + " final records");
        }
        return removed;
    }

    /**
     * Rewrites the outbox without its final records (see the class comment for the steps and why
     * a crash at any of them is safe). A failure before the rename leaves the old file the outbox,
     * unchanged, and this outbox on it. A rename that fails and cannot be told not to have
     * happened, or a folder sync that fails after it, leaves it unknown which file the next start
     * reads: writes are then refused until the outbox is reopened, and either file opens to the
     * same chain state and records that are not final.
     */
    private void compact(String what) throws OutboxException {
        Path tmp = file.resolveSibling(NEW_FILE_NAME);
        int[] kept = new int[slots - prunable];
        for (int i = 0, k = 0; i < slots; i++) {
            if (!finals.get(i)) {
                kept[k++] = i;
            }
        }
        long[] newSeqs = new long[Math.max(256, kept.length * 2)];
        long[] newOffsets = new long[newSeqs.length];
        BitSet newAcknowledged = new BitSet();
        FileChannel c = null;
        FileLock newLock = null;
        long newEnd;
        try {
            c = wrap.apply(FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.READ, StandardOpenOption.WRITE));
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(OutboxLogFormat.MAX_FRAME_BYTES * 2);
            buffer.writeBytes(OutboxLogFormat.header());
            buffer.writeBytes(OutboxLogFormat.checkpointFrame(new Checkpoint(chain, kept.length)));
            long written = 0;
            for (int k = 0; k < kept.length; k++) {
                newSeqs[k] = seqs[kept[k]];
                newOffsets[k] = written + buffer.size();
                if (acknowledged.get(kept[k])) {
                    newAcknowledged.set(k);
                }
                // Read back and checked: a record the disk lost is found here, while the old file is still the outbox.
                buffer.writeBytes(OutboxLogFormat.recordFrame(List.of(), readRecord(kept[k])));
                if (buffer.size() >= OutboxLogFormat.MAX_FRAME_BYTES) {
                    written += flush(c, buffer, written);
                }
            }
            for (List<AckRange> acks : ranges(newAcknowledged, newSeqs)) {
                buffer.writeBytes(OutboxLogFormat.acksFrame(acks));
            }
            newEnd = written + flush(c, buffer, written);
            c.force(true);
            newLock = tryLock(c);
            if (newLock == null) {
                throw new IOException("the new file " + tmp + " could not be locked");
            }
        } catch (IOException | OutboxException e) {
            abandon(tmp, c);
            throw new OutboxException("cannot compact outbox " + file + " (" + what + "): " + e.getMessage()
                    + "; the outbox is unchanged", e);
        }
        try {
            mover.move(tmp, file);
        } catch (IOException e) {
            if (Files.exists(tmp)) { // rename(2) removes the old name with the new one in place: it did not happen
                abandon(tmp, c);
                throw new OutboxException("cannot compact outbox " + file + " (" + what + "): renaming " + tmp.getFileName()
                        + " failed: " + e.getMessage() + "; the outbox is unchanged", e);
            }
            broken = "the rename of a compacted file reported failure (" + e.getMessage() + ") but it is gone";
            closeQuietly(c);
            throw new OutboxException("cannot compact outbox " + file + " (" + what + "): " + broken, e);
        }
        try {
            try (FileChannel d = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                d.force(true);
            }
        } catch (IOException e) {
            // The new name may not be durable: records appended to the new file could vanish with
            // it in a power cut, while the agent had reported them stored. Reopening decides.
            broken = "the folder could not be synced after a compaction (" + e.getMessage() + ")";
            log.error("outbox {}: {}; writes are refused until the outbox is reopened", file, broken);
        }
        try {
            lock.release();
        } catch (IOException e) {
            log.debug("releasing the lock on the replaced {} failed: {}", file, e.getMessage());
        }
        closeQuietly(channel);
        channel = c;
        lock = newLock;
        version = OutboxLogFormat.VERSION;
        end = newEnd;
        seqs = newSeqs;
        offsets = newOffsets;
        slots = kept.length;
        acknowledged = newAcknowledged;
        pendingAcks = new BitSet(); // every acknowledgement is in the new file
        finals = new BitSet();
        window.limit(0);
        recount();
        log.info("outbox {}: compacted ({}), {} records kept, {} bytes", file, what, slots, end);
    }

    private static long flush(FileChannel c, ByteArrayOutputStream buffer, long pos) throws IOException {
        int n = buffer.size();
        writeFully(c, ByteBuffer.wrap(buffer.toByteArray()), pos);
        buffer.reset();
        return n;
    }

    /** Closes and deletes a compacted file that did not become the outbox; a failure to delete leaves a leftover the next open deletes. */
    private void abandon(Path tmp, FileChannel c) {
        if (c != null) {
            closeQuietly(c);
        }
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            log.warn("outbox {}: could not delete {}: {}; the next start deletes it", file, tmp.getFileName(), e.getMessage());
        }
    }

    /** The length of {@code outbox.log}: every frame written, acknowledged or not; less after a prune. */
    @Override
    public long sizeBytes() {
        return end;
    }

    @Override
    public void close() throws OutboxException {
        if (closed) {
            return;
        }
        try {
            if (broken == null) {
                while (!pendingAcks.isEmpty()) {
                    List<AckRange> acks = pendingRanges();
                    byte[] frame = OutboxLogFormat.acksFrame(acks);
                    writeDurably(frame, "acknowledgements");
                    end += frame.length;
                    clearPending(acks);
                }
            }
        } finally {
            closed = true;
            try {
                lock.release();
            } catch (IOException e) {
                log.debug("releasing the lock on {} failed: {}", file, e.getMessage());
            }
            closeQuietly(channel);
        }
    }

    /** Pending acknowledgements as ranges, the oldest first, at most one frame's worth. */
    private List<AckRange> pendingRanges() {
        List<List<AckRange>> frames = ranges(pendingAcks, seqs);
        return frames.isEmpty() ? List.of() : frames.getFirst();
    }

    /**
     * The sequences of the set slots as ranges of consecutive sequences, split into frames of at
     * most {@link OutboxLogFormat#MAX_RANGES_PER_FRAME}.
     */
    private static List<List<AckRange>> ranges(BitSet slotsSet, long[] sequences) {
        List<List<AckRange>> frames = new ArrayList<>();
        List<AckRange> ranges = new ArrayList<>();
        for (int i = slotsSet.nextSetBit(0); i >= 0; ) {
            int last = i;
            while (slotsSet.get(last + 1) && sequences[last + 1] == sequences[last] + 1) {
                last++;
            }
            if (ranges.size() == OutboxLogFormat.MAX_RANGES_PER_FRAME) {
                frames.add(ranges);
                ranges = new ArrayList<>();
            }
            ranges.add(new AckRange(sequences[i], sequences[last]));
            i = slotsSet.nextSetBit(last + 1);
        }
        if (!ranges.isEmpty()) {
            frames.add(ranges);
        }
        return frames;
    }

    private void clearPending(List<AckRange> written) {
        for (AckRange a : written) {
            pendingAcks.clear(lowerSlot(a.first()), lowerSlot(a.last() + 1));
        }
    }

    /**
     * Appends {@code frame} at the end and syncs it. On failure the partial frame is cut off again
     * and that is synced, so the file ends with intact frames (a full disk: the next append works
     * once there is space). If the cut or its sync fails too, the disk itself is failing and what it
     * holds is unknown: the outbox refuses further writes until it is reopened, which reads and
     * checks the file again and cuts an incomplete frame.
     */
    private void writeDurably(byte[] frame, String what) throws OutboxException {
        try {
            writeFully(channel, ByteBuffer.wrap(frame), end);
            channel.force(false);
        } catch (IOException e) {
            window.limit(0);
            try {
                channel.truncate(end);
                channel.force(true);
            } catch (IOException undo) {
                e.addSuppressed(undo);
                broken = "a failed write of " + what + " could not be undone (" + undo.getMessage() + ")";
            }
            throw new OutboxException("cannot store " + what + " in outbox " + file + ": " + e.getMessage(), e);
        }
    }

    private static void writeFully(FileChannel c, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            pos += c.write(b, pos);
        }
    }

    /**
     * Reads {@code length} bytes at {@code pos}, through a read-ahead window: opening reads every
     * frame in order, and two system calls per frame made that ~2.7 times slower (a year of
     * records: 1.0 s against 0.38 s). The window cannot go stale: bytes once written never change,
     * the file only grows (a failed write, a torn tail cut off while opening, and the switch to a
     * compacted file drop the window).
     */
    private byte[] read(long pos, int length) throws IOException {
        byte[] out = new byte[length];
        if (length > window.capacity()) {
            readFully(ByteBuffer.wrap(out), pos);
            return out;
        }
        if (pos < windowStart || pos + length > windowStart + window.limit()) {
            window.clear();
            windowStart = pos;
            while (window.hasRemaining() && channel.read(window, pos + window.position()) >= 0) {
                // until full or at the end of the file
            }
            window.flip();
            if (window.limit() < length) {
                throw new IOException("outbox " + file + " ended at offset " + (pos + window.limit()) + " while reading");
            }
        }
        window.get((int) (pos - windowStart), out);
        return out;
    }

    private void readFully(ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            if (channel.read(b, pos + b.position()) < 0) {
                throw new IOException("outbox " + file + " ended at offset " + (pos + b.position()) + " while reading");
            }
        }
    }

    private void ensureOpen() throws OutboxException {
        if (closed) {
            throw new OutboxException("outbox " + file + " is closed");
        }
    }

    private void ensureWritable() throws OutboxException {
        ensureOpen();
        if (broken != null) {
            throw new OutboxException("outbox " + file + " refuses writes until it is reopened: " + broken);
        }
    }

    private static void closeQuietly(FileChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // Nothing was pending on it; the failure worth reporting happened before.
        }
    }
}
