/**
 * Update metadata and its verification, after The Update Framework (TUF) specification: a root of
 * release keys with a threshold installed at provisioning and rotated only by a new root signed by
 * the old and the new threshold; targets signed by a threshold of the current root's keys that
 * list every image with its version, boards, length and SHA-256; the choice of the image a board
 * may install; and the streaming check of the downloaded bytes. Pure: bytes, records and an
 * {@code Instant now} in, verdicts out; no I/O, clock or logging, except in
 * {@link io.wattproof.ota.metadata.TrustStore}, the thin shell that keeps the trusted root and the
 * last targets in a file. Every refusal is a
 * {@link io.wattproof.ota.metadata.Refusal} naming the field with expected and actual values.
 */
package io.wattproof.ota.metadata;
