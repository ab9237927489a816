package io.wattproof.simulator.ledger.chain;

import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.Validator;
import io.wattproof.lightclient.types.ValidatorSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * The validator set at every height, fixed in advance so that {@code next_validators_hash} of a
 * header is always the {@code validators_hash} of the next one.
 *
 * <p>The rule: height 1 has {@code size} validators of power {@value #BASE_POWER}. When
 * {@code changeEvery} = H &gt; 0, the set changes at heights H, 2H, 3H, ... (change k at height kH,
 * in force from that height on); odd changes <em>rotate</em> (the validator that joined first
 * leaves and a fresh key joins with power {@value #BASE_POWER}), even changes <em>re-weight</em> (the
 * validator that joined last goes from {@value #BASE_POWER} to {@value #RAISED_POWER}, or back). A
 * one-validator set only re-weights: rotating it would leave nobody from the old set.
 *
 * <p>Why this keeps light clients working: one change at a time moves little power. A rotation
 * removes one validator whose power is at most {@value #RAISED_POWER} while at least one other of
 * at least {@value #BASE_POWER} stays, so with two validators at least 2/5 and with four at least
 * 2/3 of the old set's power is still there; a re-weighting keeps all of it. Skipping verification
 * (CometBFT light/verifier.go {@code VerifyNonAdjacent}, trust level 1/3) therefore succeeds
 * across any single change, and bisection handles longer jumps.
 *
 * <p>Thread-safe: epochs are computed on first use under the object's lock and kept (one per
 * change, a small list of validators each).
 */
public final class ValidatorSchedule {
    public static final long BASE_POWER = 10;
    public static final long RAISED_POWER = 15;

    private final int size;
    private final long changeEvery;
    private final LongFunction<ValidatorKey> keys;
    /** Epoch k: the members in joining order, in force from height max(1, k * changeEvery). */
    private final List<List<Member>> epochs = new ArrayList<>();
    private final List<ValidatorSet> sets = new ArrayList<>();
    private final Map<Bytes, ValidatorKey> byAddress = new HashMap<>();
    private long nextKeyIndex;

    private record Member(ValidatorKey key, long power) {}

    /**
     * @param size validators at genesis, ≥ 1
     * @param changeEvery H: a change at every multiple of H; 0 for a fixed set
     * @param keys the key of the n-th validator ever to join (n = 0, 1, 2, ...); must give distinct keys
     */
    public ValidatorSchedule(int size, long changeEvery, LongFunction<ValidatorKey> keys) {
        if (size < 1) {
            throw new IllegalArgumentException("validators: expected ≥ 1, got " + size);
        }
        if (changeEvery < 0) {
            throw new IllegalArgumentException("valsetChangeEvery: expected ≥ 0 (0 = never), got " + changeEvery);
        }
        this.size = size;
        this.changeEvery = changeEvery;
        this.keys = keys;
        List<Member> genesis = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            genesis.add(new Member(newKey(), BASE_POWER));
        }
        addEpoch(genesis);
    }

    /** The set at {@code height} (≥ 1), in CometBFT order, with the height's proposer. */
    public synchronized ValidatorSet validatorsAt(long height) {
        ValidatorSet set = sets.get(epochIndex(height));
        Validator proposer = proposerAt(set, height);
        return new ValidatorSet(set.validators(), Optional.of(proposer));
    }

    /** The key of the validator with {@code address}, if it ever was in the set. */
    public synchronized Optional<ValidatorKey> key(Bytes address) {
        return Optional.ofNullable(byAddress.get(address));
    }

    /**
     * The proposer of {@code height}: round-robin over the set in CometBFT order. A real network
     * picks by proposer priority (types/validator_set.go {@code IncrementProposerPriority}); any
     * member is a valid proposer for the light client.
     */
    private static Validator proposerAt(ValidatorSet set, long height) {
        return set.validators().get((int) Math.floorMod(height - 1, (long) set.size()));
    }

    /** Whether the set at {@code height} differs from the set at {@code height - 1}. */
    public boolean changesAt(long height) {
        return height > 1 && changeEvery > 0 && height % changeEvery == 0;
    }

    private int epochIndex(long height) {
        if (height < 1) {
            throw new IllegalArgumentException("height: expected ≥ 1, got " + height);
        }
        long index = changeEvery == 0 ? 0 : height / changeEvery;
        if (index > Integer.MAX_VALUE - 1) {
            throw new IllegalArgumentException("height " + height + " is beyond the schedule's " + Integer.MAX_VALUE + " changes");
        }
        while (epochs.size() <= index) {
            addEpoch(change(epochs.size(), epochs.get(epochs.size() - 1)));
        }
        return (int) index;
    }

    private List<Member> change(int k, List<Member> previous) {
        List<Member> next = new ArrayList<>(previous);
        if (k % 2 == 1 && next.size() >= 2) {
            next.remove(0);
            next.add(new Member(newKey(), BASE_POWER));
        } else {
            Member newest = next.remove(next.size() - 1);
            next.add(new Member(newest.key(), newest.power() == BASE_POWER ? RAISED_POWER : BASE_POWER));
        }
        return next;
    }

    private ValidatorKey newKey() {
        ValidatorKey key = keys.apply(nextKeyIndex++);
        if (byAddress.putIfAbsent(key.address(), key) != null) {
            throw new IllegalStateException("validator key " + (nextKeyIndex - 1) + " repeats address " + key.address().hex());
        }
        return key;
    }

    private void addEpoch(List<Member> members) {
        List<Validator> validators = new ArrayList<>();
        for (Member m : members) {
            validators.add(m.key().validator(m.power()));
        }
        epochs.add(List.copyOf(members));
        sets.add(new ValidatorSet(validators));
    }

    public int initialSize() {
        return size;
    }

    public long changeEvery() {
        return changeEvery;
    }
}
