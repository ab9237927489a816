package io.wattproof.lightclient.conformance;

import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.lightclient.verifier.TrustThreshold;
import io.wattproof.lightclient.verifier.VerificationOptions;
import io.wattproof.lightclient.verifier.Verdict;
import io.wattproof.lightclient.verifier.Verifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a {@link SingleStepCase} the way the reference harness does: trust threshold 1/3, the case's
 * trusting period, no clock drift; each block verified against the latest trusted block at the
 * step's time; a block that verifies becomes the latest trusted block, any other verdict leaves
 * the trusted block as it was.
 */
public final class SingleStepRunner {
    private final Verifier verifier;

    public SingleStepRunner(Verifier verifier) {
        this.verifier = verifier;
    }

    /** A step's outcome; {@code verdict} is null when verification could not run, {@code error} says why. */
    public record StepResult(int index, long height, String expected, Verdict verdict, String error) {
        public boolean passed() {
            return verdict != null && verdict.code().equals(expected);
        }

        public String actual() {
            return verdict == null ? "ERROR" : verdict.code();
        }

        public String reason() {
            return verdict == null ? error : verdict.explanation();
        }
    }

    public List<StepResult> run(SingleStepCase c) {
        VerificationOptions options = VerificationOptions.builder(c.trustingPeriod())
                .trustThreshold(TrustThreshold.ONE_THIRD)
                .maxClockDrift(Duration.ZERO)
                .build();
        LightBlock trusted = c.initial();
        List<StepResult> results = new ArrayList<>();
        for (int i = 0; i < c.steps().size(); i++) {
            SingleStepCase.Step step = c.steps().get(i);
            Verdict verdict;
            try {
                verdict = verifier.verify(trusted, step.block(), options, step.now());
            } catch (IllegalArgumentException e) {
                results.add(new StepResult(i, step.block().height(), step.expectedVerdict(), null, e.getMessage()));
                continue;
            }
            results.add(new StepResult(i, step.block().height(), step.expectedVerdict(), verdict, null));
            if (verdict.isSuccess()) {
                trusted = step.block();
            }
        }
        return results;
    }
}
