/**
 * The agent's view of a meter: a snapshot of its registers and the sources that produce one
 * (Modbus today; S0 pulse counting later). Adapters here translate driver failures into
 * {@link io.wattproof.agent.meter.MeterReadException}; nothing above them knows about Modbus.
 */
package io.wattproof.agent.meter;
