package io.wattproof.agent.outbox;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A file channel over a real file whose disk can be made to fail: a write that runs out of
 * {@link #bytesLeft} writes what fits and then fails as a full disk does (ENOSPC after a short
 * write), a sync can fail, and so can the truncate that undoes a failed write.
 */
final class FailingDiskChannel extends FileChannel {
    private final FileChannel disk;
    /** Bytes the disk still takes; negative means no limit. */
    volatile long bytesLeft = -1;
    volatile boolean failSync;
    volatile boolean failTruncate;

    FailingDiskChannel(FileChannel disk) {
        this.disk = disk;
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        if (bytesLeft < 0 || src.remaining() <= bytesLeft) {
            int n = disk.write(src, position);
            if (bytesLeft >= 0) {
                bytesLeft -= n;
            }
            return n;
        }
        if (bytesLeft > 0) {
            ByteBuffer part = src.duplicate();
            part.limit(part.position() + (int) bytesLeft);
            int n = disk.write(part, position);
            src.position(src.position() + n);
            bytesLeft = 0;
            return n; // a short write; the caller's next write gets the error
        }
        throw new IOException("No space left on device");
    }

    @Override
    public void force(boolean metaData) throws IOException {
        if (failSync) {
            throw new IOException("Input/output error");
        }
        disk.force(metaData);
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        if (failTruncate) {
            throw new IOException("Input/output error");
        }
        disk.truncate(size);
        return this;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return disk.read(dst, position);
    }

    @Override
    public long size() throws IOException {
        return disk.size();
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return disk.tryLock(position, size, shared);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return disk.lock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        disk.close();
    }

    // The outbox uses positional reads and writes only; the rest passes through unchanged.

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return disk.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return disk.read(dsts, offset, length);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return disk.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return disk.write(srcs, offset, length);
    }

    @Override
    public long position() throws IOException {
        return disk.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        disk.position(newPosition);
        return this;
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return disk.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        return disk.transferFrom(src, position, count);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return disk.map(mode, position, size);
    }
}
