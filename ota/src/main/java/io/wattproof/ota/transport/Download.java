package io.wattproof.ota.transport;

import com.google.protobuf.InvalidProtocolBufferException;
import io.wattproof.ota.metadata.ImageCheck;
import io.wattproof.ota.metadata.ImageEntry;
import io.wattproof.ota.metadata.Refusal;
import io.wattproof.ota.metadata.Verdict;
import io.wattproof.ota.v1.Chunk;
import io.wattproof.ota.v1.ChunkRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * The download of one image as a state machine: no clock, no file, no channel. Bytes are taken
 * strictly in order: only a chunk that starts exactly where the received bytes end advances it;
 * any other chunk (another image, an offset already received, a gap) is ignored and the same
 * request can be sent again. Every byte is fed to an {@link ImageCheck}, so more bytes than the
 * announced length are refused before they are accepted (TUF §1.5.2, endless data attacks), and
 * the whole image is accepted only when its length and SHA-256 match (TUF §5.7). A refusal is
 * final. Not thread-safe.
 */
public final class Download {

    /** Default chunk size: small enough to buffer on a meter, large enough to keep the overhead of a message low. */
    public static final int DEFAULT_CHUNK_SIZE = 64 * 1024;

    /** What a chunk did. The caller writes a chunk's data only after Progress or Done. */
    public sealed interface Result {
        /** The data was accepted; {@code received} bytes are now held. */
        record Progress(long received) implements Result {}

        /** The data was accepted and completes the image, whose length and SHA-256 match. */
        record Done(ImageEntry image) implements Result {}

        /** Nothing changed: the chunk is not the next one of this image, or not a chunk at all. */
        record Ignored(String reason) implements Result {}

        /** The download is over: discard it (for a hash refusal, with every byte received). */
        record Refused(Refusal refusal) implements Result {}
    }

    /** Opening a resumed download: the prefix was fed, or it could not belong to the image. */
    public sealed interface Resumed {
        record Ready(Download download) implements Resumed {}

        record Refused(Refusal refusal) implements Resumed {}
    }

    private final ImageEntry image;
    private final int chunkSize;
    private final ImageCheck check;
    private long received;
    private Result end;

    private Download(ImageEntry image, int chunkSize) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size: expected 1 or more, got " + chunkSize);
        }
        this.image = image;
        this.chunkSize = chunkSize;
        this.check = new ImageCheck(image);
    }

    /** A download from the first byte. */
    public static Download start(ImageEntry image, int chunkSize) {
        return new Download(image, chunkSize);
    }

    /**
     * A download that continues after the bytes a previous one kept (read from {@code prefix} to
     * its end). They are hashed again, since the digest's state is not kept; a prefix longer than
     * the image is refused. A prefix of exactly the image's length is judged at once: the result
     * is then a download that is {@link #complete()}, or a hash refusal.
     */
    public static Resumed resume(ImageEntry image, int chunkSize, InputStream prefix) throws IOException {
        Download d = new Download(image, chunkSize);
        byte[] buffer = new byte[Math.min(chunkSize, 64 * 1024)];
        for (int n; (n = prefix.read(buffer)) != -1; ) {
            if (check(d.check.feed(buffer, 0, n)) instanceof Refusal why) {
                return new Resumed.Refused(new Refusal(why.reason(), "resumed prefix length", "at most " + image.length() + " bytes (" + image.name() + ")",
                        "more: " + d.received + " read and " + n + " more"));
            }
            d.received += n;
        }
        if (d.received == image.length()) {
            Result r = d.finish();
            if (r instanceof Result.Refused refused) {
                return new Resumed.Refused(refused.refusal());
            }
        }
        return new Resumed.Ready(d);
    }

    private static Refusal check(ImageCheck.Progress p) {
        return p instanceof ImageCheck.Progress.Refused r ? r.refusal() : null;
    }

    public ImageEntry image() {
        return image;
    }

    public long received() {
        return received;
    }

    /** True once every byte is received and verified. */
    public boolean complete() {
        return end instanceof Result.Done;
    }

    /** The request for the next missing bytes; empty once the download is complete or refused. */
    public Optional<ChunkRequest> nextRequest() {
        if (end != null) {
            return Optional.empty();
        }
        long remaining = image.length() - received;
        return Optional.of(ChunkRequest.newBuilder()
                .setImageName(image.name())
                .setImageVersion(image.version())
                .setOffset(received)
                .setMaxLength((int) Math.min(chunkSize, remaining))
                .build());
    }

    /** A chunk as it came off the wire: bytes that do not parse are ignored, never thrown. */
    public Result accept(byte[] wire) {
        Chunk chunk;
        try {
            chunk = Chunk.parseFrom(wire);
        } catch (InvalidProtocolBufferException e) {
            return new Result.Ignored("malformed Chunk (" + wire.length + " bytes): " + e.getMessage());
        }
        return accept(chunk);
    }

    public Result accept(Chunk chunk) {
        if (end instanceof Result.Refused) {
            return end;
        }
        if (!chunk.getImageName().equals(image.name()) || chunk.getImageVersion() != image.version()) {
            return new Result.Ignored("chunk of image '" + chunk.getImageName() + "' version " + Long.toUnsignedString(chunk.getImageVersion())
                    + ", expected '" + image.name() + "' version " + image.version());
        }
        if (end != null) {
            return new Result.Ignored("image already complete");
        }
        // uint64 on the wire: an offset at or above 2^63 reads as negative and is not ours either.
        long offset = chunk.getOffset();
        if (offset != received) {
            return new Result.Ignored("chunk offset: expected " + received + ", got " + Long.toUnsignedString(offset)
                    + (Long.compareUnsigned(offset, received) < 0 ? " (already received)" : " (a gap)"));
        }
        int n = chunk.getData().size();
        if (n > image.length() - received) {
            return refuse(new Refusal(Refusal.Reason.LENGTH, "image length", image.length() + " bytes (" + image.name() + ")",
                    "more: " + received + " received and " + n + " more offered at offset " + offset));
        }
        if (n == 0 && !chunk.getLast()) {
            return new Result.Ignored("empty chunk at offset " + offset);
        }
        if (chunk.getLast() && received + n < image.length()) {
            return refuse(new Refusal(Refusal.Reason.LENGTH, "image length", image.length() + " bytes (" + image.name() + ")",
                    (received + n) + " bytes when the sender said last"));
        }
        if (check(check.feed(chunk.getData().toByteArray())) instanceof Refusal why) {
            return refuse(why);
        }
        received += n;
        if (received == image.length()) {
            return finish();
        }
        return new Result.Progress(received);
    }

    private Result finish() {
        end = switch (check.finish()) {
            case Verdict.Accepted<ImageEntry> a -> new Result.Done(a.value());
            case Verdict.Refused<ImageEntry> r -> new Result.Refused(r.refusal());
        };
        return end;
    }

    private Result refuse(Refusal why) {
        end = new Result.Refused(why);
        return end;
    }
}
