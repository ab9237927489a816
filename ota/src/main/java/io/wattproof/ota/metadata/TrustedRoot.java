package io.wattproof.ota.metadata;

import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.VerifyingKey;
import io.wattproof.ota.v1.Role;
import java.time.Instant;
import java.util.Map;

/**
 * The root the device trusts: the release keys and their threshold. The first one is installed at
 * provisioning ({@link #provision}); later ones come only from {@link RootUpdate}. Holds the
 * Signed bytes it came from, for the device to store and reload.
 */
public final class TrustedRoot {
    private final long version;
    private final Instant expires;
    private final Map<DeviceId, VerifyingKey> keys;
    private final int threshold;
    private final byte[] signed;

    private TrustedRoot(Bodies.RootContent content, byte[] signed) {
        this.version = content.version();
        this.expires = content.expires();
        this.keys = content.keys();
        this.threshold = content.threshold();
        this.signed = signed.clone();
    }

    /**
     * The root shipped with the device or written at provisioning, trusted because of how it
     * arrived (TUF §5.2 "Load the trusted root metadata file"), or reloaded from the device's own
     * storage. It must still be well formed and signed by a threshold of its own keys, so a
     * damaged or mistaken file is refused rather than trusted. Its expiry is not checked here: a
     * device that was on the shelf past it must still be able to rotate to a newer root (TUF §5.2:
     * "the expiration of the trusted root metadata file does not matter"); {@link TargetsCheck}
     * refuses targets while the trusted root is expired.
     */
    public static Verdict<TrustedRoot> provision(byte[] signedRoot) {
        return switch (Envelope.open(signedRoot, Role.ROLE_ROOT)) {
            case Verdict.Refused<Envelope> r -> new Verdict.Refused<>(r.refusal());
            case Verdict.Accepted<Envelope> a -> switch (Bodies.root(a.value().body())) {
                case Verdict.Refused<Bodies.RootContent> r -> new Verdict.Refused<>(r.refusal());
                case Verdict.Accepted<Bodies.RootContent> content -> {
                    int signers = a.value().countSigners(content.value().keys());
                    yield signers < content.value().threshold()
                            ? Verdict.refused(Refusal.Reason.THRESHOLD_NOT_MET, "signed.signatures",
                                    content.value().threshold() + " distinct keys of root version " + content.value().version(),
                                    signers)
                            : new Verdict.Accepted<>(new TrustedRoot(content.value(), signedRoot));
                }
            };
        };
    }

    static TrustedRoot of(Bodies.RootContent content, byte[] signed) {
        return new TrustedRoot(content, signed);
    }

    public long version() {
        return version;
    }

    public Instant expires() {
        return expires;
    }

    /** The release keys by key id; a key not in here does not count toward any threshold. */
    public Map<DeviceId, VerifyingKey> keys() {
        return keys;
    }

    public int threshold() {
        return threshold;
    }

    /** The Signed bytes this root was verified from, to be stored as they are. */
    public byte[] signed() {
        return signed.clone();
    }

    /** TUF's freeze check: metadata is valid strictly before its expiry. */
    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expires);
    }

    @Override
    public String toString() {
        return "TrustedRoot[version=" + version + ", expires=" + expires + ", keys=" + keys.keySet() + ", threshold=" + threshold + "]";
    }
}
