/**
 * The release side of signed updates, for operators: building a Root from release public keys and
 * a Targets from image files, and signing either with release keys held in any crypto-se key store,
 * so that what comes out is exactly what {@code io.wattproof.ota.metadata} accepts (docs/ota.md).
 * Arguments out of range are refused with an {@link java.lang.IllegalArgumentException} naming the
 * field, the expected and the actual value, before anything is signed.
 */
package io.wattproof.ota.release;
