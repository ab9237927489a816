package io.wattproof.lightclient.client;

import io.wattproof.lightclient.provider.ProviderException;
import io.wattproof.lightclient.store.BlockStatus;
import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.lightclient.verifier.Failure;
import java.util.List;

/** The outcome of {@link LightClient#verifyTo} and {@link LightClient#verifyToLatest}. */
public sealed interface SyncResult {

    /**
     * The block at the height asked for is verified and stored with {@code status}: TRUSTED when
     * every witness that answered agreed and at least one did (or no witness is configured), or
     * when it was reached by hash links from a trusted block; VERIFIED when witnesses were
     * configured but none could confirm it ({@code witnesses} says why).
     */
    record Verified(LightBlock block, BlockStatus status, List<WitnessReport> witnesses) implements SyncResult {
        public Verified {
            witnesses = List.copyOf(witnesses);
        }
    }

    /** The primary could not deliver the block at {@code height} (0: its latest); nothing was decided about it. */
    record ProviderFailed(long height, ProviderException error) implements SyncResult {}

    /** The primary's block at {@code height} is provably wrong; it was not stored as verified. */
    record Invalid(long height, String provider, Failure reason) implements SyncResult {}

    /**
     * A witness holds a different block at the height that verifies from the same trusted block.
     * The client did not advance: the blocks of this sync are marked FAILED.
     */
    record ForkDetected(ForkEvidence evidence, List<WitnessReport> witnesses) implements SyncResult {
        public ForkDetected {
            witnesses = List.copyOf(witnesses);
        }
    }

    /** The trusted block to start from is older than the trusting period: a new trust anchor is needed. */
    record TrustExpired(Failure.TrustedHeaderExpired reason) implements SyncResult {}

    /** The store holds no trusted block: {@link LightClient#initialise} first. */
    record NotInitialised() implements SyncResult {}

    /** One line for logs, lower case, with the values that decided it. */
    default String describe() {
        return switch (this) {
            case Verified v -> "verified height " + v.block().height() + " (" + v.status() + ")";
            case ProviderFailed p -> "primary failed at height " + p.height() + ": " + p.error().getMessage();
            case Invalid i -> "block at height " + i.height() + " from " + i.provider() + " is invalid: " + i.reason().describe();
            case ForkDetected f -> "fork detected " + f.evidence().describe();
            case TrustExpired t -> t.reason().describe();
            case NotInitialised n -> "no trusted block in the store";
        };
    }
}
