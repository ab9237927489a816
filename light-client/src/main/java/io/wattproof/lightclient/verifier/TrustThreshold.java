package io.wattproof.lightclient.verifier;

import java.math.BigInteger;

/**
 * The fraction of a trusted validator set's voting power that must have signed a header for it to
 * be trusted when skipping (CometBFT light/verifier.go, {@code TrustLevel}). CometBFT accepts
 * fractions in [1/3, 1]; below 1/3 a header could be signed by faulty validators alone.
 */
public record TrustThreshold(long numerator, long denominator) {
    public static final TrustThreshold ONE_THIRD = new TrustThreshold(1, 3);
    public static final TrustThreshold TWO_THIRDS = new TrustThreshold(2, 3);

    public TrustThreshold {
        if (denominator <= 0 || numerator <= 0 || numerator > denominator) {
            throw new IllegalArgumentException("trust threshold must be a fraction in (0, 1], got " + numerator + "/" + denominator);
        }
        if (numerator * 3 < denominator) {
            throw new IllegalArgumentException("trust threshold must be at least 1/3, got " + numerator + "/" + denominator);
        }
    }

    /**
     * True when {@code tallied / total > numerator / denominator}, i.e. {@code tallied * denominator >
     * total * numerator}; the same as CometBFT's {@code tallied > total * numerator / denominator} with
     * integer division, computed in 128 bits so it cannot overflow.
     */
    public boolean isExceededBy(long tallied, long total) {
        return BigInteger.valueOf(tallied).multiply(BigInteger.valueOf(denominator))
                .compareTo(BigInteger.valueOf(total).multiply(BigInteger.valueOf(numerator))) > 0;
    }

    @Override
    public String toString() {
        return numerator + "/" + denominator;
    }
}
