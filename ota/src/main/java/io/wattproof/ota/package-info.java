/**
 * Signed over-the-air updates: threshold-signed metadata, A/B slots, health check, rollback and a
 * monotonic version floor.
 *
 * <p>Empty for now; it arrives with the OTA issue.
 */
package io.wattproof.ota;
