/**
 * Provisioning a device on site ({@code bin/meter-agent provision}, docs/provisioning.md): the
 * trust anchor file {@code wattproof-trust-anchor/1} and its checks, the device key in its store,
 * files written whole with owner-only modes, the device label with its QR code, and the checks of
 * an installation that {@code provision --check} lists. Reading and checking are pure; the file
 * and key store access is in {@link io.wattproof.agent.provision.InstallFiles} and {@link
 * io.wattproof.agent.provision.DeviceKeyStores}.
 */
package io.wattproof.agent.provision;
