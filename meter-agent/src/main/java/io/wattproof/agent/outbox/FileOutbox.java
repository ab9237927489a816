package io.wattproof.agent.outbox;

import io.wattproof.agent.outbox.OutboxLogFormat.AckRange;
import io.wattproof.agent.outbox.OutboxLogFormat.Payload;
import io.wattproof.agent.record.ChainState;
import io.wattproof.agent.record.SignedRecord;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox as an append-only log, {@code outbox.log} (layout in {@link OutboxLogFormat}). Every
 * {@link #append} is one frame, written with one {@code write} and made durable with one
 * {@code fdatasync} before it returns; the chain state is not stored at all but follows from the
 * records, so the record and the sequence it uses become durable together by construction.
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

    private static final Logger log = LoggerFactory.getLogger(FileOutbox.class);

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    /** Offset of the end of the last intact frame: where the next frame goes. */
    private long end;
    private ChainState chain = ChainState.GENESIS;
    /** offsets[seq - 1]: where the frame holding record {@code seq} starts. */
    private long[] offsets = new long[256];
    /** Bit {@code seq - 1}: record {@code seq} is acknowledged (durably or not yet). */
    private final BitSet acknowledged = new BitSet();
    /** Bit {@code seq - 1}: acknowledged in memory, not yet written. */
    private final BitSet pendingAcks = new BitSet();
    /** Every record below this sequence is acknowledged; scans start here. */
    private long lowWater = 1;
    private int depth;
    private long discardedTailBytes;
    /** Set when a failed write could not be undone: the tail is unknown until the file is reopened. */
    private String broken;
    private boolean closed;
    private final ByteBuffer window = ByteBuffer.allocate(64 * 1024).limit(0);
    private long windowStart;

    private FileOutbox(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** Opens (or creates) {@code dataDir/outbox.log}, cutting off a frame a crash left incomplete. */
    public static FileOutbox open(Path dataDir) throws OutboxException {
        return open(dataDir, UnaryOperator.identity());
    }

    /** As {@link #open(Path)}, with the file's channel wrapped: tests put a failing disk underneath. */
    static FileOutbox open(Path dataDir, UnaryOperator<FileChannel> wrap) throws OutboxException {
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
            FileOutbox outbox = new FileOutbox(file, channel, lock);
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
        Path tmp = file.resolveSibling(FILE_NAME + ".new");
        try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            writeFully(c, ByteBuffer.wrap(OutboxLogFormat.header()), 0);
            c.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the data folder's file system cannot rename atomically", e);
        }
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
        String headerProblem = OutboxLogFormat.checkHeader(read(0, OutboxLogFormat.HEADER_BYTES));
        if (headerProblem != null) {
            throw new OutboxException("outbox " + file + " is not an outbox this agent can read: " + headerProblem
                    + ". Nothing was changed.");
        }
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
            apply(pos, p);
            pos += OutboxLogFormat.FRAME_HEADER_BYTES + payload.length;
        }
        end = pos;
        advanceLowWater();
        for (long seq = lowWater; seq < chain.nextSequence(); seq++) {
            if (!acknowledged.get(index(seq))) {
                depth++;
            }
        }
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

    private void apply(long pos, Payload p) throws OutboxException {
        for (AckRange a : p.acks()) {
            if (a.last() >= chain.nextSequence()) {
                throw damaged(pos, "it acknowledges records " + a.first() + ".." + a.last() + " but the last record before it is "
                        + (chain.nextSequence() - 1));
            }
            acknowledged.set(index(a.first()), index(a.last()) + 1);
        }
        SignedRecord r = p.record();
        if (r != null) {
            if (r.sequence() != chain.nextSequence()) {
                throw damaged(pos, "it holds record " + r.sequence() + " where record " + chain.nextSequence() + " belongs");
            }
            remember(r.sequence(), pos);
            chain = chain.advance(r);
        }
    }

    private OutboxException damaged(long pos, String what) {
        return new OutboxException("outbox " + file + " is damaged at offset " + pos + ": " + what + ". Nothing was "
                + "changed; keep a copy of the file and do not start a new outbox in its place, which would reuse "
                + "sequence numbers the ledger has seen.");
    }

    /** Bit and array index of {@code seq}; sequences beyond an int are ~60,000 years of quarter hours. */
    private static int index(long seq) {
        if (seq < 1 || seq > Integer.MAX_VALUE) {
            throw new IllegalStateException("sequence " + seq + " outside 1.." + Integer.MAX_VALUE);
        }
        return (int) (seq - 1);
    }

    private void remember(long seq, long pos) {
        int i = index(seq);
        if (i >= offsets.length) {
            offsets = Arrays.copyOf(offsets, Math.max(i + 1, offsets.length * 2));
        }
        offsets[i] = pos;
    }

    private void advanceLowWater() {
        while (lowWater < chain.nextSequence() && acknowledged.get(index(lowWater))) {
            lowWater++;
        }
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
        for (long seq = lowWater; seq < chain.nextSequence() && out.size() < limit; seq++) {
            if (!acknowledged.get(index(seq))) {
                out.add(readRecord(seq));
            }
        }
        return out;
    }

    private SignedRecord readRecord(long seq) throws OutboxException {
        long pos = offsets[index(seq)];
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
        if (sequence < 1 || sequence >= chain.nextSequence() || acknowledged.get(index(sequence))) {
            return;
        }
        acknowledged.set(index(sequence));
        pendingAcks.set(index(sequence));
        depth--;
        advanceLowWater();
    }

    @Override
    public int depth() {
        return depth;
    }

    // Placeholders on the ledger base branch only; replaced before anything reaches main.
    @Override
    public void markFinal(java.util.Collection<Long> sequences) {
        throw new UnsupportedOperationException("markFinal");
    }

    @Override
    public List<SignedRecord> unconfirmed(int limit) {
        throw new UnsupportedOperationException("unconfirmed");
    }

    @Override
    public int unconfirmedCount() {
        throw new UnsupportedOperationException("unconfirmedCount");
    }

    @Override
    public int prunable() {
        throw new UnsupportedOperationException("prunable");
    }

    @Override
    public int prune() {
        throw new UnsupportedOperationException("prune");
    }

    /** The length of {@code outbox.log}: every frame written, acknowledged or not. */
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
        List<AckRange> ranges = new ArrayList<>();
        for (int i = pendingAcks.nextSetBit(0); i >= 0 && ranges.size() < OutboxLogFormat.MAX_RANGES_PER_FRAME; ) {
            int stop = pendingAcks.nextClearBit(i);
            ranges.add(new AckRange(i + 1L, stop));
            i = pendingAcks.nextSetBit(stop);
        }
        return ranges;
    }

    private void clearPending(List<AckRange> written) {
        for (AckRange a : written) {
            pendingAcks.clear(index(a.first()), index(a.last()) + 1);
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
     * the file only grows (a failed write or a torn tail cut off while opening drops the window).
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
