/**
 * The uplink: sending signed records to the broker (MQTT 5, QoS 1, plain TCP or mutual TLS with
 * the device certificate) and reporting acknowledgements, refusals and lost connections back to
 * the agent; when to reconnect is a pure policy ({@link io.wattproof.agent.uplink.ReconnectBackoff}).
 * Adapters only move bytes; what to send and when is the agent's decision.
 */
package io.wattproof.agent.uplink;
