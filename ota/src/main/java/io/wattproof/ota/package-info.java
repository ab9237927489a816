/**
 * Signed over-the-air updates: threshold-signed metadata, A/B slots, health check, rollback and a
 * monotonic version floor.
 *
 * <p>So far the metadata and its verification ({@code io.wattproof.ota.metadata}, docs/ota.md);
 * transport, storage and install are to come.
 */
package io.wattproof.ota;
