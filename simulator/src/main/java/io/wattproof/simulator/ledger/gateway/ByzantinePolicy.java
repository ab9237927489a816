package io.wattproof.simulator.ledger.gateway;

import io.wattproof.lightclient.tx.TxProof;
import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.protocol.v1.TxResultCode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Decides, answer by answer, whether a gateway lies (the simulator's {@code --byzantine-gateway}):
 * with probability {@code rate} a light-block response to a request carries a forged header, and a
 * receipt with a proof either carries a bad proof, carries a wrong result code, or is withheld. The retained latest block and
 * receipts without a proof (refusals) are always honest. Draws come from one {@link Random} seeded
 * by the caller, so a run can be replayed. Thread-safe.
 */
public final class ByzantinePolicy {

    /** The kinds of lies (docs/ledger.md, "Gateway"). */
    public enum Lie {
        FORGED_HEADER,
        BAD_PROOF,
        WITHHELD_RECEIPT,
        /** The receipt's code is changed (accepted ↔ refused) while both proofs stay honest. */
        WRONG_RESULT
    }

    /** What to do with one receipt that carries a proof. */
    public sealed interface ReceiptAnswer {
        record Honest() implements ReceiptAnswer {}

        record Withhold() implements ReceiptAnswer {}

        record BadProof(TxProof proof, Forgery.ProofLie lie) implements ReceiptAnswer {}

        /** Send {@code code} instead of the block's result code; the proofs are kept as they are. */
        record WrongResult(int code) implements ReceiptAnswer {}
    }

    private static final ByzantinePolicy HONEST = new ByzantinePolicy(0, 0.0, EnumSet.noneOf(Lie.class));

    private final Random random;
    private final double rate;
    private final Set<Lie> lies;

    private ByzantinePolicy(long seed, double rate, Set<Lie> lies) {
        if (!(rate >= 0.0 && rate <= 1.0)) {
            throw new IllegalArgumentException("rate: expected 0.0 .. 1.0, got " + rate);
        }
        this.random = new Random(seed);
        this.rate = rate;
        this.lies = lies.isEmpty() ? EnumSet.noneOf(Lie.class) : EnumSet.copyOf(lies);
    }

    /** Never lies. */
    public static ByzantinePolicy honest() {
        return HONEST;
    }

    /** Tells every kind of lie, each answer with probability {@code rate}. */
    public static ByzantinePolicy lying(long seed, double rate) {
        return new ByzantinePolicy(seed, rate, EnumSet.allOf(Lie.class));
    }

    /** Tells only the given kinds of lies, each answer with probability {@code rate}. */
    public static ByzantinePolicy lying(long seed, double rate, Set<Lie> lies) {
        return new ByzantinePolicy(seed, rate, lies);
    }

    public boolean isHonest() {
        return rate == 0.0 || lies.isEmpty();
    }

    public double rate() {
        return rate;
    }

    public Set<Lie> lies() {
        return lies.isEmpty() ? Set.of() : EnumSet.copyOf(lies);
    }

    /** A forged version of the answer to a light-block request, or empty to answer honestly. */
    public synchronized Optional<LightBlock> lightBlockAnswer(LightBlock honest) {
        if (!lies.contains(Lie.FORGED_HEADER) || !draw()) {
            return Optional.empty();
        }
        Forgery.HeaderField[] fields = Forgery.HeaderField.values();
        return Optional.of(Forgery.forgeHeader(honest, fields[random.nextInt(fields.length)]));
    }

    /**
     * What to do with the receipt whose honest proof is {@code honest}; {@code sameBlock} are the
     * proofs of the block's other transactions (a source for {@link Forgery.ProofLie#OTHER_TX_PROOF}).
     */
    public synchronized ReceiptAnswer receiptAnswer(TxProof honest, List<TxProof> sameBlock) {
        return receiptAnswer(honest, sameBlock, 0);
    }

    /** {@link #receiptAnswer(TxProof, List)} for a receipt whose honest result code is {@code honestCode}. */
    public synchronized ReceiptAnswer receiptAnswer(TxProof honest, List<TxProof> sameBlock, int honestCode) {
        List<Lie> kinds = new ArrayList<>(3);
        if (lies.contains(Lie.BAD_PROOF)) {
            kinds.add(Lie.BAD_PROOF);
        }
        if (lies.contains(Lie.WITHHELD_RECEIPT)) {
            kinds.add(Lie.WITHHELD_RECEIPT);
        }
        if (lies.contains(Lie.WRONG_RESULT)) {
            kinds.add(Lie.WRONG_RESULT);
        }
        if (kinds.isEmpty() || !draw()) {
            return new ReceiptAnswer.Honest();
        }
        Lie kind = kinds.get(random.nextInt(kinds.size()));
        if (kind == Lie.WITHHELD_RECEIPT) {
            return new ReceiptAnswer.Withhold();
        }
        if (kind == Lie.WRONG_RESULT) {
            // An accepted transaction reported refused, a refused one reported accepted.
            return new ReceiptAnswer.WrongResult(honestCode == 0 ? TxResultCode.RESULT_INVALID_VALUE : 0);
        }
        List<Forgery.ProofLie> possible = new ArrayList<>(3);
        if (!honest.aunts().isEmpty()) {
            possible.add(Forgery.ProofLie.FLIP_AUNT);
        }
        if (!honest.leafHash().isEmpty()) {
            possible.add(Forgery.ProofLie.FLIP_LEAF_HASH);
        }
        TxProof other = null;
        for (TxProof p : sameBlock) {
            if (!p.data().equals(honest.data())) {
                other = p;
                possible.add(Forgery.ProofLie.OTHER_TX_PROOF);
                break;
            }
        }
        if (possible.isEmpty()) {
            // Nothing in the proof to spoil (an empty leaf hash and no aunts): keep the lie, withhold.
            return new ReceiptAnswer.Withhold();
        }
        Forgery.ProofLie lie = possible.get(random.nextInt(possible.size()));
        return new ReceiptAnswer.BadProof(Forgery.badProof(honest, lie, random.nextInt(Integer.MAX_VALUE), other), lie);
    }

    private boolean draw() {
        return rate >= 1.0 || random.nextDouble() < rate;
    }

    @Override
    public String toString() {
        return isHonest() ? "honest" : "byzantine(rate=" + rate + ", lies=" + lies + ")";
    }
}
