/**
 * The meter agent's shell: {@link io.wattproof.agent.MeterAgent} wires the interval engine, the
 * record signer, the outbox and the uplink on one worker thread with an injected clock.
 */
package io.wattproof.agent;
