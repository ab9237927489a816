/**
 * The device configuration: one YAML file ({@code wattproof-agent/1}, docs/provisioning.md) that
 * provisioning writes and {@code run --config} reads. It names the board profile, where the device
 * key lives, the broker and its certificates, the ledger's chain and trust anchor, and the few
 * settings that may differ from the board's defaults. Parsing is pure and reports every problem
 * with the file, the field, what was expected and what the file has.
 */
package io.wattproof.agent.config;
