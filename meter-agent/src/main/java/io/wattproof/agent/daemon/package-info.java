/**
 * The agent as a service: the notify protocol that tells systemd when the agent is ready, alive
 * and stopping (sd_notify(3), without libsystemd), the status file the daemon keeps for {@code
 * meter-agent status}, and the assembly of a running agent from a device configuration.
 */
package io.wattproof.agent.daemon;
