package io.wattproof.ota.metadata;

import java.time.Instant;
import java.util.List;

/**
 * Targets metadata that passed {@link TargetsCheck}: signed by a threshold of the trusted root's
 * keys, unexpired at the time of the check, not older than what the device trusted before.
 */
public final class VerifiedTargets {
    private final long version;
    private final Instant expires;
    private final long rootVersion;
    private final List<ImageEntry> images;
    private final LastTargets last;

    VerifiedTargets(Bodies.TargetsContent content, byte[] bodySha256) {
        this.version = content.version();
        this.expires = content.expires();
        this.rootVersion = content.rootVersion();
        this.images = content.images();
        this.last = new LastTargets(content.version(), bodySha256);
    }

    public long version() {
        return version;
    }

    public Instant expires() {
        return expires;
    }

    public long rootVersion() {
        return rootVersion;
    }

    public List<ImageEntry> images() {
        return images;
    }

    /** What the device stores once it acts on these targets, for the next {@link TargetsCheck}. */
    public LastTargets last() {
        return last;
    }

    @Override
    public String toString() {
        return "VerifiedTargets[version=" + version + ", expires=" + expires + ", rootVersion=" + rootVersion + ", images=" + images + "]";
    }
}
