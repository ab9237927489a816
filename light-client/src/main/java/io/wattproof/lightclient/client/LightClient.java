package io.wattproof.lightclient.client;

import io.wattproof.lightclient.MalformedInputException;
import io.wattproof.lightclient.encoding.Hashes;
import io.wattproof.lightclient.provider.LightBlockProvider;
import io.wattproof.lightclient.provider.ProviderException;
import io.wattproof.lightclient.store.BlockStatus;
import io.wattproof.lightclient.store.LightBlockRecords;
import io.wattproof.lightclient.store.LightStore;
import io.wattproof.lightclient.store.LightStoreException;
import io.wattproof.lightclient.store.StoredBlock;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.lightclient.types.ValidatorSet;
import io.wattproof.lightclient.verifier.Failure;
import io.wattproof.lightclient.verifier.Predicates;
import io.wattproof.lightclient.verifier.Verdict;
import io.wattproof.lightclient.verifier.Verifier;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;

/**
 * A CometBFT light client over a store, a primary provider and witnesses (CometBFT light/client.go;
 * tendermint-rs light-client {@code LightClient} and {@code ForkDetector}).
 *
 * <p>Forwards, a target above the latest trusted block is verified by <em>skipping with
 * bisection</em> ({@code verifySkipping}): try the target directly from the trusted block; on
 * NOT_ENOUGH_TRUST fetch the block halfway between and try that; each block that verifies is stored
 * VERIFIED and becomes the base, and the target is tried again from it. Blocks fetched within one
 * call are kept, so no height is fetched twice. Then each witness is asked for the target height;
 * the target becomes TRUSTED once they agree (at once when there are no witnesses).
 *
 * <p>Backwards, a target below the lowest trusted block is reached by hash links: each header's
 * {@code last_block_id.hash} names the header below it, so no signature is checked. Hash links do
 * not age, so this works from a trusted block whose trusting period has passed.
 *
 * <p>Not thread-safe, like the store it drives.
 */
public final class LightClient {
    private final LightStore store;
    private final LightBlockProvider primary;
    private final List<LightBlockProvider> witnesses;
    private final LightClientOptions options;
    private final Clock clock;
    private final Verifier verifier;
    /**
     * The last trusted block this client wrote or read, decoded: the next sync usually starts from
     * it, and decoding it again from the store each time cost a tenth of a 4-validator block's
     * verification. Only this client writes the store, so the block at a height does not change
     * behind its back.
     */
    private LightBlock trustedCache;

    public LightClient(LightStore store, LightBlockProvider primary, List<LightBlockProvider> witnesses,
            LightClientOptions options, Clock clock) {
        this(store, primary, witnesses, options, clock, new Verifier());
    }

    public LightClient(LightStore store, LightBlockProvider primary, List<LightBlockProvider> witnesses,
            LightClientOptions options, Clock clock, Verifier verifier) {
        this.store = Objects.requireNonNull(store, "store");
        this.primary = Objects.requireNonNull(primary, "primary");
        this.witnesses = List.copyOf(witnesses);
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
    }

    /**
     * Stores {@code anchor} as TRUSTED: the checkpoint installed at provisioning, trusted because the
     * operator says so. It must carry its next validator set (the base of the first skip), and both
     * sets must be the ones its header names.
     *
     * @throws IllegalArgumentException when the anchor is not self-consistent
     */
    public void initialise(LightBlock anchor) throws LightStoreException {
        ValidatorSet next = anchor.nextValidators().orElseThrow(() -> new IllegalArgumentException(
                "trust anchor at height " + anchor.height() + " has no next validator set"));
        Optional<Failure> f = Predicates.validatorSetMatches(anchor.header(), anchor.validators())
                .or(() -> Predicates.nextValidatorSetMatches(anchor.header(), next));
        if (f.isPresent()) {
            throw new IllegalArgumentException("trust anchor: " + f.get().describe());
        }
        store.put(LightBlockRecords.toStored(anchor, BlockStatus.TRUSTED));
        trustedCache = anchor;
    }

    /** The latest TRUSTED block in the store. */
    public Optional<LightBlock> latestTrusted() throws LightStoreException {
        Optional<StoredBlock> s = store.latest(BlockStatus.TRUSTED);
        return s.isEmpty() ? Optional.empty() : Optional.of(decode(s.get()));
    }

