package io.wattproof.lightclient.client;

import io.wattproof.lightclient.provider.ProviderException;
import io.wattproof.lightclient.verifier.Failure;

/** What one witness said about a block the primary sent. */
public sealed interface WitnessReport {
    String witness();

    /** The witness has the same header at that height. */
    record Agreed(String witness) implements WitnessReport {}

    /**
     * The witness could not answer, or answered with something that is not a light block of this
     * chain: no verdict on the primary either way.
     */
    record Unavailable(String witness, ProviderException error) implements WitnessReport {}

    /**
     * The witness sent a different header that does not verify from the trusted block: the witness
     * lies or is broken. Not a fork; the evidence is kept for the operator.
     */
    record Faulty(String witness, ForkEvidence evidence, Failure reason) implements WitnessReport {}

    /** The witness sent a different header that verifies too: a fork (see {@link SyncResult.ForkDetected}). */
    record Conflicting(String witness, ForkEvidence evidence) implements WitnessReport {}
}
