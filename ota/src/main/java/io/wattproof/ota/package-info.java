/**
 * Signed over-the-air updates: threshold-signed metadata, A/B slots, health check, rollback and a
 * monotonic version floor.
 *
 * <p>The metadata, its verification and the device's trust store ({@code io.wattproof.ota.metadata}),
 * the A/B install ({@code io.wattproof.ota.install}), the release signing
 * ({@code io.wattproof.ota.release}) and {@link io.wattproof.ota.DurableFiles}, which the install
 * and the trust store share (docs/ota.md); transport is to come.
 */
package io.wattproof.ota;
