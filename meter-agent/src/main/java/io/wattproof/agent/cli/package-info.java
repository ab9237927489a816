/**
 * The agent's command line ({@code bin/meter-agent}): creating a device key and running the agent
 * against a Modbus TCP meter and an MQTT broker. Provisioning for field technicians grows here.
 */
package io.wattproof.agent.cli;
