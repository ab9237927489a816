package io.wattproof.ota.metadata;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Checks image bytes as they arrive against the length and SHA-256 of an {@link ImageEntry} (TUF
 * §5.7 "Verify the desired target against its targets metadata"). It refuses as soon as one byte
 * more than the announced length arrives, so an endless stream (TUF §1.5.2, "endless data
 * attacks") cannot fill the device's storage; at the end it checks the length and the hash. Once
 * refused it stays refused. Not thread-safe: one download feeds one checker.
 */
public final class ImageCheck {

    /** The state after a chunk: keep going, or stop and discard what was written. */
    public sealed interface Progress {
        record Continue(long received) implements Progress {}

        record Refused(Refusal refusal) implements Progress {}
    }

    private final ImageEntry image;
    private final MessageDigest digest;
    private long received;
    private Refusal refusal;
    private Verdict<ImageEntry> result;

    public ImageCheck(ImageEntry image) {
        this.image = image;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    public Progress feed(byte[] chunk) {
        return feed(chunk, 0, chunk.length);
    }

    public Progress feed(byte[] chunk, int offset, int length) {
        if (refusal != null) {
            return new Progress.Refused(refusal);
        }
        if (length > image.length() - received) {
            refusal = new Refusal(Refusal.Reason.LENGTH, "image length", image.length() + " bytes (" + image.name() + ")",
                    "more: " + received + " received and " + length + " more offered");
            return new Progress.Refused(refusal);
        }
        digest.update(chunk, offset, length);
        received += length;
        return new Progress.Continue(received);
    }

    /** The verdict on the whole image, when the download says it is complete; later calls repeat it. */
    public Verdict<ImageEntry> finish() {
        if (result == null) {
            result = verdict();
        }
        return result;
    }

    private Verdict<ImageEntry> verdict() {
        if (refusal != null) {
            return new Verdict.Refused<>(refusal);
        }
        if (received != image.length()) {
            refusal = new Refusal(Refusal.Reason.LENGTH, "image length", image.length() + " bytes (" + image.name() + ")", received + " bytes");
            return new Verdict.Refused<>(refusal);
        }
        byte[] actual = digest.digest();
        if (!MessageDigest.isEqual(actual, image.sha256())) {
            refusal = new Refusal(Refusal.Reason.HASH, "image sha256", "0x" + HexFormat.of().formatHex(image.sha256()) + " (" + image.name() + ")",
                    "0x" + HexFormat.of().formatHex(actual));
            return new Verdict.Refused<>(refusal);
        }
        return new Verdict.Accepted<>(image);
    }
}
