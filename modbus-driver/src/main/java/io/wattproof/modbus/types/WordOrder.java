package io.wattproof.modbus.types;

/** How a 32-bit value is spread over two consecutive registers (bytes inside a word stay big-endian). */
public enum WordOrder {
    /** High word in the lower register address ("ABCD", big-endian word order). Eastron, the default. */
    HIGH_WORD_FIRST,
    /** Low word in the lower register address ("CDAB", word-swapped). */
    LOW_WORD_FIRST
}
