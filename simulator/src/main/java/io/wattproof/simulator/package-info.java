/**
 * The desktop simulator: a fleet of virtual meters and agents, an embedded MQTT broker and a
 * receiving side that checks every record, run by {@code bin/simulate}
 * ({@link io.wattproof.simulator.SimulatorCommand}).
 */
package io.wattproof.simulator;
