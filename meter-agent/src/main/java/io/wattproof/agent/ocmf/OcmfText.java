package io.wattproof.agent.ocmf;

/**
 * The strings we put into a payload. OCMF forbids the pipe character inside a section (it
 * separates the sections, OCMF-en.md "JSON based OCMF Format"); we also keep to printable ASCII so
 * that the signed bytes are the same in every tool's reading of the text, with no question of a
 * character encoding.
 */
final class OcmfText {
    private OcmfText() {}

    static void require(String field, String value, int minLength, int maxLength) {
        if (value == null) {
            throw new IllegalArgumentException("ocmf " + field + ": expected a string, got null");
        }
        if (value.length() < minLength || value.length() > maxLength) {
            throw new IllegalArgumentException("ocmf " + field + ": expected " + minLength + " to " + maxLength
                    + " characters, got " + value.length());
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '|') {
                throw new IllegalArgumentException("ocmf " + field + ": expected printable ascii without '|', got 0x"
                        + Integer.toHexString(c) + " at index " + i);
            }
        }
    }

    /** A JSON string literal (RFC 8259 §7) of a value {@link #require} accepted. */
    static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.append('"').toString();
    }
}
