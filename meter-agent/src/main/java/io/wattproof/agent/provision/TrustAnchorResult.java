package io.wattproof.agent.provision;

import java.util.Objects;

/** Outcome of reading a trust anchor: the anchor, or the first problem with it. */
public sealed interface TrustAnchorResult {

    record Read(TrustAnchor anchor) implements TrustAnchorResult {
        public Read {
            Objects.requireNonNull(anchor, "anchor");
        }
    }

    /** The file, the field (a JSON path such as {@code light_block.signed_header.commit}), expected and actual. */
    record Invalid(String origin, String field, String expected, String actual) implements TrustAnchorResult {
        public Invalid {
            Objects.requireNonNull(origin, "origin");
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(expected, "expected");
            Objects.requireNonNull(actual, "actual");
        }

        public String message() {
            return origin + ": " + field + ": expected " + expected + ", actual " + actual;
        }
    }
}
