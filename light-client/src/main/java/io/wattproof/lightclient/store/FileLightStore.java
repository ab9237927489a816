package io.wattproof.lightclient.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * The light store as a folder with one file per block, {@code 00000000000000001234.block}. A
 * block is written to a temporary file, synced, and renamed over its final name, then the folder
 * is synced: a rename is atomic, so after a crash at any instant every block file is whole, as it
 * was before the write or after it. Leftover temporary files are removed when the store opens.
 *
 * <p>File layout: {@code "WPLB"} | version u8 = 1 | status u8 | reserved u16 = 0 | height u64 |
 * block length u32 | CRC-32C u32 over every byte before it and the block | block. Big-endian.
 *
 * <p>Why not MapDB, which the design names for durable state: its write-ahead log failed to reopen
 * after SIGKILL in the outbox's crash test (docs/architecture.md, "Why not MapDB"); the light store
 * has to survive the same kill (FileLightStoreCrashIT). A light block is written once and its
 * status changes a few times; pruning keeps a bounded number, so a file each is cheap.
 *
 * <p>A file that fails its checksum was damaged by the storage, not by a crash. It is left where
 * it is, left out of the store, and listed by {@link #damaged()}; the block can be fetched again.
 */
public final class FileLightStore implements LightStore {
    private static final byte[] MAGIC = "WPLB".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    private static final int HEADER_BYTES = 4 + 1 + 1 + 2 + 8 + 4 + 4;
    /** A light block with 150 validators and its next set is 37 KB; far beyond that is not a block. */
    static final int MAX_BLOCK_BYTES = 8 * 1024 * 1024;
    private static final String SUFFIX = ".block";
    private static final String TMP_SUFFIX = ".block.tmp";
    private static final Pattern NAME = Pattern.compile("(\\d{20})\\.block");
    static final String LOCK_FILE = "lock";

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final TreeMap<Long, BlockStatus> index = new TreeMap<>();
    private final List<Path> damaged = new ArrayList<>();
    private boolean closed;

    private FileLightStore(Path dir, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Opens (or creates) the store in {@code dir}. */
    public static FileLightStore open(Path dir) throws LightStoreException {
        FileChannel channel;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new LightStoreException("cannot open light store " + dir + ": " + e.getMessage(), e);
        }
        try {
            FileLock lock = tryLock(channel);
            if (lock == null) {
                throw new LightStoreException("cannot open light store " + dir + ": it is locked by another process "
                        + "(is another agent running on this data folder?)");
            }
            FileLightStore store = new FileLightStore(dir, channel, lock);
            store.load();
            return store;
        } catch (LightStoreException | RuntimeException e) {
            closeQuietly(channel);
            throw e;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new LightStoreException("cannot read light store " + dir + ": " + e.getMessage(), e);
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held by this JVM
        }
    }

    private void load() throws IOException {
        List<Path> leftovers = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.endsWith(TMP_SUFFIX)) {
                    leftovers.add(f);
                    continue;
                }
                Matcher m = NAME.matcher(name);
                if (!m.matches()) {
                    continue; // the lock file, or something a person put here: not ours to judge
                }
                long height = Long.parseLong(m.group(1));
                try {
                    index.put(height, decode(f, height).status());
                } catch (DamagedFile e) {
                    damaged.add(f);
                }
            }
        }
        for (Path f : leftovers) {
            // A write that never reached its rename: the block it would have replaced is intact.
            Files.deleteIfExists(f);
        }
        if (!leftovers.isEmpty()) {
            syncDirectory();
        }
        Collections.sort(damaged);
    }

    /** Block files that failed their checksum or layout when the store opened; not in the store. */
    public List<Path> damaged() {
        return List.copyOf(damaged);
    }

    @Override
    public void put(StoredBlock block) throws LightStoreException {
        ensureOpen();
        if (block.lightBlock().length > MAX_BLOCK_BYTES) {
            throw new LightStoreException("light store: block " + block.height() + " has " + block.lightBlock().length
                    + " bytes, more than the " + MAX_BLOCK_BYTES + " a light block may have");
        }
        write(block);
        index.put(block.height(), block.status());
    }

    @Override
    public Optional<StoredBlock> get(long height) throws LightStoreException {
        ensureOpen();
        if (!index.containsKey(height)) {
            return Optional.empty();
        }
        Path f = file(height);
        try {
            return Optional.of(decode(f, height));
        } catch (DamagedFile e) {
            throw new LightStoreException("light store: block file " + f + " " + e.getMessage()
                    + " (the storage is failing)");
        } catch (IOException e) {
            throw new LightStoreException("light store: cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void setStatus(long height, BlockStatus status) throws LightStoreException {
        StoredBlock block = get(height).orElseThrow(() ->
                new LightStoreException("light store " + dir + ": no block at height " + height + " to mark " + status));
        if (block.status() != status) {
            write(block.withStatus(status));
            index.put(height, status);
        }
    }

    @Override
    public Optional<StoredBlock> latest(BlockStatus status) throws LightStoreException {
        ensureOpen();
        return first(index.descendingMap(), status);
    }

    @Override
    public Optional<StoredBlock> lowest(BlockStatus status) throws LightStoreException {
        ensureOpen();
        return first(index, status);
    }

    private Optional<StoredBlock> first(NavigableMap<Long, BlockStatus> order, BlockStatus status) throws LightStoreException {
        for (Map.Entry<Long, BlockStatus> e : order.entrySet()) {
            if (e.getValue() == status) {
                return get(e.getKey());
            }
        }
        return Optional.empty();
    }

    @Override
    public NavigableMap<Long, BlockStatus> statuses() {
        return new TreeMap<>(index);
    }

    @Override
    public int prune(int keep) throws LightStoreException {
        ensureOpen();
        List<Long> doomed = Pruning.heightsToRemove(index, keep);
        try {
            for (Long h : doomed) {
                Files.deleteIfExists(file(h));
                index.remove(h);
            }
            if (!doomed.isEmpty()) {
                syncDirectory();
            }
        } catch (IOException e) {
            throw new LightStoreException("light store " + dir + ": pruning failed: " + e.getMessage(), e);
        }
        return doomed.size();
    }

    @Override
    public void close() throws LightStoreException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            lock.release();
        } catch (IOException e) {
            // Closing the channel below releases it as well.
        }
        closeQuietly(lockChannel);
    }

    private void write(StoredBlock block) throws LightStoreException {
        Path target = file(block.height());
        Path tmp = dir.resolve(String.format("%020d", block.height()) + TMP_SUFFIX);
        try {
            try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(encode(block));
                while (b.hasRemaining()) {
                    c.write(b);
                }
                c.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory();
        } catch (AtomicMoveNotSupportedException e) {
            deleteQuietly(tmp);
            throw new LightStoreException("light store " + dir + ": the file system cannot rename atomically", e);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new LightStoreException("light store " + dir + ": cannot write block " + block.height() + ": " + e.getMessage(), e);
        }
    }

    static byte[] encode(StoredBlock block) {
        byte[] payload = block.lightBlock();
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + payload.length);
        b.put(MAGIC).put((byte) VERSION).put((byte) block.status().code()).putShort((short) 0)
                .putLong(block.height()).putInt(payload.length);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        crc.update(payload);
        return b.putInt((int) crc.getValue()).put(payload).array();
    }

    /** A block file whose bytes do not add up; the message says how. */
    private static final class DamagedFile extends Exception {
        DamagedFile(String message) {
            super(message);
        }
    }

    private static StoredBlock decode(Path f, long expectedHeight) throws IOException, DamagedFile {
        long size = Files.size(f);
        if (size < HEADER_BYTES || size > HEADER_BYTES + (long) MAX_BLOCK_BYTES) {
            throw new DamagedFile("is " + size + " bytes long");
        }
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f));
        byte[] magic = new byte[MAGIC.length];
        b.get(magic);
        int version = Byte.toUnsignedInt(b.get());
        int statusCode = Byte.toUnsignedInt(b.get());
        b.getShort();
        long height = b.getLong();
        int length = b.getInt();
        int crcAt = b.position();
        int stored = b.getInt();
        if (!java.util.Arrays.equals(magic, MAGIC) || version != VERSION) {
            throw new DamagedFile("is not a version " + VERSION + " light block file");
        }
        if (length != b.remaining()) {
            throw new DamagedFile("declares " + length + " block bytes and holds " + b.remaining());
        }
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, crcAt);
        crc.update(b.array(), HEADER_BYTES, length);
        if ((int) crc.getValue() != stored) {
            throw new DamagedFile("fails its checksum");
        }
        if (height != expectedHeight) {
            throw new DamagedFile("holds height " + height + " under the name of height " + expectedHeight);
        }
        BlockStatus status;
        try {
            status = BlockStatus.ofCode(statusCode);
        } catch (IllegalArgumentException e) {
            throw new DamagedFile("has " + e.getMessage());
        }
        byte[] payload = new byte[length];
        b.get(payload);
        return new StoredBlock(height, status, payload);
    }

    private Path file(long height) {
        return dir.resolve(String.format("%020d", height) + SUFFIX);
    }

    /** Makes renames and deletions in the folder durable (Linux: fsync on the directory). */
    private void syncDirectory() throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            if (!System.getProperty("os.name", "").toLowerCase().contains("win")) {
                throw e;
            }
            // Windows cannot open a directory as a channel; its renames are as durable as NTFS makes them.
        }
    }

    private void ensureOpen() throws LightStoreException {
        if (closed) {
            throw new LightStoreException("light store " + dir + " is closed");
        }
    }

    private static void deleteQuietly(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException ignored) {
            // Removed at the next open.
        }
    }

    private static void closeQuietly(FileChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // Nothing was pending on it.
        }
    }
}
