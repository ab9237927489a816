/**
 * The agent's view of a meter: a snapshot of its registers and the sources that produce one (a
 * Modbus meter, or the pulses of an S0 output counted on a GPIO input). Adapters here translate
 * driver failures into {@link io.wattproof.agent.meter.MeterReadException}; nothing above them
 * knows about Modbus or GPIO.
 */
package io.wattproof.agent.meter;
