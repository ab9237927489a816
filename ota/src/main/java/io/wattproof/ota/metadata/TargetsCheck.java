package io.wattproof.ota.metadata;

import io.wattproof.ota.v1.Role;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Verification of targets metadata against the trusted root, TUF §5.6 "Download the top-level targets metadata file"
 * with the snapshot and timestamp roles folded in: the device remembers the last targets version
 * and body hash itself ({@link LastTargets}) instead of learning them from snapshot metadata.
 */
public final class TargetsCheck {
    private TargetsCheck() {}

    public static Verdict<VerifiedTargets> verify(TrustedRoot root, byte[] signedTargets, Instant now, LastTargets last) {
        // §5.3 "Check for a freeze attack" on the trusted root: an attacker withholding new roots
        // can hold the device back only until the root it has expires.
        if (root.isExpiredAt(now)) {
            return Verdict.refused(Refusal.Reason.EXPIRED, "root.expires", "after now " + now, root.expires());
        }
        Envelope envelope;
        switch (Envelope.open(signedTargets, Role.ROLE_TARGETS)) {
            case Verdict.Refused<Envelope> r -> {
                return new Verdict.Refused<>(r.refusal());
            }
            case Verdict.Accepted<Envelope> a -> envelope = a.value();
        }
        // §5.6 "Check for an arbitrary software attack": only keys of the trusted root count, so a
        // key that a rotation removed (revoked) signs nothing any more.
        int signers = envelope.countSigners(root.keys());
        if (signers < root.threshold()) {
            return Verdict.refused(Refusal.Reason.THRESHOLD_NOT_MET, "signed.signatures",
                    root.threshold() + " distinct keys of root version " + root.version(), signers);
        }
        Bodies.TargetsContent content;
        switch (Bodies.targets(envelope.body())) {
            case Verdict.Refused<Bodies.TargetsContent> r -> {
                return new Verdict.Refused<>(r.refusal());
            }
            case Verdict.Accepted<Bodies.TargetsContent> a -> content = a.value();
        }
        // Targets name the root they were made under: after a rotation the release must be signed
        // again, so targets signed before a key was revoked cannot be replayed under the new root.
        if (content.rootVersion() != root.version()) {
            return Verdict.refused(Refusal.Reason.ROOT_VERSION_MISMATCH, "targets.root_version", root.version(), content.rootVersion());
        }
        // §5.6 "Check for a freeze attack".
        if (!now.isBefore(content.expires())) {
            return Verdict.refused(Refusal.Reason.EXPIRED, "targets.expires", "after now " + now, content.expires());
        }
        // §5.5 "Check for a rollback attack" (on snapshot, here on targets): never an older
        // version; and one version has one body, or an attacker could mix images of two signed
        // releases of the same number (§5.6 "Check against snapshot metadata": mix-and-match).
        if (content.version() < last.version()) {
            return Verdict.refused(Refusal.Reason.ROLLBACK, "targets.version", "≥ " + last.version() + " (the last trusted targets version)",
                    content.version());
        }
        byte[] bodySha256 = sha256(envelope.body());
        if (content.version() == last.version() && !MessageDigest.isEqual(bodySha256, last.bodySha256())) {
            return Verdict.refused(Refusal.Reason.MIX_AND_MATCH, "targets body sha256",
                    "0x" + HexFormat.of().formatHex(last.bodySha256()) + " (the trusted body of version " + last.version()
                            + ", or a higher version)", "0x" + HexFormat.of().formatHex(bodySha256));
        }
        return new Verdict.Accepted<>(new VerifiedTargets(content, bodySha256));
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