    /** Verifies the primary's latest block. */
    public SyncResult verifyToLatest() throws LightStoreException {
        LightBlock latest;
        try {
            latest = primary.latest();
        } catch (ProviderException e) {
            return new SyncResult.ProviderFailed(0, e);
        }
        Map<Long, LightBlock> fetched = new HashMap<>();
        fetched.put(latest.height(), latest);
        return sync(latest.height(), fetched);
    }

    /** Verifies the primary's block at {@code height} (≥ 1), forwards or backwards from the trusted blocks. */
    public SyncResult verifyTo(long height) throws LightStoreException {
        if (height < 1) {
            throw new IllegalArgumentException("height: expected ≥ 1, got " + height);
        }
        return sync(height, new HashMap<>());
    }

    private SyncResult sync(long height, Map<Long, LightBlock> fetched) throws LightStoreException {
        NavigableMap<Long, BlockStatus> statuses = store.statuses();
        if (statuses.get(height) == BlockStatus.TRUSTED) {
            LightBlock known = trusted(height);
            LightBlock sent = fetched.get(height);
            if (sent != null) {
                // verifyToLatest: the primary's latest is a height we trust; it must be the same block
                // (light/client.go compares the primary's header with the trusted one the same way).
                Bytes trustedHash = Hashes.header(known.header());
                Bytes sentHash = Hashes.header(sent.header());
                if (!sentHash.equals(trustedHash)) {
                    return new SyncResult.Invalid(height, primary.id(), new Failure.ConflictsWithTrusted(height, trustedHash, sentHash));
                }
            }
            return new SyncResult.Verified(known, BlockStatus.TRUSTED, List.of());
        }
        Optional<Long> below = trustedAtOrBelow(statuses, height);
        SyncResult result;
        if (below.isPresent()) {
            result = forwards(trusted(below.get()), height, fetched);
        } else {
            Optional<Long> above = trustedAbove(statuses, height);
            if (above.isEmpty()) {
                return new SyncResult.NotInitialised();
            }
            result = backwards(trusted(above.get()), height, fetched);
        }
        if (result instanceof SyncResult.Verified) {
            store.prune(options.keepBlocks());
        }
        return result;
    }

    private SyncResult forwards(LightBlock trusted, long height, Map<Long, LightBlock> fetched) throws LightStoreException {
        Instant now = clock.instant();
        Optional<Failure> expired = Predicates.isWithinTrustingPeriod(trusted.header(),
                options.verification().trustingPeriod(), now);
        if (expired.isPresent()) {
            return new SyncResult.TrustExpired((Failure.TrustedHeaderExpired) expired.get());
        }
        List<Long> stored = new ArrayList<>();
        Bisection primaryRun = bisect(trusted, height, new Fetcher(primary, fetched), now, block -> {
            store.put(LightBlockRecords.toStored(block, BlockStatus.VERIFIED));
            stored.add(block.height());
        });
        LightBlock target;
        switch (primaryRun) {
            case Bisection.Verified v -> target = v.block();
            case Bisection.Refused r -> {
                if (r.reason() instanceof Failure.TrustedHeaderExpired e) {
                    return new SyncResult.TrustExpired(e);
                }
                return new SyncResult.Invalid(r.height(), primary.id(), r.reason());
            }
            case Bisection.FetchFailed f -> {
                return new SyncResult.ProviderFailed(f.height(), f.error());
            }
        }
        List<WitnessReport> reports = new ArrayList<>();
        for (LightBlockProvider w : witnesses) {
            WitnessReport report = crossCheck(w, trusted, target, now);
            reports.add(report);
            if (report instanceof WitnessReport.Conflicting c) {
                // Refuse to advance: neither branch can be trusted until a person has looked.
                for (long h : stored) {
                    store.setStatus(h, BlockStatus.FAILED);
                }
                store.put(LightBlockRecords.toStored(target, BlockStatus.FAILED));
                return new SyncResult.ForkDetected(c.evidence(), reports);
            }
        }
        boolean confirmed = witnesses.isEmpty() || reports.stream().anyMatch(r -> r instanceof WitnessReport.Agreed);
        // Written once, with the status the witnesses decided: with the file store every write is two
        // fsyncs, and a crash before it only means the block is fetched and verified again.
        store.put(LightBlockRecords.toStored(target, confirmed ? BlockStatus.TRUSTED : BlockStatus.VERIFIED));
        if (confirmed) {
            trustedCache = target;
        }
        return new SyncResult.Verified(target, confirmed ? BlockStatus.TRUSTED : BlockStatus.VERIFIED, reports);
    }

