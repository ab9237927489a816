/**
 * The uplink: sending signed records to the broker (MQTT 5, QoS 1) and reporting acknowledgements
 * and refusals back to the agent. Adapters only move bytes; what to send and when is the agent's
 * decision.
 */
package io.wattproof.agent.uplink;
