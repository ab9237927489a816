package io.wattproof.ota.transport;

import io.wattproof.ota.DurableFiles;
import io.wattproof.ota.metadata.ImageEntry;
import io.wattproof.ota.metadata.Refusal;
import io.wattproof.ota.v1.Chunk;
import io.wattproof.ota.v1.ChunkRequest;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * A {@link Download} kept in a folder: accepted bytes are appended to {@code <name>-<version>.part},
 * and once the whole image is verified that file is synced and renamed to {@code <name>-<version>}
 * (rename(2) is atomic; the folder is then synced, as {@link DurableFiles} does). Opening it again
 * after a restart resumes from the part file's length, re-hashing its bytes.
 *
 * <p>The part file is synced every {@code syncEvery} accepted chunks and before the rename, not
 * after each chunk: a power cut loses at most the chunks since the last sync, which are simply
 * asked for again. If it leaves bytes in the file that were never accepted (a file system that
 * extends a file before its data reaches the disk), the final SHA-256 refuses the image and the
 * part file is deleted, so the next attempt starts over: never a wrong image, at worst one more
 * download. A hash refusal, or a part file longer than the image, deletes the part file; a length
 * refusal of a chunk keeps it, since no refused byte was written. After an {@link IOException}
 * the file and the state may disagree: close it and open it again, which resumes from what the
 * file holds.
 */
public final class DownloadFile implements Closeable {

    /** Opening: ready to continue, or the name or the kept bytes cannot be used. */
    public sealed interface Opened {
        record Ready(DownloadFile file) implements Opened {}

        record Refused(Refusal refusal) implements Opened {}
    }

    private final Download download;
    private final Path part;
    private final Path target;
    private final int syncEvery;
    private final FileChannel channel;
    private int unsynced;

    private DownloadFile(Download download, Path part, Path target, int syncEvery, FileChannel channel) {
        this.download = download;
        this.part = part;
        this.target = target;
        this.syncEvery = syncEvery;
        this.channel = channel;
    }

    public static Opened open(Path dir, ImageEntry image, int chunkSize, int syncEvery) throws IOException {
        if (syncEvery < 1) {
            throw new IllegalArgumentException("sync every: expected 1 or more chunks, got " + syncEvery);
        }
        String name = image.name();
        // Verified targets allow any printable ASCII name (docs/ota.md); only a plain file name may become a path here.
        if (name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            return new Opened.Refused(new Refusal(Refusal.Reason.MALFORMED, "image name", "a file name without '/', '\\' or a leading '.'",
                    "'" + name + "'"));
        }
        Path target = dir.resolve(name + "-" + image.version());
        Path part = dir.resolve(name + "-" + image.version() + ".part");
        Download.Resumed resumed;
        if (Files.exists(part)) {
            try (InputStream in = Files.newInputStream(part)) {
                resumed = Download.resume(image, chunkSize, in);
            }
        } else {
            resumed = new Download.Resumed.Ready(Download.start(image, chunkSize));
        }
        if (resumed instanceof Download.Resumed.Refused refused) {
            Files.deleteIfExists(part);
            return new Opened.Refused(refused.refusal());
        }
        Download download = ((Download.Resumed.Ready) resumed).download();
        FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        DownloadFile file = new DownloadFile(download, part, target, syncEvery, channel);
        if (download.complete()) {
            // Every byte was kept and verified before the last run could rename the file.
            file.finish();
        }
        return new Opened.Ready(file);
    }

    public Download download() {
        return download;
    }

    public Path partFile() {
        return part;
    }

    /** Where the image is once complete. */
    public Path imageFile() {
        return target;
    }

    public Optional<ChunkRequest> nextRequest() {
        return download.nextRequest();
    }

    public Download.Result accept(byte[] wire) throws IOException {
        Download.Result r = download.accept(wire);
        return apply(r, wire);
    }

    public Download.Result accept(Chunk chunk) throws IOException {
        return apply(download.accept(chunk), chunk);
    }

    private Download.Result apply(Download.Result r, byte[] wire) throws IOException {
        if (r instanceof Download.Result.Progress || r instanceof Download.Result.Done) {
            // Accepted, so it parsed.
            return apply(r, Chunk.parseFrom(wire));
        }
        return apply(r, (Chunk) null);
    }

    private Download.Result apply(Download.Result r, Chunk chunk) throws IOException {
        switch (r) {
            case Download.Result.Progress p -> {
                write(chunk);
                if (++unsynced >= syncEvery) {
                    channel.force(false);
                    unsynced = 0;
                }
            }
            case Download.Result.Done d -> {
                write(chunk);
                finish();
            }
            case Download.Result.Refused refused -> {
                if (refused.refusal().reason() == Refusal.Reason.HASH) {
                    channel.close();
                    Files.deleteIfExists(part);
                }
            }
            case Download.Result.Ignored i -> {}
        }
        return r;
    }

    private void write(Chunk chunk) throws IOException {
        ByteBuffer data = chunk.getData().asReadOnlyByteBuffer();
        while (data.hasRemaining()) {
            channel.write(data);
        }
    }

    private void finish() throws IOException {
        channel.force(true);
        channel.close();
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException(target + ": the file system cannot rename atomically; keeping " + part.getFileName(), e);
        }
        DurableFiles.syncFolder(target.toAbsolutePath().getParent());
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
