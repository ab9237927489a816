/**
 * Installing a verified image so that the device always boots: two slots (A and B) for the
 * application, an install that writes only the slot not running, an atomic switch to it for a
 * trial with a bounded number of boot attempts, a health check that commits it or a fall-back to
 * the slot known to be good, and a version floor that only rises. {@link
 * io.wattproof.ota.install.SlotState} is the pure state machine; {@link
 * io.wattproof.ota.install.SlotStore} persists it durably beside the slot folders; {@link
 * io.wattproof.ota.install.Installer} is the step an update takes, by slot folders ({@link
 * io.wattproof.ota.install.SlotInstaller}) or by a full-system bundle handed to RAUC ({@link
 * io.wattproof.ota.install.RaucInstaller}); {@link io.wattproof.ota.install.HealthCheck} judges a
 * trial boot; {@link io.wattproof.ota.install.CounterFloor} keeps the floor in a secure element's
 * monotonic counter as well where the installer is given one. docs/ota.md, "Install", states the
 * rules.
 */
package io.wattproof.ota.install;
