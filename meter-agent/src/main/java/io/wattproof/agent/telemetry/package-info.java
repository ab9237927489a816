/**
 * Live values for owners (power, energy, energy today, status, location) on the device's
 * {@code telemetry} topic, and Home Assistant MQTT discovery for them. The model
 * ({@link io.wattproof.agent.telemetry.EnergyDay}, {@link io.wattproof.agent.telemetry.LiveValues},
 * {@link io.wattproof.agent.telemetry.TelemetryJson},
 * {@link io.wattproof.agent.telemetry.HomeAssistantDiscovery}) is pure: samples, status and an
 * instant in, values and bytes out. {@link io.wattproof.agent.telemetry.TelemetryPublisher} is the
 * shell: it polls the running agent on its own thread, keeps the start of the day in a small file
 * and publishes over the uplink's connection at QoS 0, apart from the signed records (docs/telemetry.md).
 */
package io.wattproof.agent.telemetry;
