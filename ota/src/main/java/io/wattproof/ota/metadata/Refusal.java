package io.wattproof.ota.metadata;

/**
 * Why update metadata or an image was refused: the attack or defect it reveals, the field that
 * shows it, and the expected and actual values (bytes in hex, times as ISO-8601 instants).
 */
public record Refusal(Reason reason, String field, String expected, String actual) {

    public enum Reason {
        /** Bytes that do not parse, or values outside their documented range. */
        MALFORMED,
        /** A Signed of the other role where this one was needed. */
        WRONG_ROLE,
        /** Fewer valid signatures by distinct current keys than the threshold (TUF: arbitrary software attack). */
        THRESHOLD_NOT_MET,
        /** Expires at or before now (TUF: freeze attack). */
        EXPIRED,
        /** A version below what is trusted or installed (TUF: rollback attack). */
        ROLLBACK,
        /** A root version that does not follow the trusted one, or targets made under another root. */
        ROOT_VERSION_MISMATCH,
        /** The same targets version with another body (TUF: mix-and-match attack). */
        MIX_AND_MATCH,
        /** No image for this board. */
        WRONG_BOARD,
        /** The running version is too old to install the image directly. */
        MIN_FROM_VERSION,
        /** More or fewer image bytes than announced (TUF: endless data attack). */
        LENGTH,
        /** Image bytes whose SHA-256 is not the announced one. */
        HASH
    }

    public String message() {
        return field + ": expected " + expected + ", got " + actual + " (" + reason.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }

    @Override
    public String toString() {
        return message();
    }
}