    /**
     * light/detector.go {@code detectDivergence}, for the target height only: the witness's header
     * either equals the primary's, or it is verified from the same trusted block the primary's was;
     * a conflicting header that verifies is a fork.
     */
    private WitnessReport crossCheck(LightBlockProvider w, LightBlock trusted, LightBlock target, Instant now)
            throws LightStoreException {
        Fetcher fetcher = new Fetcher(w, new HashMap<>());
        LightBlock theirs;
        try {
            theirs = fetcher.fetch(target.height());
        } catch (ProviderException e) {
            return new WitnessReport.Unavailable(w.id(), e);
        }
        Bytes ours = Hashes.header(target.header());
        if (Hashes.header(theirs.header()).equals(ours)) {
            return new WitnessReport.Agreed(w.id());
        }
        Bisection run = bisect(trusted, target.height(), fetcher, now, block -> {});
        return switch (run) {
            case Bisection.Verified v -> new WitnessReport.Conflicting(w.id(), new ForkEvidence(target.height(), primary.id(),
                    target.signedHeader(), true, w.id(), theirs.signedHeader(), true, Optional.empty()));
            case Bisection.Refused r -> new WitnessReport.Faulty(w.id(), new ForkEvidence(target.height(), primary.id(),
                    target.signedHeader(), true, w.id(), theirs.signedHeader(), false, Optional.of(r.reason())), r.reason());
            case Bisection.FetchFailed f -> new WitnessReport.Unavailable(w.id(), f.error());
        };
    }

    /** What one bisection came to. */
    private sealed interface Bisection {
        record Verified(LightBlock block) implements Bisection {}

        record Refused(long height, Failure reason) implements Bisection {}

        record FetchFailed(long height, ProviderException error) implements Bisection {}
    }

    @FunctionalInterface
    private interface OnVerified {
        void accept(LightBlock block) throws LightStoreException;
    }

    /**
     * light/client.go {@code verifySkipping}. {@code pending} holds fetched blocks of decreasing
     * height, the target first; {@code depth} is the one being tried. After a block verifies, the
     * target is tried first again from it: a fetched block is never fetched again, and reaching
     * the target from the new base costs no fetch at all.
     */
    private Bisection bisect(LightBlock trusted, long targetHeight, Fetcher fetcher, Instant now, OnVerified onIntermediate)
            throws LightStoreException {
        LightBlock base = trusted;
        List<LightBlock> pending = new ArrayList<>();
        try {
            pending.add(fetcher.fetch(targetHeight));
        } catch (ProviderException e) {
            return new Bisection.FetchFailed(targetHeight, e);
        }
        if (base.nextValidators().isEmpty()) {
            try {
                base = fetcher.withNextValidators(base);
            } catch (ProviderException e) {
                return new Bisection.FetchFailed(base.height() + 1, e);
            } catch (NextSetMismatch e) {
                return new Bisection.Refused(base.height() + 1, e.failure);
            }
        }
        int depth = 0;
        while (true) {
            LightBlock candidate = pending.get(depth);
            Verdict verdict = verifier.verify(base, candidate, options.verification(), now);
            switch (verdict) {
                case Verdict.Success s -> {
                    if (depth == 0) {
                        return new Bisection.Verified(candidate);
                    }
                    try {
                        base = fetcher.withNextValidators(candidate);
                    } catch (ProviderException e) {
                        return new Bisection.FetchFailed(candidate.height() + 1, e);
                    } catch (NextSetMismatch e) {
                        return new Bisection.Refused(candidate.height(), e.failure);
                    }
                    onIntermediate.accept(base);
                    pending.subList(depth, pending.size()).clear();
                    depth = 0;
                }
                case Verdict.NotEnoughTrust n -> {
                    if (depth == pending.size() - 1) {
                        // Adjacent verification never answers NOT_ENOUGH_TRUST, so there is a height between.
                        long pivot = base.height() + (candidate.height() - base.height()) / 2;
                        try {
                            pending.add(fetcher.fetch(pivot));
                        } catch (ProviderException e) {
                            return new Bisection.FetchFailed(pivot, e);
                        }
                    }
                    depth++;
                }
                case Verdict.Invalid i -> {
                    return new Bisection.Refused(candidate.height(), i.reason());
                }
            }
        }
    }

