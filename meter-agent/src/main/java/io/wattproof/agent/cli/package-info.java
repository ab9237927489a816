/**
 * The agent's command line ({@code bin/meter-agent}): creating a device key and running the agent
 * against a Modbus TCP meter and an MQTT broker, reading a meter once, listing the built-in register
 * maps and board profiles. Provisioning for field technicians grows here.
 */
package io.wattproof.agent.cli;
