package io.wattproof.agent.provision;

import io.wattproof.agent.config.ConfigProblem;
import java.util.Objects;

/** Outcome of reading a trust anchor: the anchor, or the first problem with it. */
public sealed interface TrustAnchorResult {

    record Read(TrustAnchor anchor) implements TrustAnchorResult {
        public Read {
            Objects.requireNonNull(anchor, "anchor");
        }
    }

    /**
     * The anchor is part of the device's configuration, so its problem is told the same way: the
     * file, the field (a JSON path such as {@code light_block.signed_header.header.chain_id}),
     * expected and actual.
     */
    record Invalid(ConfigProblem problem) implements TrustAnchorResult {
        public Invalid {
            Objects.requireNonNull(problem, "problem");
        }

        Invalid(String origin, String field, String expected, String actual) {
            this(new ConfigProblem(origin, field, expected, actual));
        }

        public String message() {
            return problem.message();
        }
    }
}
