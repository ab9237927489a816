package io.wattproof.ota.metadata;

import io.wattproof.ota.v1.Role;
import java.time.Instant;
import java.util.List;

/**
 * Root rotation, TUF §5.3 "Update the root metadata file": root version N+1 replaces the trusted version N
 * only when a threshold of N's keys and a threshold of its own keys signed it. The first condition
 * keeps an attacker without the old keys out; the second proves the new keys are held and usable,
 * so a mistyped key or threshold cannot lock the device out of all later updates.
 */
public final class RootUpdate {
    private RootUpdate() {}

    /**
     * One rotation, for a device that is one root behind: {@link #step} and then TUF's freeze
     * check on the new root (§5.3 "Check for a freeze attack").
     */
    public static Verdict<TrustedRoot> verify(TrustedRoot trusted, byte[] signedNewRoot, Instant now) {
        Verdict<TrustedRoot> step = step(trusted, signedNewRoot);
        if (step instanceof Verdict.Accepted<TrustedRoot> a && a.value().isExpiredAt(now)) {
            return expired(a.value(), now);
        }
        return step;
    }

    /**
     * Several rotations in order, for a device that is several roots behind: each must follow the
     * one before it, but only the last must be unexpired (TUF §5.3: "the expiration of the new
     * (intermediate) root metadata file does not matter yet"), because a device back from the shelf
     * must be able to walk the chain of roots that expired while it was away.
     */
    public static Verdict<TrustedRoot> verifyChain(TrustedRoot trusted, List<byte[]> signedNewRoots, Instant now) {
        TrustedRoot current = trusted;
        for (int i = 0; i < signedNewRoots.size(); i++) {
            switch (step(current, signedNewRoots.get(i))) {
                case Verdict.Refused<TrustedRoot> r -> {
                    Refusal why = r.refusal();
                    return new Verdict.Refused<>(new Refusal(why.reason(), "roots[" + i + "]." + why.field(), why.expected(), why.actual()));
                }
                case Verdict.Accepted<TrustedRoot> a -> current = a.value();
            }
        }
        return current.isExpiredAt(now) ? expired(current, now) : new Verdict.Accepted<>(current);
    }

    /** §5.3 "Check for an arbitrary software attack" and "Check for a rollback attack", no clock. */
    static Verdict<TrustedRoot> step(TrustedRoot trusted, byte[] signedNewRoot) {
        Envelope envelope;
        switch (Envelope.open(signedNewRoot, Role.ROLE_ROOT)) {
            case Verdict.Refused<Envelope> r -> {
                return new Verdict.Refused<>(r.refusal());
            }
            case Verdict.Accepted<Envelope> a -> envelope = a.value();
        }
        Bodies.RootContent next;
        switch (Bodies.root(envelope.body())) {
            case Verdict.Refused<Bodies.RootContent> r -> {
                return new Verdict.Refused<>(r.refusal());
            }
            case Verdict.Accepted<Bodies.RootContent> a -> next = a.value();
        }
        int oldSigners = envelope.countSigners(trusted.keys());
        if (oldSigners < trusted.threshold()) {
            return Verdict.refused(Refusal.Reason.THRESHOLD_NOT_MET, "signed.signatures",
                    trusted.threshold() + " distinct keys of trusted root version " + trusted.version(), oldSigners);
        }
        int newSigners = envelope.countSigners(next.keys());
        if (newSigners < next.threshold()) {
            return Verdict.refused(Refusal.Reason.THRESHOLD_NOT_MET, "signed.signatures",
                    next.threshold() + " distinct keys of new root version " + next.version(), newSigners);
        }
        // Exactly N+1: a lower number is a rollback to a root whose keys may since have leaked,
        // a higher one would skip a rotation whose old threshold we never checked.
        if (trusted.version() == Long.MAX_VALUE || next.version() != trusted.version() + 1) {
            Refusal.Reason reason = next.version() <= trusted.version() ? Refusal.Reason.ROLLBACK : Refusal.Reason.ROOT_VERSION_MISMATCH;
            return Verdict.refused(reason, "root.version", trusted.version() + 1 + " (trusted root version + 1)", next.version());
        }
        return new Verdict.Accepted<>(TrustedRoot.of(next, signedNewRoot));
    }

    private static Verdict<TrustedRoot> expired(TrustedRoot root, Instant now) {
        return Verdict.refused(Refusal.Reason.EXPIRED, "root.expires", "after now " + now, root.expires());
    }
}
