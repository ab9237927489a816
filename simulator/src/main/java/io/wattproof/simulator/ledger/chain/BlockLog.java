package io.wattproof.simulator.ledger.chain;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the reference ledger needs to be itself again after a restart: its genesis parameters and,
 * per block, the block time and the transactions. Everything else (headers, commits, results,
 * proofs, the application's state) follows deterministically from these: validator keys derive
 * from the seed, Ed25519 signatures are deterministic (RFC 8032), vote timestamps follow from the
 * block time, and the application is deterministic by contract. So a ledger replaying its log
 * produces byte for byte the blocks it produced before, and devices that verified them keep
 * trusting them. (CometBFT's own handshake replays its stored blocks into the application the same
 * way.)
 *
 * <pre>
 * file    "WATTPROOF-BLOCKS" (16 ASCII bytes) | version u32 | frames
 * frame   payload length u32 | CRC-32C of the length and the payload u32 | payload
 * payload GENESIS 0x01 | chain id (u16 length, ASCII) | validators u32 | valset change every u64
 *                      | seed u64 | genesis time (epoch s i64, nanos u32)
 *         BLOCK   0x02 | height u64 | time (epoch s i64, nanos u32) | tx count u32 | (length u32, bytes)*
 * </pre>
 *
 * A block's frame is written once the block is committed, before any listener hears of it. An
 * incomplete last frame (the process died while writing it) is cut off when the log is opened:
 * that block was never announced, so nothing outside the ledger knows it.
 */
public final class BlockLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BlockLog.class);
    private static final byte[] MAGIC = "WATTPROOF-BLOCKS".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    private static final int HEADER_BYTES = MAGIC.length + 4;
    private static final byte GENESIS = 1;
    private static final byte BLOCK = 2;
    /** CometBFT's default block size (21 MiB) plus framing: no block frame is larger. */
    private static final int MAX_FRAME_BYTES = 22 * 1024 * 1024;

    private final Path file;
    private final FileChannel channel;
    private final Optional<Genesis> genesis;
    private final List<LoggedBlock> blocks;
    private long end;

    /** The parameters a ledger's chain follows from; a replay must use the same ones. */
    public record Genesis(String chainId, int validators, long valsetChangeEvery, long seed, Instant time) {}

    /** One committed block as logged. */
    public record LoggedBlock(long height, Instant time, List<byte[]> txs) {}

    private BlockLog(Path file, FileChannel channel, Optional<Genesis> genesis, List<LoggedBlock> blocks, long end) {
        this.file = file;
        this.channel = channel;
        this.genesis = genesis;
        this.blocks = blocks;
        this.end = end;
    }

    /**
     * Opens (or creates) the log. What it holds is read at once ({@link #genesis()},
     * {@link #blocks()}); afterwards the log is only appended to.
     *
     * @throws IOException when the file cannot be read or written, or is not a block log of this version
     */
    public static BlockLog open(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            long size = channel.size();
            if (size == 0) {
                ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).put(MAGIC).putInt(VERSION).flip();
                writeFully(channel, header, 0);
                channel.force(true);
                return new BlockLog(file, channel, Optional.empty(), new ArrayList<>(), HEADER_BYTES);
            }
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
            readFully(channel, header, 0);
            header.flip();
            byte[] magic = new byte[MAGIC.length];
            header.get(magic);
            int version = header.getInt();
            if (!java.util.Arrays.equals(magic, MAGIC) || version != VERSION) {
                throw new IOException(file + " is not a block log of version " + VERSION + " (it does not start with "
                        + new String(MAGIC, StandardCharsets.US_ASCII) + " and version " + VERSION + ")");
            }
            Optional<Genesis> genesis = Optional.empty();
            List<LoggedBlock> blocks = new ArrayList<>();
            long pos = HEADER_BYTES;
            while (pos < size) {
                byte[] payload = payloadAt(channel, pos, size);
                if (payload == null) {
                    log.warn("block log {}: cut {} bytes of an incomplete last write at offset {}", file, size - pos, pos);
                    channel.truncate(pos);
                    channel.force(true);
                    break;
                }
                ByteBuffer p = ByteBuffer.wrap(payload);
                byte type = p.get();
                if (type == GENESIS && genesis.isEmpty() && blocks.isEmpty()) {
                    byte[] chain = new byte[Short.toUnsignedInt(p.getShort())];
                    p.get(chain);
                    genesis = Optional.of(new Genesis(new String(chain, StandardCharsets.US_ASCII), p.getInt(), p.getLong(), p.getLong(),
                            Instant.ofEpochSecond(p.getLong(), p.getInt())));
                } else if (type == BLOCK && genesis.isPresent()) {
                    long height = p.getLong();
                    if (height != blocks.size() + 1) {
                        throw new IOException(file + " is damaged at offset " + pos + ": block " + height + " where block "
                                + (blocks.size() + 1) + " belongs");
                    }
                    Instant time = Instant.ofEpochSecond(p.getLong(), p.getInt());
                    int count = p.getInt();
                    List<byte[]> txs = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        byte[] tx = new byte[p.getInt()];
                        p.get(tx);
                        txs.add(tx);
                    }
                    blocks.add(new LoggedBlock(height, time, List.copyOf(txs)));
                } else {
                    throw new IOException(file + " is damaged at offset " + pos + ": frame type " + type + " out of place");
                }
                pos += 8 + payload.length;
            }
            return new BlockLog(file, channel, genesis, blocks, channel.size());
        } catch (IOException | RuntimeException e) {
            channel.close();
            if (e instanceof java.nio.BufferUnderflowException) {
                throw new IOException(file + " is damaged: a frame whose checksum matches ends too early", e);
            }
            throw e;
        }
    }

    public Optional<Genesis> genesis() {
        return genesis;
    }

    /** The blocks read at open, height 1 first. */
    public List<LoggedBlock> blocks() {
        return List.copyOf(blocks);
    }

    public Path file() {
        return file;
    }

    void writeGenesis(Genesis g) throws IOException {
        byte[] chain = g.chainId().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer p = ByteBuffer.allocate(1 + 2 + chain.length + 4 + 8 + 8 + 12).put(GENESIS)
                .putShort((short) chain.length).put(chain).putInt(g.validators()).putLong(g.valsetChangeEvery()).putLong(g.seed())
                .putLong(g.time().getEpochSecond()).putInt(g.time().getNano());
        append(p.array());
    }

    void writeBlock(long height, Instant time, List<byte[]> txs) throws IOException {
        int size = 1 + 8 + 12 + 4;
        for (byte[] tx : txs) {
            size += 4 + tx.length;
        }
        ByteBuffer p = ByteBuffer.allocate(size).put(BLOCK).putLong(height).putLong(time.getEpochSecond()).putInt(time.getNano())
                .putInt(txs.size());
        for (byte[] tx : txs) {
            p.putInt(tx.length).put(tx);
        }
        append(p.array());
    }

    /** One write per frame, synced: a block the devices may verify is never forgotten by the ledger. */
    private void append(byte[] payload) throws IOException {
        ByteBuffer f = ByteBuffer.allocate(8 + payload.length).putInt(payload.length).putInt(0).put(payload);
        f.putInt(4, crc(f.array(), payload.length));
        f.flip();
        writeFully(channel, f, end);
        channel.force(false);
        end += 8 + payload.length;
    }

    private static byte[] payloadAt(FileChannel channel, long pos, long size) throws IOException {
        if (size - pos < 8) {
            return null;
        }
        ByteBuffer head = ByteBuffer.allocate(8);
        readFully(channel, head, pos);
        int length = head.getInt(0);
        if (length < 1 || length > MAX_FRAME_BYTES || pos + 8 + length > size) {
            return null;
        }
        ByteBuffer frame = ByteBuffer.allocate(8 + length);
        readFully(channel, frame, pos);
        if (crc(frame.array(), length) != frame.getInt(4)) {
            return null;
        }
        return java.util.Arrays.copyOfRange(frame.array(), 8, 8 + length);
    }

    private static int crc(byte[] frame, int payloadLength) {
        CRC32C c = new CRC32C();
        c.update(frame, 0, 4);
        c.update(frame, 8, payloadLength);
        return (int) c.getValue();
    }

    private static void writeFully(FileChannel c, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            pos += c.write(b, pos);
        }
    }

    private static void readFully(FileChannel c, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            if (c.read(b, pos + b.position()) < 0) {
                throw new IOException("unexpected end of file at offset " + (pos + b.position()));
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