    /**
     * light/client.go {@code backwards}: from the trusted block down to {@code height}, each header
     * must be the one its upper neighbour names in {@code last_block_id}. The target's validator
     * sets must be the ones its header names; its commit is covered by no hash link and not checked.
     */
    private SyncResult backwards(LightBlock trusted, long height, Map<Long, LightBlock> fetched) throws LightStoreException {
        Fetcher fetcher = new Fetcher(primary, fetched);
        LightBlock higher = trusted;
        while (higher.height() > height) {
            long h = higher.height() - 1;
            LightBlock lower;
            try {
                lower = fetcher.fetch(h);
            } catch (ProviderException e) {
                return new SyncResult.ProviderFailed(h, e);
            }
            Optional<Failure> link = Predicates.isHashLinked(lower.header(), higher.header());
            if (link.isPresent()) {
                return new SyncResult.Invalid(h, primary.id(), link.get());
            }
            higher = lower;
        }
        LightBlock target = higher;
        Optional<Failure> sets = Predicates.validatorSetMatches(target.header(), target.validators())
                .or(() -> target.nextValidators().flatMap(n -> Predicates.nextValidatorSetMatches(target.header(), n)));
        if (sets.isPresent()) {
            return new SyncResult.Invalid(height, primary.id(), sets.get());
        }
        store.put(LightBlockRecords.toStored(target, BlockStatus.TRUSTED));
        trustedCache = target;
        return new SyncResult.Verified(target, BlockStatus.TRUSTED, List.of());
    }

    private static Optional<Long> trustedAtOrBelow(NavigableMap<Long, BlockStatus> statuses, long height) {
        for (Entry<Long, BlockStatus> e : statuses.headMap(height, true).descendingMap().entrySet()) {
            if (e.getValue() == BlockStatus.TRUSTED) {
                return Optional.of(e.getKey());
            }
        }
        return Optional.empty();
    }

    private static Optional<Long> trustedAbove(NavigableMap<Long, BlockStatus> statuses, long height) {
        for (Entry<Long, BlockStatus> e : statuses.tailMap(height, false).entrySet()) {
            if (e.getValue() == BlockStatus.TRUSTED) {
                return Optional.of(e.getKey());
            }
        }
        return Optional.empty();
    }

    private LightBlock trusted(long height) throws LightStoreException {
        if (trustedCache == null || trustedCache.height() != height) {
            trustedCache = decode(store.get(height).orElseThrow(() ->
                    new LightStoreException("light store: block " + height + " vanished while in use")));
        }
        return trustedCache;
    }

    private LightBlock decode(StoredBlock s) throws LightStoreException {
        try {
            return LightBlockRecords.fromStored(s);
        } catch (MalformedInputException e) {
            throw new LightStoreException("light store: block at height " + s.height() + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** A verified block's next validator set is not the one its header names. */
    private static final class NextSetMismatch extends Exception {
        final Failure failure;

        NextSetMismatch(Failure failure) {
            super(failure.describe(), null, false, false);
            this.failure = failure;
        }
    }

    /** One provider's blocks within one call, each height fetched at most once. */
    private static final class Fetcher {
        private final LightBlockProvider provider;
        private final Map<Long, LightBlock> cache;

        Fetcher(LightBlockProvider provider, Map<Long, LightBlock> cache) {
            this.provider = provider;
            this.cache = cache;
        }

        LightBlock fetch(long height) throws ProviderException {
            LightBlock cached = cache.get(height);
            if (cached != null) {
                return cached;
            }
            LightBlock block = provider.lightBlock(height);
            if (block.height() != height) {
                throw new ProviderException.BadResponse(provider.id(), "asked for height " + height + ", got "
                        + block.height(), null);
            }
            cache.put(height, block);
            return block;
        }

        /**
         * The block with its next validator set, which a skip from it needs: the provider's if it
         * sent one (the verifier has checked it against {@code next_validators_hash}), otherwise the
         * validator set of the block above, checked here.
         */
        LightBlock withNextValidators(LightBlock block) throws ProviderException, NextSetMismatch {
            if (block.nextValidators().isPresent()) {
                return block;
            }
            ValidatorSet next = fetch(block.height() + 1).validators();
            Optional<Failure> f = Predicates.nextValidatorSetMatches(block.header(), next);
            if (f.isPresent()) {
                throw new NextSetMismatch(f.get());
            }
            return block.withNextValidators(next);
        }
    }
}
