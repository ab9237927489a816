package io.wattproof.simulator.ledger.app;

/** Checks of the short text fields operators write (board, location, account, contract id). */
final class Text {
    private Text() {}

    /**
     * Null when {@code value} is {@code min..max} characters of printable ASCII (0x20..0x7e);
     * otherwise what is wrong, naming {@code field}.
     */
    static String checkPrintable(String field, String value, int min, int max) {
        if (value.length() < min || value.length() > max) {
            return field + ": expected " + min + ".." + max + " printable ascii characters, got " + value.length();
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return String.format("%s: expected printable ascii, got 0x%02x at index %d", field, (int) c, i);
            }
        }
        return null;
    }
}
